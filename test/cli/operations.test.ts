/**
 * `coretex dlq|config|events|workers ...` as a user runs them (the real command, a child process)
 * against `coretex start` and example workers as processes on NATS + Redis with API keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { type E2E, startInstallation } from '../e2e/support/installation.ts';
import { KEYS, killAll, startWorker } from '../e2e/support/processes.ts';
import { cliFor, tableRows } from './support/cli.ts';

const SYSTEM = {
  routing: {
    topics: { 'job.ok': 'ok', 'job.broken': 'broken' },
    pools: { ok: { requires: [] }, broken: { requires: [] } },
  },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000 },
};

let e: E2E;
let cli: ReturnType<typeof cliFor>;
let admin: ReturnType<typeof cliFor>;
beforeAll(async () => {
  e = await startInstallation(SYSTEM);
  cli = cliFor(e.coretex.url, KEYS.acme);
  admin = cliFor(e.coretex.url, KEYS.admin);
  await startWorker(e.installation, { id: 'ok-1', pool: 'ok' });
  await startWorker(e.installation, { id: 'broken-1', pool: 'broken', failRate: 1 });
}, 90_000);
afterAll(async () => {
  await killAll();
});

interface DlqPage {
  items: { job_id: string; topic: string; retried_as: string | null }[];
}

async function failedJob(): Promise<string> {
  const run = await cli(['jobs', 'submit', '--topic', 'job.broken', '--max-attempts', '1', '--wait']);
  expect(run.code).toBe(3); // it ended FAILED
  const id = run.stdout.split('\n')[0] as string;
  await waitFor(
    `the DLQ entry of ${id}`,
    async () => {
      const list = await cli(['dlq', 'list', '--topic', 'job.broken', '--limit', '500', '--json']);
      return (JSON.parse(list.stdout) as DlqPage).items.some((entry) => entry.job_id === id);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return id;
}

describe('coretex dlq', () => {
  it('lists a failed job as a table and retries it once: a repeat names the same new job', async () => {
    const id = await failedJob();
    const table = await cli(['dlq', 'list', '--topic', 'job.broken']);
    expect(table.code).toBe(0);
    const rows = tableRows(table.stdout);
    expect(rows[0]).toEqual(['JOB ID', 'TOPIC', 'FINAL STATE', 'REASON CODE', 'ATTEMPTS', 'RETRIED AS', 'CREATED']);
    expect(rows.find((r) => r[0] === id)).toEqual([
      id,
      'job.broken',
      'FAILED',
      expect.any(String),
      '1',
      '-',
      expect.any(String),
    ]);

    const retried = await cli(['dlq', 'retry', id]);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toBe(`${id}.r1\n`);
    const again = await cli(['dlq', 'retry', id, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ job_id: `${id}.r1`, retry_of: id });
    const job = await cli(['jobs', 'get', `${id}.r1`, '--json']);
    expect(JSON.parse(job.stdout)).toMatchObject({ job_id: `${id}.r1`, retry_of: id, topic: 'job.broken' });

    const missing = await cli(['dlq', 'retry', 'no-such-entry']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^coretex: 404 /);
  });

  it('bulk retry by filter follows its operation to the end and reports the counts', async () => {
    const ids = [await failedJob(), await failedJob()];
    const run = await cli(['dlq', 'retry', '--topic', 'job.broken', '--json']);
    expect(run.stderr).toMatch(/^operation \S+ started/);
    expect(run.code).toBe(0);
    const operation = JSON.parse(run.stdout) as { status: string; kind: string; processed: number; changed: number };
    expect(operation).toMatchObject({ status: 'SUCCEEDED', kind: 'bulk_dlq_retry' });
    expect(operation.processed).toBeGreaterThanOrEqual(2);
    // Each entry was retried as a new job.
    for (const id of ids) {
      const job = await cli(['jobs', 'get', `${id}.r1`, '--json']);
      expect(job.code).toBe(0);
    }
    const people = await cli(['dlq', 'retry', '--topic', 'job.broken']);
    expect(people.code).toBe(0);
    expect(people.stdout).toMatch(/^operation \S+ SUCCEEDED: \d+ entries, \d+ retried, 0 failed\n$/);
  });

  it('a filter and a job id together are a usage error (exit 2)', async () => {
    const run = await cli(['dlq', 'retry', 'x', '--all']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not both');
  });
});

describe('coretex config', () => {
  it('set then get and effective show the document, its revision and the merge', async () => {
    const set = await cli(['config', 'set', 'org', 'acme', '--data', '{"retry":{"max_attempts":4},"color":"blue"}']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^org\/acme revision (\d+)\n$/);
    const revision = Number(/revision (\d+)/.exec(set.stdout)?.[1]);

    const got = await cli(['config', 'get', 'org', 'acme', '--json']);
    expect(JSON.parse(got.stdout)).toMatchObject({
      scope: 'org',
      scope_id: 'acme',
      revision,
      data: { retry: { max_attempts: 4 }, color: 'blue' },
      updated_by: 'api:acme',
    });
    const people = await cli(['config', 'get', 'org', 'acme']);
    expect(people.stdout).toContain(`# org/acme revision ${revision}`);
    expect(people.stdout).toContain('"color": "blue"');

    const effective = await cli(['config', 'effective', '--org', 'acme', '--json']);
    const merged = JSON.parse(effective.stdout) as { data: Record<string, unknown>; version: string };
    // The system document (routing) and the org's keys, merged.
    expect(merged.data).toMatchObject({ color: 'blue', retry: { max_attempts: 4 }, routing: SYSTEM.routing });
    expect(merged.version).toMatch(new RegExp(`org:${revision}`));

    // Setting the same data again writes nothing.
    const same = await cli(['config', 'set', 'org', 'acme', '--data', '{"retry":{"max_attempts":4},"color":"blue"}']);
    expect(same.stdout).toBe(`org/acme revision ${revision} (unchanged)\n`);
    // A stale --if-revision is refused (412, exit 1).
    const stale = await cli(['config', 'set', 'org', 'acme', '--data', '{}', '--if-revision', String(revision + 5)]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^coretex: 412 /);
  });

  it('an invalid document is a 400 naming the field; a tenant key may not write system (403)', async () => {
    const invalid = await cli(['config', 'set', 'org', 'acme', '--data', '{"retry":{"max_attempts":"many"}}']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^coretex: 400 .*\(field: [^)]*retry[^)]*\)/);
    const forbidden = await cli(['config', 'set', 'system', '--data', '{}']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^coretex: 403 .*forbidden/);
    const notObject = await cli(['config', 'set', 'org', 'acme', '--data', '[1]']);
    expect(notObject.code).toBe(2);
  });
});

describe('coretex events', () => {
  it('tail without --follow prints the recent events and exits', async () => {
    const id = (await cli(['jobs', 'submit', '--topic', 'job.ok', '--wait'])).stdout.split('\n')[0] as string;
    const table = await cli(['events', 'tail', '--stream', 'job', '--limit', '50']);
    expect(table.code).toBe(0);
    const rows = tableRows(table.stdout);
    expect(rows[0]).toEqual(['TIME', 'POSITION', 'TYPE', 'ID', 'ACTOR', 'DATA']);
    const mine = rows.filter((r) => r[3] === id).map((r) => r[2]);
    expect(mine).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);

    const json = await cli(['events', 'tail', '--job-id', id, '--json', '--limit', '50']);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as {
      items: { type: string; aggregate_id: string }[];
      last_event_id: string;
    };
    expect(answer.items.map((i) => i.type)).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);
    expect(answer.last_event_id).toMatch(/job:\d+/);

    // A tenant key sees its own tenant only: globex sees none of acme's events.
    const other = await cliFor(e.coretex.url, KEYS.globex)(['events', 'tail', '--job-id', id, '--json']);
    expect((JSON.parse(other.stdout) as { items: unknown[] }).items).toEqual([]);
  });

  it('tail --limit 0 starts live: only events after it started', async () => {
    const run = await admin(['events', 'tail', '--limit', '0', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { items: unknown[] }).items).toEqual([]);
  });

  it('parked lists (an admin key bound to *), as a table', async () => {
    const run = await admin(['events', 'parked']);
    expect(run.code).toBe(0);
    expect(tableRows(run.stdout)[0]).toEqual(['ID', 'SOURCE', 'POSITION', 'ATTEMPTS', 'PARKED', 'ERROR']);
  });
});

describe('coretex projections rebuild --remote', () => {
  it('asks the running Coretex to rebuild and follows it to the end; a tenant key is refused (403)', async () => {
    const run = await admin(['projections', 'rebuild', 'config', '--remote']);
    expect(run.stderr).toContain(`rebuilding config on ${e.coretex.url}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^coretex: config: \d+ events into version \d+\n$/);
    const refused = await cli(['projections', 'rebuild', 'config', '--remote']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^coretex: 403 /);
    const unknown = await admin(['projections', 'rebuild', 'nope', '--remote']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^coretex: 404 projection_not_found/);
  });
});

describe('coretex workers', () => {
  it('lists the live workers with their pools', async () => {
    const run = await admin(['workers', 'list', '--tenant', 'acme']);
    expect(run.code).toBe(0);
    const rows = tableRows(run.stdout);
    expect(rows[0]).toEqual(['WORKER ID', 'POOL', 'JOBS', 'LOAD', 'STATUS', 'HEARTBEAT']);
    expect(rows.map((r) => [r[0], r[1]])).toEqual(
      expect.arrayContaining([
        ['ok-1', 'ok'],
        ['broken-1', 'broken'],
      ]),
    );
    const json = await cli(['workers', 'list', '--pool', 'ok', '--json']);
    expect((JSON.parse(json.stdout) as { items: { worker_id: string }[] }).items.map((w) => w.worker_id)).toEqual([
      'ok-1',
    ]);
  });
});
