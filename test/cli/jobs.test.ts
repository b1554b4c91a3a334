/**
 * `coretex jobs ...` and `coretex approvals ...` as a user runs them: the real command (a child
 * process) against `coretex start` and an example worker as processes on NATS + Redis with API keys.
 * Output (tables, --json), exit codes (0, 1 for API and connection errors, 2 for usage errors, 3 for a
 * job that ended other than SUCCEEDED) and error messages.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, startInstallation } from '../e2e/support/installation.ts';
import { KEYS, killAll, startWorker } from '../e2e/support/processes.ts';
import { cliFor, coretex, tableRows } from './support/cli.ts';

const SYSTEM = {
  routing: {
    topics: { 'job.cli': 'cli', 'job.slow': 'slow' },
    pools: { cli: { requires: [] }, slow: { requires: [] } },
  },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000 },
  safety: { rules: { approval_risk_tags: ['pii'] } },
};

let e: E2E;
let cli: ReturnType<typeof cliFor>;
beforeAll(async () => {
  e = await startInstallation(SYSTEM);
  cli = cliFor(e.coretex.url, KEYS.acme);
  await startWorker(e.installation, { id: 'cli-1', pool: 'cli' });
  await startWorker(e.installation, { id: 'slow-1', pool: 'slow', sleepMs: 3_000 });
}, 90_000);
afterAll(async () => {
  await killAll();
});

describe('coretex jobs', () => {
  it('submit --wait prints the id, the state changes, and ends SUCCEEDED with the result (exit 0)', async () => {
    const run = await cli([
      'jobs',
      'submit',
      '--topic',
      'job.cli',
      '--payload',
      '{"hello":"cli"}',
      '--label',
      'env=test',
      '--label',
      'team=core',
      '--priority',
      'interactive',
      '--max-attempts',
      '2',
      '--wait',
    ]);
    expect(run.stderr).toMatch(/SUCCEEDED/);
    expect(run.code).toBe(0);
    const [id, final] = run.stdout.trim().split('\n');
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect(final).toContain(`${id} SUCCEEDED`);
    expect(final).toContain('"hello":"cli"');

    // The job as submitted: labels, priority and attempts reached the API.
    const got = await cli(['jobs', 'get', id as string, '--json']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({
      job_id: id,
      state: 'SUCCEEDED',
      priority: 'interactive',
      labels: { env: 'test', team: 'core' },
      max_attempts: 2,
      payload: { hello: 'cli' },
      result: { echo: { hello: 'cli' }, worker_id: 'cli-1' },
    });
  });

  it('list prints a table with headers and the job, and --json parses with the same job', async () => {
    const id = (await cli(['jobs', 'submit', '--topic', 'job.cli', '--payload', '7'])).stdout.trim();
    await cli(['jobs', 'wait', id]);
    const table = await cli(['jobs', 'list', '--topic', 'job.cli']);
    expect(table.code).toBe(0);
    const rows = tableRows(table.stdout);
    expect(rows[0]).toEqual(['JOB ID', 'STATE', 'TOPIC', 'PRIORITY', 'ATTEMPT', 'WORKER', 'CREATED']);
    expect(rows).toContainEqual([id, 'SUCCEEDED', 'job.cli', 'batch', '1', 'cli-1', expect.stringMatching(/Z$/)]);

    const json = await cli(['jobs', 'list', '--topic', 'job.cli', '--json', '--limit', '1']);
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout) as { items: { job_id: string }[]; next_cursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.job_id).toBe(id);
    expect(page.next_cursor).not.toBeNull();
  });

  it('wait follows a running job to SUCCEEDED, printing each state it sees', async () => {
    const id = (await cli(['jobs', 'submit', '--topic', 'job.slow', '--payload', '{"n":1}'])).stdout.trim();
    const run = await cli(['jobs', 'wait', id]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(new RegExp(`^${id} SUCCEEDED `));
    const states = run.stderr
      .trim()
      .split('\n')
      .map((line) => line.split(' ').at(-1));
    expect(states.at(-1)).toBe('SUCCEEDED');
    // The worker sleeps 3 s, so the first read sees the job before it ended.
    expect(states.length).toBeGreaterThan(1);
    expect(states[0]).not.toBe('SUCCEEDED');
  });

  it('wait --timeout gives up with exit 4 while the job still runs; cancel then ends it (exit 3 on wait)', async () => {
    const id = (
      await cli(['jobs', 'submit', '--topic', 'job.slow', '--run-at', String(Date.now() + 60_000)])
    ).stdout.trim();
    const waited = await cli(['jobs', 'wait', id, '--timeout', '300ms']);
    expect(waited.code).toBe(4);
    expect(waited.stderr).toContain(`job ${id} is still`);
    const cancelled = await cli(['jobs', 'cancel', id, '--reason', 'not needed']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout.trim()).toBe(`${id} CANCELLED`);
    const after = await cli(['jobs', 'wait', id]);
    expect(after.code).toBe(3);
    expect(after.stderr).toContain(`job ${id} ended CANCELLED`);
  });

  it('events prints the job history as a table, oldest first', async () => {
    const id = (await cli(['jobs', 'submit', '--topic', 'job.cli', '--wait'])).stdout.trim().split('\n')[0] as string;
    const run = await cli(['jobs', 'events', id]);
    expect(run.code).toBe(0);
    const rows = tableRows(run.stdout);
    expect(rows[0]).toEqual(['TIME', 'TYPE', 'ACTOR', 'POSITION', 'DATA']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);
    expect(rows[1]?.[2]).toBe('api:acme');
  });
});

describe('coretex approvals', () => {
  it('lists a job held for approval with its request hash; approve with it lets the job run', async () => {
    const id = (await cli(['jobs', 'submit', '--topic', 'job.cli', '--risk-tag', 'pii'])).stdout.trim();
    const listed = await cli(['approvals', 'list', '--json']);
    expect(listed.code).toBe(0);
    const item = (JSON.parse(listed.stdout) as { items: { job_id: string; request_hash: string }[] }).items.find(
      (a) => a.job_id === id,
    );
    expect(item).toBeDefined();
    const table = tableRows((await cli(['approvals', 'list'])).stdout);
    expect(table[0]).toEqual(['JOB ID', 'TOPIC', 'PRIORITY', 'REASON', 'EXPIRES', 'REQUEST HASH']);

    const wrong = await cli(['approvals', 'approve', id, '--request-hash', 'not-the-hash']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^coretex: 409 request_hash_mismatch: /);

    const approved = await cli([
      'approvals',
      'approve',
      id,
      '--request-hash',
      item?.request_hash ?? '',
      '--reason',
      'ok',
    ]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^${id} (PENDING|SCHEDULED|DISPATCHED|RUNNING|SUCCEEDED)`));
    expect((await cli(['jobs', 'wait', id])).code).toBe(0);
  });
});

describe('errors and exit codes', () => {
  it('a 404 exits 1 with the problem detail and code on one line of stderr', async () => {
    const run = await cli(['jobs', 'get', 'no-such-job']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('coretex: 404 job_not_found: job no-such-job not found\n');
  });

  it('a 400 names the offending field', async () => {
    const run = await cli(['jobs', 'submit', '--topic', 'Not A Topic']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^coretex: 400 \w+: .*\(field: topic\)\n$/);
  });

  it('a 409 (an idempotency key reused with another request) exits 1', async () => {
    const first = await cli(['jobs', 'submit', '--topic', 'job.cli', '--payload', '1', '--idempotency-key', 'k-409']);
    expect(first.code).toBe(0);
    const again = await cli(['jobs', 'submit', '--topic', 'job.cli', '--payload', '1', '--idempotency-key', 'k-409']);
    expect(again.stdout).toBe(first.stdout); // the same job
    const other = await cli(['jobs', 'submit', '--topic', 'job.cli', '--payload', '2', '--idempotency-key', 'k-409']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^coretex: 409 idempotency_key_reused: /);
  });

  it('a wrong key is 401 and says so; no key at all is 401 too', async () => {
    const bad = await cli(['jobs', 'list'], { CORETEX_API_KEY: 'not-a-key' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^coretex: 401 .*unauthorized: give a valid key with --api-key or CORETEX_API_KEY/);
    const none = await coretex(['jobs', 'list', '--url', e.coretex.url]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('coretex: 401');
    // --api-key on the command line wins over the environment.
    const flag = await cli(['jobs', 'list', '--api-key', KEYS.acme, '--json'], { CORETEX_API_KEY: 'not-a-key' });
    expect(flag.code).toBe(0);
  });

  it('a key bound to every tenant must name one (--tenant)', async () => {
    const admin = cliFor(e.coretex.url, KEYS.admin);
    const without = await admin(['jobs', 'submit', '--topic', 'job.cli']);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('(field: tenant)');
    const withTenant = await admin(['jobs', 'submit', '--topic', 'job.cli', '--tenant', 'acme', '--json']);
    expect(withTenant.code).toBe(0);
    expect(JSON.parse(withTenant.stdout)).toMatchObject({ job_id: expect.any(String), state: 'PENDING' });
  });

  it('connection refused names the URL (exit 1)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await coretex(['jobs', 'list', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`coretex: cannot reach Coretex at ${url}: connection refused (set --url or CORETEX_URL)\n`);
  });

  it('usage errors exit 2 without calling the API: unknown option, bad choice, bad JSON, missing argument', async () => {
    const cases = [
      ['jobs', 'list', '--no-such-option'],
      ['jobs', 'list', '--state', 'DONE'],
      ['jobs', 'submit', '--payload', '{not json'],
      ['jobs', 'submit', '--label', 'novalue'],
      ['jobs', 'get'],
      ['approvals', 'approve', 'x'],
      ['dlq', 'retry'],
      ['jobs', 'list', '--url', 'not a url'],
    ];
    for (const args of cases) {
      const run = await coretex(args, { CORETEX_URL: 'http://127.0.0.1:9' });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).not.toContain('cannot reach');
    }
  });

  it('--help works on every level (exit 0)', async () => {
    for (const args of [['--help'], ['jobs', '--help'], ['jobs', 'submit', '--help'], ['events', 'tail', '--help']]) {
      const run = await coretex(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: coretex');
    }
    const submit = await coretex(['jobs', 'submit', '--help']);
    for (const option of [
      '--url',
      '--api-key',
      '--json',
      '--topic',
      '--payload-file',
      '--idempotency-key',
      '--run-at',
    ]) {
      expect(submit.stdout).toContain(option);
    }
  });
});

/** A port nothing listens on: one the OS just handed out and was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
