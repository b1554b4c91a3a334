/**
 * The DLQ (SPEC 1.10) through the API, with a real runtime and a worker that fails the jobs asking it
 * to (their retries, `<id>.r1`, succeed): entries appear for failed jobs with their full request;
 * retry creates one new job however often it is asked (201, then 200 with the same job); delete is 204
 * with a position and keeps the history; bulk retry by filter runs as an operation. On the embedded
 * adapters and on NATS JetStream + Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeWorker } from '../support/fake-worker.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';
import { call, expectProblem, get, post, startWorker, submitted } from './support/jobs.ts';

interface Entry {
  job_id: string;
  tenant: string;
  topic: string;
  final_state: string;
  reason_code: string;
  reason: string;
  attempts: number;
  worker_id: string | null;
  created_at: string;
  retries: number;
  retried_as: string | null;
  request?: Record<string, unknown>;
  position?: string;
}

async function failingWorker(api: RunningApi): Promise<FakeWorker> {
  return startWorker(api, {
    id: 'w1',
    behave: (job) => {
      const fail = (job.payload as { fail?: string } | null)?.fail;
      return fail !== undefined && !job.job_id.includes('.')
        ? { status: 'FAILED', error_code: fail, error_message: `failed: ${fail}`, retryable: false }
        : { status: 'SUCCEEDED', result: { ok: true } };
    },
  });
}

/** Submits a job the worker fails with `code`; resolves once its DLQ entry can be read. */
async function deadLettered(api: RunningApi, code: string, extra: Record<string, unknown> = {}): Promise<Entry> {
  const job = await submitted(api, { payload: { fail: code }, ...extra });
  return waitFor(
    `the DLQ entry of ${job.job_id}`,
    async () => {
      const res = await get(api, `/api/v1/dlq/${job.job_id}`);
      return res.statusCode === 200 ? res.json<Entry>() : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

describe.each<Backend>(['embedded', 'nats+redis'])('DLQ on %s', (backend) => {
  let api: RunningApi;
  let worker: FakeWorker;
  beforeAll(async () => {
    api = await startApi({ backend, jobRoles: true });
    worker = await failingWorker(api);
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  it('a failed job’s entry has its full request; the list finds entries by reason_code and topic', async () => {
    const entry = await deadLettered(api, 'boom', { labels: { owner: 'ops' }, priority: 'critical' });
    expect(entry).toMatchObject({
      tenant: 'acme',
      topic: 'job.default',
      final_state: 'FAILED',
      reason_code: 'boom',
      reason: 'failed: boom',
      attempts: 1,
      worker_id: 'w1',
      retries: 0,
      retried_as: null,
      request: { payload: { fail: 'boom' }, labels: { owner: 'ops' }, priority: 'critical', topic: 'job.default' },
    });
    expect(entry.position).toMatch(/^dlq:\d+$/);
    // No pool serves this topic: FAILED at once, dead-lettered as no_pool_mapping.
    const unrouted = await deadLettered(api, 'never', { topic: 'job.other' });
    expect(unrouted).toMatchObject({ reason_code: 'no_pool_mapping', attempts: 0, worker_id: null });
    const byReason = await waitFor('the DLQ list', async () => {
      const res = await get(api, `/api/v1/dlq?reason_code=boom&min_position=${entry.position ?? ''}`);
      const items = res.json<{ items: Entry[] }>().items;
      return items.length > 0 ? items : undefined;
    });
    expect(byReason.map((item) => item.job_id)).toEqual([entry.job_id]);
    expect(byReason[0]).not.toHaveProperty('request');
    const byTopic = await get(api, `/api/v1/dlq?topic=job.other&min_position=${unrouted.position ?? ''}`);
    expect(byTopic.json<{ items: Entry[] }>().items.map((item) => item.job_id)).toEqual([unrouted.job_id]);
    expect((await get(api, '/api/v1/dlq?topic=job.nothing')).json<{ items: Entry[] }>().items).toEqual([]);
  });

  it('retry twice → one new job: 201, then 200 with the same job; it runs with retry_of', async () => {
    const entry = await deadLettered(api, 'flaky');
    const first = await post(api, `/api/v1/dlq/${entry.job_id}/retry`);
    expect(first.statusCode, first.body).toBe(201);
    const created = first.json<{ job_id: string; retry_of: string; position: string }>();
    expect(created).toMatchObject({ job_id: `${entry.job_id}.r1`, retry_of: entry.job_id });
    expect(first.headers['x-coretex-position']).toBe(created.position);
    const second = await post(api, `/api/v1/dlq/${entry.job_id}/retry`, {});
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ job_id: created.job_id, retry_of: entry.job_id });
    const job = (await get(api, `/api/v1/jobs/${created.job_id}?wait=20s`)).json<Record<string, unknown>>();
    expect(job).toMatchObject({ state: 'SUCCEEDED', retry_of: entry.job_id, payload: { fail: 'flaky' } });
    const list = (await get(api, `/api/v1/jobs?min_position=${created.position}`)).json<{
      items: { job_id: string }[];
    }>();
    expect(list.items.filter((item) => item.job_id.startsWith(`${entry.job_id}.`))).toHaveLength(1);
    expect((await get(api, `/api/v1/dlq/${entry.job_id}`)).json<Entry>()).toMatchObject({
      retries: 1,
      retried_as: created.job_id,
    });
  });

  it('delete: 204 with a position, then 404 (history kept); deleting again is 204; the history carries the job’s trace', async () => {
    const entry = await deadLettered(api, 'gone', { trace_id: 'trace-of-gone' });
    const res = await call(api, { method: 'DELETE', url: `/api/v1/dlq/${entry.job_id}` });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const position = res.headers['x-coretex-position'] as string;
    expect(position).toMatch(/^dlq:\d+$/);
    expect(expectProblem(await get(api, `/api/v1/dlq/${entry.job_id}`), 404).code).toBe('dlq_entry_deleted');
    const list = (await get(api, `/api/v1/dlq?reason_code=gone&min_position=${position}`)).json<{ items: Entry[] }>();
    expect(list.items).toEqual([]);
    expect((await call(api, { method: 'DELETE', url: `/api/v1/dlq/${entry.job_id}` })).statusCode).toBe(204);
    const events = await api.events.read({ type: 'dlq', tenant: 'acme', id: entry.job_id }, { from: 1 });
    expect(events.events.map((e) => e.type)).toEqual(['DlqEntryAdded', 'DlqEntryDeleted']);
    expect(events.events.map((e) => e.trace_id)).toEqual(['trace-of-gone', 'trace-of-gone']);
  });

  it('bulk retry by filter: an operation that retries each match once', async () => {
    const entries = await Promise.all([
      deadLettered(api, 'bulk'),
      deadLettered(api, 'bulk'),
      deadLettered(api, 'bulk'),
    ]);
    await waitFor('the DLQ read model', async () => {
      const res = await get(api, '/api/v1/dlq?reason_code=bulk');
      return res.json<{ items: Entry[] }>().items.length === 3;
    });
    const res = await post(api, '/api/v1/dlq/retry', { filter: { reason_code: 'bulk' } });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<{ operation_id: string; status_url: string; position: string }>();
    expect(res.headers['x-coretex-position']).toBe(started.position);
    const finished = await waitFor('the operation', async () => {
      const body = (await get(api, started.status_url)).json<{ status: string; changed: number; kind: string }>();
      return body.status === 'SUCCEEDED' ? body : undefined;
    });
    expect(finished).toMatchObject({ kind: 'bulk_dlq_retry', changed: 3, processed: 3 });
    for (const entry of entries) {
      const job = (await get(api, `/api/v1/jobs/${entry.job_id}.r1?wait=20s`)).json<{ state: string }>();
      expect(job.state).toBe('SUCCEEDED');
    }
    // Again: every entry was retried already, so nothing new.
    const again = (await post(api, '/api/v1/dlq/retry', { filter: { reason_code: 'bulk' } })).json<{
      status_url: string;
    }>();
    const second = await waitFor('the second operation', async () => {
      const body = (await get(api, again.status_url)).json<{ status: string; changed: number; processed: number }>();
      return body.status === 'SUCCEEDED' ? body : undefined;
    });
    expect(second).toMatchObject({ changed: 0, processed: 3 });
  });
});

describe('DLQ: input and access (embedded)', () => {
  let api: RunningApi;
  let worker: FakeWorker;
  let entry: Entry;
  beforeAll(async () => {
    api = await startApi({ jobRoles: true });
    worker = await failingWorker(api);
    entry = await deadLettered(api, 'access');
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  it('list: 400 names the field, 404 another tenant, 401 without a key; a * key lists every tenant', async () => {
    const combined = expectProblem(await get(api, '/api/v1/dlq?topic=job.default&reason_code=x'), 400, 'reason_code');
    expect(combined.code).toBe('unsupported_filter');
    expectProblem(await get(api, '/api/v1/dlq?from=yesterday'), 400, 'from');
    expectProblem(await get(api, '/api/v1/dlq?limit=501'), 400, 'limit');
    expectProblem(await get(api, '/api/v1/dlq?colour=red'), 400, 'colour');
    expectProblem(await get(api, '/api/v1/dlq?cursor=bad'), 400, 'cursor');
    expectProblem(await get(api, '/api/v1/dlq?min_position=job:1'), 400, 'min_position');
    expectProblem(await get(api, '/api/v1/dlq?tenant=globex'), 404);
    expectProblem(await get(api, '/api/v1/dlq', null), 401);
    expect((await get(api, '/api/v1/dlq', 'globexAdmin')).json<{ items: Entry[] }>().items).toEqual([]);
    const all = await waitFor('the DLQ list', async () => {
      const items = (await get(api, '/api/v1/dlq', 'starViewer')).json<{ items: Entry[] }>().items;
      return items.length > 0 ? items : undefined;
    });
    expect(all.map((item) => item.job_id)).toContain(entry.job_id);
  });

  it('one entry: 404 unknown or another tenant’s, 400 bad id or no tenant for a * key, 401', async () => {
    expectProblem(await get(api, '/api/v1/dlq/nope'), 404);
    expectProblem(await get(api, `/api/v1/dlq/${entry.job_id}`, 'globexAdmin'), 404);
    expectProblem(await get(api, '/api/v1/dlq/a%20b'), 400, 'job_id');
    expectProblem(await get(api, `/api/v1/dlq/${entry.job_id}`, 'starViewer'), 400, 'tenant');
    expect((await get(api, `/api/v1/dlq/${entry.job_id}?tenant=acme`, 'starViewer')).statusCode).toBe(200);
    expectProblem(await get(api, `/api/v1/dlq/${entry.job_id}`, null), 401);
  });

  it('delete and retry: 403 for a viewer, 401, 404 unknown or another tenant’s, 400 bad id or body; nothing written', async () => {
    const before = await api.heads();
    for (const [method, suffix] of [
      ['DELETE', ''],
      ['POST', '/retry'],
    ] as const) {
      const url = `/api/v1/dlq/${entry.job_id}${suffix}`;
      expectProblem(await call(api, { method, url, key: 'acmeViewer' }), 403);
      expectProblem(await call(api, { method, url, key: null }), 401);
      expectProblem(await call(api, { method, url, key: 'globexAdmin' }), 404);
      expectProblem(await call(api, { method, url: `/api/v1/dlq/nope${suffix}` }), 404);
      expectProblem(await call(api, { method, url: `/api/v1/dlq/a%20b${suffix}` }), 400, 'job_id');
      expectProblem(await call(api, { method, url, body: { force: true } }), 400);
    }
    expect(await api.heads()).toEqual(before);
  });

  it('bulk retry: 400 names the field, 403 for a viewer, 401, 404 another tenant', async () => {
    const before = await api.heads();
    expectProblem(await post(api, '/api/v1/dlq/retry', {}), 400, 'filter');
    expectProblem(await post(api, '/api/v1/dlq/retry', { filter: { state: 'FAILED' } }), 400, 'filter.state');
    expectProblem(
      await post(api, '/api/v1/dlq/retry', { filter: { topic: 'job.a', reason_code: 'x' } }),
      400,
      'reason_code',
    );
    expectProblem(await post(api, '/api/v1/dlq/retry', { filter: {} }, 'acmeViewer'), 403);
    expectProblem(await post(api, '/api/v1/dlq/retry', { filter: {} }, null), 401);
    expectProblem(await post(api, '/api/v1/dlq/retry?tenant=globex', { filter: {} }), 404);
    expectProblem(await post(api, '/api/v1/dlq/retry', { filter: {} }, 'starAdmin'), 400, 'tenant');
    expect(await api.heads()).toEqual(before);
  });
});
