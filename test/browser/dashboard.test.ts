/**
 * The web dashboard (issue 8, SPEC 8) in a real browser: Debian's Chromium driven by playwright-core,
 * against `coretex start` and `coretex worker --example` processes on the test NATS + Redis. The user
 * enters a key; a job submitted through the API appears and reaches SUCCEEDED in the jobs list without
 * a reload; its timeline opens; a waiting approval step is approved from the run page and the DAG
 * advances, another is rejected and its run fails; a DLQ entry is retried, then every entry of a topic
 * in one bulk retry; an approval is granted, another rejected. Screenshots (1366x768) of the jobs list, a
 * run's DAG and a job's timeline are taken on every run; with CORETEX_SCREENSHOTS=1 they replace the
 * README's in docs/screenshots/ (otherwise they go to a temporary folder, so a test run leaves the
 * working tree as it was).
 *
 * Every wait is a Playwright locator wait (auto-waiting until the element is there), never a sleep.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../harness/chromium.ts';
import { type E2E, finished, startInstallation } from '../e2e/support/installation.ts';
import { KEYS, killAll, startWorker } from '../e2e/support/processes.ts';

const SCREENSHOTS =
  process.env.CORETEX_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
    : mkdtempSync(join(tmpdir(), 'coretex-screenshots-'));

const SYSTEM = {
  routing: {
    topics: {
      'job.default': 'dash',
      'job.build': 'dash',
      'job.report': 'dash',
      'job.thumbnail': 'dash',
      'job.flaky': 'fail',
      'job.doomed': 'fail',
    },
    pools: { dash: { requires: [] }, fail: { requires: [] } },
  },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000 },
  safety: { rules: { approval_risk_tags: ['pii'] } },
};

/** A release pipeline: a build, a fan-out of tests, a lint, an approval gate, a deploy and a check. */
const RELEASE = {
  id: 'release',
  name: 'Release',
  steps: {
    build: { input: { commit: '${input.commit}' } },
    test: { depends_on: ['build'], for_each: 'input.suites', input: { suite: '${item}' } },
    lint: { depends_on: ['build'], input: { commit: '${input.commit}' } },
    'sign-off': { type: 'approval', depends_on: ['test', 'lint'], input: { ship: '${input.commit}' } },
    deploy: { depends_on: ['sign-off'], input: { commit: '${input.commit}', env: 'production' } },
    verify: { depends_on: ['deploy'], input: { url: 'https://example.test/health' } },
  },
};

/** An approval, then a job: a run that fails once its approval is rejected. */
const GATED = {
  id: 'gated',
  steps: { ask: { type: 'approval', input: { ship: '${input.commit}' } }, after: { depends_on: ['ask'], input: {} } },
};

let e: E2E;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const executablePath = ensureChromium();
  e = await startInstallation(SYSTEM);
  await Promise.all([
    startWorker(e.installation, { id: 'worker-eu-1', pool: 'dash', maxParallel: 8, sleepMs: 400 }),
    startWorker(e.installation, { id: 'worker-flaky-1', pool: 'fail', failRate: 1 }),
  ]);
  for (const workflow of [RELEASE, GATED]) {
    const defined = await e.api.post('/api/v1/workflows', workflow);
    if (defined.status !== 201) throw new Error(`workflow: ${defined.status} ${JSON.stringify(defined.body)}`);
  }
  // Playwright gives each launch a fresh temporary profile (user-data dir), removed on close.
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  // A wait that fails says which element it waited for, before the test's own timeout.
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error('page error:', error));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await killAll();
});

const submit = async (body: Record<string, unknown>): Promise<string> => {
  const answer = await e.api.post<{ job_id: string }>('/api/v1/jobs', body);
  expect(answer.status).toBe(202);
  return answer.body.job_id;
};

describe('the dashboard', { timeout: 60_000 }, () => {
  it('serves its files without a key, and no data without one', async () => {
    const index = await fetch(`${e.coretex.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${e.coretex.url}/dashboard/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const again = await fetch(`${e.coretex.url}/dashboard/app.js`, {
      headers: { 'if-none-match': script.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${e.coretex.url}/dashboard/../app.ts`)).status).toBe(404);
    expect((await fetch(`${e.coretex.url}/api/v1/jobs`)).status).toBe(401);
  });

  it('asks for the key, then shows a submitted job reaching SUCCEEDED live, without a reload', async () => {
    for (const topic of ['job.build', 'job.report', 'job.thumbnail']) {
      await finished(e.api, await submit({ topic, payload: { sample: topic } }));
    }
    await page.goto(`${e.coretex.url}/#/jobs`);
    await page.getByRole('heading', { name: 'Sign in with an API key' }).waitFor();
    await page.getByLabel('API key', { exact: true }).fill('not-a-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('alert').getByText('not known').waitFor();
    await page.getByLabel('API key', { exact: true }).fill(KEYS.acme);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Live').waitFor();
    await page.evaluate(() => {
      Object.assign(globalThis, { notReloaded: true });
    });

    const jobId = await submit({ topic: 'job.default', payload: { hello: 'dashboard' } });
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    await row.locator('[data-field="state"]').getByText('SUCCEEDED', { exact: true }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // Filters: by state FAILED the job is not listed; by topic it is.
    await page.getByLabel('State').selectOption('FAILED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No jobs match.').waitFor();
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Topic').fill('job.default');
    await page.getByRole('button', { name: 'Apply' }).click();
    await row.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Topic').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('tbody tr').nth(3).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs.png') });

    // The job's page: fields, result and its timeline.
    await row.getByRole('link').first().click();
    await page.getByRole('heading', { name: `Job ${jobId}` }).waitFor();
    const timeline = page.getByRole('list', { name: 'Events, oldest first' });
    await timeline.getByText('JobSucceeded').waitFor();
    for (const type of ['JobSubmitted', 'JobScheduled', 'JobDispatched']) await timeline.getByText(type).waitFor();
    await page.getByRole('heading', { name: 'Result' }).waitFor();
    await page.getByText('"hello": "dashboard"').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'job-timeline.png') });
  });

  it('approves a waiting step from the run page and the DAG advances', async () => {
    const started = await e.api.post<{ run_id: string }>('/api/v1/workflows/release/runs', {
      input: { commit: '4f2a9c1', suites: ['unit', 'api', 'e2e', 'browser'] },
    });
    expect(started.status).toBe(201);
    const runId = started.body.run_id;

    await page.getByRole('link', { name: 'Workflow runs' }).click();
    await page.locator(`tr[data-run-id="${runId}"]`).getByRole('link').click();
    await page.getByRole('heading', { name: `Run ${runId}` }).waitFor();
    const node = (step: string, status: string) => page.locator(`g[data-step="${step}"][data-status="${status}"]`);
    await node('sign-off', 'WAITING').waitFor();
    await node('test', 'SUCCEEDED').waitFor();
    await page.locator('g[data-step="test"]').getByText('for each · 4/4').waitFor();
    await node('deploy', 'PENDING').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'run-dag.png') });

    await page.getByRole('button', { name: 'Approve sign-off' }).click();
    await node('sign-off', 'SUCCEEDED').waitFor();
    await page.locator('g[data-step="deploy"]:is([data-status="RUNNING"], [data-status="SUCCEEDED"])').waitFor();
    await node('verify', 'SUCCEEDED').waitFor();
    await page.locator('.page-head').getByText('SUCCEEDED', { exact: true }).waitFor();
  });

  it('rejects a waiting step from the run page: the step and the run fail', async () => {
    const started = await e.api.post<{ run_id: string }>('/api/v1/workflows/gated/runs', { input: { commit: 'b1' } });
    expect(started.status).toBe(201);
    const runId = started.body.run_id;
    await page.getByRole('link', { name: 'Workflow runs' }).click();
    await page.locator(`tr[data-run-id="${runId}"]`).getByRole('link').click();
    await page.getByRole('heading', { name: `Run ${runId}` }).waitFor();
    await page.locator('g[data-step="ask"][data-status="WAITING"]').waitFor();
    await page.getByRole('button', { name: 'Reject ask' }).click();
    await page.getByRole('alert').getByText('Step ask rejected: FAILED.').waitFor();
    await page.locator('g[data-step="ask"][data-status="FAILED"]').waitFor();
    await page.locator('.page-head').getByText('FAILED', { exact: true }).waitFor();
    const run = await e.api.get<{ status: string; steps: Record<string, { status: string }> }>(
      `/api/v1/workflow-runs/${runId}`,
    );
    expect(run.body.status).toBe('FAILED');
    expect(run.body.steps.after?.status).not.toBe('SUCCEEDED');
  });

  it('retries a DLQ entry from the DLQ page', async () => {
    const jobId = await submit({ topic: 'job.flaky', payload: { n: 1 }, retry: { max_attempts: 1 } });
    expect(await finished(e.api, jobId)).toMatchObject({ state: 'FAILED' });
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Retry' }).click();
    await row.locator('[data-field="retried"]').getByText('Retried as').waitFor();
    const entry = await e.api.get<{ retried_as: string | null }>(`/api/v1/dlq/${jobId}`);
    expect(entry.body.retried_as).toEqual(expect.any(String));
  });

  it('retries every entry of a topic in one bulk retry, following the operation to its end', async () => {
    const jobIds = [
      await submit({ topic: 'job.doomed', payload: { n: 1 }, retry: { max_attempts: 1 } }),
      await submit({ topic: 'job.doomed', payload: { n: 2 }, retry: { max_attempts: 1 } }),
    ];
    for (const jobId of jobIds) expect(await finished(e.api, jobId)).toMatchObject({ state: 'FAILED' });
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByLabel('Topic').fill('job.doomed');
    await page.getByRole('button', { name: 'Apply' }).click();
    for (const jobId of jobIds) await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toBe('Retry every entry matching the filters?');
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Retry all matching' }).click();
    await page.getByRole('alert').getByText('Bulk retry succeeded: 2 processed, 2 retried, 0 failed.').waitFor();
    for (const jobId of jobIds) {
      await page.locator(`tr[data-job-id="${jobId}"] [data-field="retried"]`).getByText('Retried as').waitFor();
      const entry = await e.api.get<{ retried_as: string | null }>(`/api/v1/dlq/${jobId}`);
      expect(entry.body.retried_as).toBe(`${jobId}.r1`);
    }
  });

  it('rejects a held job from the approvals queue: it ends DENIED', async () => {
    const jobId = await submit({ topic: 'job.default', risk_tags: ['pii'], payload: { export: 'everything' } });
    await page.getByRole('link', { name: 'Approvals' }).click();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('alert').getByText('rejected: DENIED').waitFor();
    await row.waitFor({ state: 'detached' });
    expect(await finished(e.api, jobId)).toMatchObject({ state: 'DENIED' });
  });

  it('approves a held job from the approvals queue', async () => {
    const jobId = await submit({ topic: 'job.default', risk_tags: ['pii'], payload: { export: 'customers' } });
    await page.getByRole('link', { name: 'Approvals' }).click();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').getByText('approved').waitFor();
    await row.waitFor({ state: 'detached' });
    expect(await finished(e.api, jobId)).toMatchObject({ state: 'SUCCEEDED' });
  });

  it('shows workers with their load, the effective config and the status', async () => {
    await page.getByRole('link', { name: 'Workers' }).click();
    await page.locator('tr[data-worker-id="worker-eu-1"]').getByRole('meter').waitFor();
    await page.getByRole('link', { name: 'Config' }).click();
    await page.getByLabel('Org (tenant)').fill('acme');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: 'Effective config' }).waitFor();
    await page.getByText('"routing"').waitFor();
    await page.getByRole('link', { name: 'Status' }).click();
    await page.getByText('Safety breaker').waitFor();
    await page.getByRole('table', { name: 'Projection lag' }).getByRole('row').nth(1).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('coretex.apiKey'))).toBe(KEYS.acme);
  });
});
