/**
 * The job runtime end to end (issue 6): `coretex start` and `coretex worker --example` as separate
 * processes on real NATS + Redis, HTTP from outside. Each test routes its own topic to its own pool,
 * so the workers of one test never take another's jobs.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { connect } from '@nats-io/transport-node';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { JOB_STATUSES } from '../../src/domain/job/events.ts';
import { type E2E, eventTypes, finished, startInstallation, TERMINAL } from './support/installation.ts';
import { KEYS, killAll, startWorker, type WorkerProcess } from './support/processes.ts';

const TOPICS = ['basic', 'alias', 'flaky', 'kill', 'cancel', 'early', 'late', 'spread', 'approve', 'kernel'];

const SYSTEM = {
  routing: {
    topics: Object.fromEntries([...TOPICS.map((t) => [`job.${t}`, t]), ['job.forbidden', 'basic']]),
    pools: Object.fromEntries(TOPICS.map((t) => [t, { requires: [] }])),
  },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000, topics: { 'job.kill': { running_ms: 2_000 } } },
  safety: { rules: { deny_topics: ['job.forbidden'], approval_risk_tags: ['pii'] } },
};

let e: E2E;
beforeAll(async () => {
  e = await startInstallation(SYSTEM);
}, 60_000);
afterEach(async () => {
  // The workers a test started go; Coretex stays for the whole file (the last test checks its counts).
  await killAll([e.coretex]).catch(() => {});
});
afterAll(async () => {
  await killAll();
});

const worker = (options: Parameters<typeof startWorker>[1]): Promise<WorkerProcess> =>
  startWorker(e.installation, options);

describe('jobs end to end (processes, NATS + Redis)', () => {
  it('runs a submitted job to SUCCEEDED with the worker result, in four events', async () => {
    await worker({ id: 'basic-1', pool: 'basic' });
    const submitted = await e.api.post<{ job_id: string; state: string; position: string }>('/api/v1/jobs', {
      topic: 'job.basic',
      payload: { hello: 'world' },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ state: 'PENDING', position: expect.stringMatching(/^job:\d+$/) });
    const job = await finished(e.api, submitted.body.job_id);
    expect(job).toMatchObject({
      state: 'SUCCEEDED',
      worker_id: 'basic-1',
      result: { echo: { hello: 'world' }, worker_id: 'basic-1' },
    });
    expect(await eventTypes(e.api, submitted.body.job_id)).toEqual([
      'JobSubmitted',
      'JobScheduled',
      'JobDispatched',
      'JobSucceeded',
    ]);
  });

  it('treats COMPLETED as success', async () => {
    await worker({ id: 'alias-1', pool: 'alias', status: 'COMPLETED' });
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.alias', payload: 1 });
    expect(await finished(e.api, submitted.body.job_id)).toMatchObject({ state: 'SUCCEEDED' });
  });

  it('retries a failing job with backoff, then FAILED with a DLQ entry; a DLQ retry (asked twice) makes exactly one job', async () => {
    const flaky = await worker({ id: 'flaky-1', pool: 'flaky', failFirst: 3 });
    const request = {
      topic: 'job.flaky',
      payload: { n: 7 },
      priority: 'interactive',
      labels: { env: 'e2e' },
      retry: { max_attempts: 3, initial_backoff_ms: 200, multiplier: 2, max_backoff_ms: 5_000 },
    };
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', request);
    const job = await finished(e.api, submitted.body.job_id);
    expect(job).toMatchObject({ state: 'FAILED', attempt: 3 });
    // Backoff: the attempts started at least 200 ms and then 400 ms apart.
    const starts = flaky
      .executions()
      .filter((x) => x.event === 'start' && x.job_id === submitted.body.job_id)
      .map((x) => Number(x.at));
    expect(starts).toHaveLength(3);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(150);
    expect((starts[2] as number) - (starts[1] as number)).toBeGreaterThanOrEqual(300);
    const entry = await waitFor('the DLQ entry', async () => {
      const answer = await e.api.get<{ final_state?: string }>(`/api/v1/dlq/${submitted.body.job_id}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(entry).toMatchObject({ final_state: 'FAILED', attempts: 3, request: { payload: { n: 7 } } });
    // A DLQ retry asked twice (concurrently) makes exactly one new job, with the full original request.
    const [first, second] = await Promise.all([
      e.api.post<{ job_id: string }>(`/api/v1/dlq/${submitted.body.job_id}/retry`),
      e.api.post<{ job_id: string }>(`/api/v1/dlq/${submitted.body.job_id}/retry`),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body.job_id).toBe(`${submitted.body.job_id}.r1`);
    expect(second.body.job_id).toBe(first.body.job_id);
    const retried = await e.api.get<{ retry_of?: string; priority?: string; labels?: unknown }>(
      `/api/v1/jobs/${first.body.job_id}`,
    );
    expect(retried.body).toMatchObject({
      retry_of: submitted.body.job_id,
      priority: 'interactive',
      labels: { env: 'e2e' },
    });
    expect((await eventTypes(e.api, first.body.job_id)).filter((t) => t === 'JobSubmitted')).toHaveLength(1);
    // The retry is a new job with attempts of its own, which this worker fails too: it ends FAILED.
    expect(await finished(e.api, first.body.job_id)).toMatchObject({ state: 'FAILED', attempt: 3 });
  });

  it('times out the attempt of a worker killed mid-job and retries it on another worker', async () => {
    const doomed = await worker({ id: 'kill-1', pool: 'kill', sleepMs: 60_000 });
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', {
      topic: 'job.kill',
      retry: { max_attempts: 2, initial_backoff_ms: 100 },
    });
    await waitFor('the job running on the doomed worker', () => doomed.executions().some((x) => x.event === 'start'));
    await doomed.kill();
    await worker({ id: 'kill-2', pool: 'kill' });
    const job = await finished(e.api, submitted.body.job_id);
    expect(job).toMatchObject({ state: 'SUCCEEDED', attempt: 2, worker_id: 'kill-2' });
    expect(await eventTypes(e.api, submitted.body.job_id)).toContain('JobAttemptTimedOut');
  });

  it('cancels a running job: the worker aborts it and its late result changes nothing', async () => {
    const w = await worker({ id: 'cancel-1', pool: 'cancel', sleepMs: 60_000 });
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.cancel' });
    await waitFor('running', () => w.executions().some((x) => x.event === 'start'));
    const cancelled = await e.api.post<{ state: string }>(`/api/v1/jobs/${submitted.body.job_id}/cancel`, {
      reason: 'changed my mind',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('CANCELLED');
    await waitFor('the worker to abort', () =>
      w.executions().some((x) => x.event !== 'start' && x.job_id === submitted.body.job_id),
    );
    const job = await finished(e.api, submitted.body.job_id);
    expect(job.state).toBe('CANCELLED');
    expect(await eventTypes(e.api, submitted.body.job_id)).toEqual([
      'JobSubmitted',
      'JobScheduled',
      'JobDispatched',
      'JobCancelled',
    ]);
    expect((await e.api.get(`/api/v1/dlq/${submitted.body.job_id}`)).status).toBe(404);
  });

  it('lets a cancel that reaches the worker before its job win', async () => {
    // The worker reads hand-offs late (a slow network): the stop arrives before the job does.
    const w = await worker({ id: 'early-1', pool: 'early', handOffDelayMs: 1_500 });
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.early' });
    await waitFor('scheduled', async () => (await eventTypes(e.api, submitted.body.job_id)).includes('JobScheduled'));
    const cancel = await e.api.post(`/api/v1/jobs/${submitted.body.job_id}/cancel`);
    expect(cancel.status).toBe(200);
    expect((await finished(e.api, submitted.body.job_id)).state).toBe('CANCELLED');
    // The hand-off, read late, is refused because of the stop; the job never ran.
    await waitFor('the late hand-off refused', () =>
      w.executions().some((x) => x.job_id === submitted.body.job_id && x.event === 'refuse'),
    );
    expect(w.executions().filter((x) => x.job_id === submitted.body.job_id)).toEqual([
      expect.objectContaining({ event: 'refuse', reason: 'stopped' }),
    ]);
  });

  it('denies by the built-in policy: DENIED and a DLQ entry', async () => {
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.forbidden' });
    expect((await finished(e.api, submitted.body.job_id)).state).toBe('DENIED');
    const entry = await waitFor('the DLQ entry', async () => {
      const answer = await e.api.get<{ reason_code?: string }>(`/api/v1/dlq/${submitted.body.job_id}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(entry.reason_code).toBe('safety_denied');
  });

  it('waits for approval; a wrong request_hash is 409, the right one runs the job', async () => {
    await worker({ id: 'approve-1', pool: 'approve' });
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', {
      topic: 'job.approve',
      risk_tags: ['pii'],
    });
    const waiting = await waitFor('the approval request', async () => {
      const answer = await e.api.get<{ items: { job_id: string; request_hash: string; policy_version: string }[] }>(
        '/api/v1/approvals',
      );
      return answer.body.items?.find((item) => item.job_id === submitted.body.job_id);
    });
    expect(waiting.policy_version).toEqual(expect.any(String));
    const wrong = await e.api.post(`/api/v1/approvals/${submitted.body.job_id}/approve`, {
      request_hash: 'not-the-hash',
    });
    expect(wrong.status).toBe(409);
    const right = await e.api.post(`/api/v1/approvals/${submitted.body.job_id}/approve`, {
      request_hash: waiting.request_hash,
      reason: 'ok',
    });
    expect(right.status).toBe(200);
    expect(await finished(e.api, submitted.body.job_id)).toMatchObject({ state: 'SUCCEEDED', worker_id: 'approve-1' });
  });

  it('holds a job while no worker serves its pool and dispatches it when one appears', async () => {
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.late' });
    await waitFor('a failed hand-off (no responders)', async () =>
      (await eventTypes(e.api, submitted.body.job_id)).includes('JobDispatchFailed'),
    );
    await worker({ id: 'late-1', pool: 'late' });
    expect(await finished(e.api, submitted.body.job_id)).toMatchObject({ state: 'SUCCEEDED', worker_id: 'late-1' });
  });

  it('spreads jobs over workers in proportion to their capacity (least loaded)', async () => {
    const workers = await Promise.all([
      worker({ id: 'spread-1', pool: 'spread', maxParallel: 1, sleepMs: 150 }),
      worker({ id: 'spread-2', pool: 'spread', maxParallel: 2, sleepMs: 150 }),
      worker({ id: 'spread-4', pool: 'spread', maxParallel: 4, sleepMs: 150 }),
    ]);
    const jobs = await Promise.all(
      Array.from({ length: 70 }, (_, n) =>
        e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.spread', payload: n }),
      ),
    );
    for (const job of jobs) expect((await finished(e.api, job.body.job_id, 60_000)).state).toBe('SUCCEEDED');
    const counts = workers.map((w) => w.executions().filter((x) => x.event === 'start').length);
    expect(counts.reduce((a, b) => a + b)).toBe(70);
    // Ideal shares 10 / 20 / 40: each within a generous band, and in order.
    expect(counts[0]).toBeLessThan(counts[1] as number);
    expect(counts[1]).toBeLessThan(counts[2] as number);
    expect(counts[2]).toBeGreaterThanOrEqual(28);
  }, 90_000);

  it('gives jobs to a worker that never heartbeats, through its pool queue', async () => {
    const { connect } = await import('@nats-io/transport-node');
    const nc = await connect({ servers: e.installation.natsUrl });
    const prefix = e.installation.prefix;
    const seen: string[] = [];
    nc.subscribe(`${prefix}.q.basic.job.basic`, {
      queue: 'basic',
      callback: (_error, msg) => {
        const job = JSON.parse(new TextDecoder().decode(msg.data)) as {
          job_id: string;
          tenant: string;
          attempt: number;
          token: string;
          result_subject: string;
        };
        seen.push(job.job_id);
        msg.respond(JSON.stringify({ accepted: true, worker_id: 'silent-1', started_at: Date.now() }));
        nc.publish(
          job.result_subject,
          JSON.stringify({
            type: 'result',
            job_id: job.job_id,
            tenant: job.tenant,
            attempt: job.attempt,
            token: job.token,
            worker_id: 'silent-1',
            status: 'SUCCEEDED',
            result: 'quiet',
            sent_at: Date.now(),
          }),
        );
      },
    });
    await nc.flush();
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.basic' });
    expect(await finished(e.api, submitted.body.job_id)).toMatchObject({
      state: 'SUCCEEDED',
      worker_id: 'silent-1',
      result: 'quiet',
    });
    expect(seen).toEqual([submitted.body.job_id]);
    await nc.close();
  });

  it("ignores a result sent for another worker's attempt (wrong token), and counts it", async () => {
    const w = await worker({ id: 'basic-2', pool: 'basic', sleepMs: 2_000 });
    const submitted = await e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.basic' });
    await waitFor('running', () => w.executions().some((x) => x.event === 'start'));
    const { connect } = await import('@nats-io/transport-node');
    const { jetstream } = await import('@nats-io/jetstream');
    const nc = await connect({ servers: e.installation.natsUrl });
    const before = await metric(e, 'coretex_worker_reports_ignored_total');
    for (let p = 0; p < 4; p++) {
      await jetstream(nc).publish(
        `${e.installation.prefix}.sys.job.result.${p}`,
        JSON.stringify({
          type: 'result',
          job_id: submitted.body.job_id,
          tenant: 'acme',
          attempt: 1,
          token: 'forged',
          worker_id: 'impostor',
          status: 'FAILED',
          sent_at: Date.now(),
        }),
      );
    }
    await nc.close();
    const job = await finished(e.api, submitted.body.job_id);
    expect(job).toMatchObject({ state: 'SUCCEEDED', worker_id: 'basic-2' });
    await waitFor(
      'the ignored report counted',
      async () => (await metric(e, 'coretex_worker_reports_ignored_total')) > before,
    );
  });

  it('defers jobs while the remote safety kernel is down (breaker open) and runs them all once it is back', async () => {
    let healthy = false;
    const kernel: Server = createServer((request, response) => {
      request.resume();
      if (!healthy) {
        response.writeHead(503).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ decision: 'ALLOW', policy_version: 'kernel-1' }));
    });
    await new Promise<void>((resolve) => kernel.listen(0, '127.0.0.1', resolve));
    const address = kernel.address() as { port: number };
    try {
      const org = await e.admin.put('/api/v1/config/org/acme', {
        data: {
          safety: {
            remote: { url: `http://127.0.0.1:${address.port}/decide`, timeout_ms: 500 },
            breaker: { failure_threshold: 2, open_ms: 1_000, half_open_max_probes: 1, success_threshold: 1 },
          },
        },
      });
      expect(org.status).toBe(200);
      await worker({ id: 'kernel-1', pool: 'kernel' });
      const jobs = await Promise.all(
        Array.from({ length: 8 }, () => e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.kernel' })),
      );
      await waitFor(
        'jobs deferred',
        async () =>
          (await Promise.all(jobs.map((j) => eventTypes(e.api, j.body.job_id)))).filter((t) =>
            t.includes('JobDeferred'),
          ).length >= 6,
      );
      healthy = true;
      for (const job of jobs) expect((await finished(e.api, job.body.job_id, 60_000)).state).toBe('SUCCEEDED');
      for (const job of jobs)
        expect(
          (await eventTypes(e.api, job.body.job_id)).filter((t) => t === 'JobDeferred').length,
        ).toBeLessThanOrEqual(1);
    } finally {
      await e.admin.call('DELETE', '/api/v1/config/org/acme');
      kernel.close();
    }
  }, 90_000);
});

describe('at quiescence after the suite', () => {
  it('the job counts by state on /metrics equal those of the read model and of the event store', async () => {
    const nc = await connect({ servers: e.installation.natsUrl });
    const events = await JetStreamEventStore.open(nc, {
      prefix: e.installation.prefix,
      partitions: 4,
      replicas: 1,
      hotWindowMs: 72 * 3600_000,
      maxBytes: -1,
      duplicateWindowMs: 30_000,
    });
    try {
      const counts = await waitFor(
        'the three counts to agree',
        async () => {
          const [fromMetrics, fromReadModel, fromEvents] = await Promise.all([
            metricsByState(e),
            readModelByState(e),
            eventStoreByState(events),
          ]);
          const same = (a: Record<string, number>, b: Record<string, number>) =>
            JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
          return same(fromMetrics, fromReadModel) && same(fromReadModel, fromEvents) && fromEvents;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      // Every job of the suite ended, and there were plenty of them.
      expect(
        Object.keys(counts).filter((state) => !TERMINAL.includes(state)),
        JSON.stringify(counts),
      ).toEqual([]);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(80);
    } finally {
      await events.close();
      await nc.close();
    }
  });
});

function sorted(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b));
}

async function metricsByState(installation: E2E): Promise<Record<string, number>> {
  const text = await (
    await fetch(`${installation.coretex.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } })
  ).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^coretex_jobs\{(?:[^}]*,)?state="([A-Z_]+)"[^}]*\} (\d+)/.exec(line);
    if (match !== null) counts[match[1] as string] = (counts[match[1] as string] ?? 0) + Number(match[2]);
  }
  return counts;
}

async function readModelByState(installation: E2E): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const state of JOB_STATUSES) {
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: unknown[]; next_cursor: string | null } } =
        await installation.api.get(
          `/api/v1/jobs?state=${state}&limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        );
      expect(page.status).toBe(200);
      counts[state] = (counts[state] ?? 0) + page.body.items.length;
      cursor = page.body.next_cursor;
    } while (cursor !== null);
  }
  return counts;
}

/** Folds the job stream straight from JetStream: each job's last recorded status. */
async function eventStoreByState(events: JetStreamEventStore): Promise<Record<string, number>> {
  const last = new Map<string, string>();
  for (let from = 1; ;) {
    const batch = await events.readAll('job', { from, limit: 1_000 });
    for (const event of batch) {
      const status = (event.data as { status_after?: string | null }).status_after;
      if (typeof status === 'string') last.set(event.stream_id, status);
    }
    if (batch.length < 1_000) break;
    from = (batch.at(-1)?.position ?? from) + 1;
  }
  const counts: Record<string, number> = {};
  for (const status of last.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function metric(installation: E2E, name: string): Promise<number> {
  const response = await fetch(`${installation.coretex.url}/metrics`, {
    headers: { authorization: `Bearer ${(await import('./support/processes.ts')).KEYS.admin}` },
  });
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
