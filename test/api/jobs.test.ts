/**
 * Submitting and reading jobs (SPEC 1.3, 1.12) through the API with a real runtime — scheduler,
 * reconciler, read models — and a worker played over the protocol on the API's bus: a job submitted
 * over HTTP runs and is seen SUCCEEDED by a long poll; idempotent replays; the job's history. On the
 * embedded adapters and on NATS JetStream + Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeWorker } from '../support/fake-worker.ts';
import type { ProblemBody } from './support/answers.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';
import { expectProblem, get, post, startWorker, submitted } from './support/jobs.ts';

interface JobBody {
  job_id: string;
  state: string;
  attempt: number;
  worker_id: string | null;
  result: unknown;
  trace_id: string;
  safety: { decision: string; source: string } | null;
  created_at: string;
  updated_at: string;
  due_at: string | null;
  run_at: string | null;
  payload: unknown;
  position: string;
  tenant: string;
}

interface EventsBody {
  items: { type: string; position: string; actor: string; time: string; data: Record<string, unknown> }[];
  next_cursor: string | null;
}

describe.each<Backend>(['embedded', 'nats+redis'])('jobs on %s', (backend) => {
  let api: RunningApi;
  let worker: FakeWorker;
  beforeAll(async () => {
    api = await startApi({ backend, jobRoles: true });
    worker = await startWorker(api, { id: 'w1' });
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  it('POST /api/v1/jobs → 202, the worker runs it, GET ?wait= answers SUCCEEDED; its events in order', async () => {
    const res = await post(api, '/api/v1/jobs', { payload: { n: 1 }, labels: { team: 'red' } });
    expect(res.statusCode, res.body).toBe(202);
    const answer = res.json<{ job_id: string; trace_id: string; state: string; position: string }>();
    expect(answer).toMatchObject({ state: 'PENDING' });
    expect(answer.job_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(answer.trace_id).not.toBe('');
    expect(answer.position).toMatch(/^job:\d+$/);
    expect(res.headers['x-coretex-position']).toBe(answer.position);

    const done = await get(api, `/api/v1/jobs/${answer.job_id}?wait=20s`);
    expect(done.statusCode, done.body).toBe(200);
    const job = done.json<JobBody>();
    expect(job).toMatchObject({
      job_id: answer.job_id,
      tenant: 'acme',
      state: 'SUCCEEDED',
      attempt: 1,
      worker_id: 'w1',
      result: { echo: { n: 1 } },
      payload: { n: 1 },
      trace_id: answer.trace_id,
      safety: { decision: 'ALLOW', source: 'builtin' },
      due_at: null,
    });
    expect(Date.parse(job.created_at)).toBeLessThanOrEqual(Date.parse(job.updated_at));
    expect(Number(job.position.split(':')[1])).toBeGreaterThan(Number(answer.position.split(':')[1]));

    const events = (await get(api, `/api/v1/jobs/${answer.job_id}/events`)).json<EventsBody>();
    expect(events.items.map((e) => e.type)).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);
    expect(events.items[0]).toMatchObject({ actor: 'api:acmeOperator', position: answer.position });
    expect(events.items.at(-1)?.position).toBe(job.position);
    expect(events.next_cursor).toBeNull();
  });

  it('idempotency: the same key and body answer the original job (200); another body is 409', async () => {
    const key = `key-${backend}`;
    const first = await post(api, '/api/v1/jobs', { payload: { n: 2 } }, 'acmeOperator', { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(202);
    const again = await post(api, '/api/v1/jobs', { payload: { n: 2 } }, 'acmeOperator', { 'idempotency-key': key });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({
      job_id: first.json<{ job_id: string }>().job_id,
      trace_id: first.json<{ trace_id: string }>().trace_id,
    });
    expect(again.headers['x-coretex-position']).toMatch(/^job:\d+$/);
    // The key in the body is the same key.
    const inBody = await post(api, '/api/v1/jobs', { payload: { n: 2 }, idempotency_key: key });
    expect(inBody.statusCode).toBe(200);
    const other = await post(api, '/api/v1/jobs', { payload: { n: 3 } }, 'acmeOperator', { 'idempotency-key': key });
    expect(expectProblem(other, 409).code).toBe('idempotency_key_reused');
    // Another tenant's same key is another claim.
    const globex = await post(api, '/api/v1/jobs', { payload: { n: 3 } }, 'globexAdmin', { 'idempotency-key': key });
    expect(globex.statusCode).toBe(202);
  });

  it('a client job_id already used is 409', async () => {
    const id = `client-${backend.replace(/\W/g, '_')}`;
    expect((await post(api, '/api/v1/jobs', { job_id: id })).statusCode).toBe(202);
    expect(expectProblem(await post(api, '/api/v1/jobs', { job_id: id }), 409).code).toBe('job_exists');
    // With a key, the refusal leaves no claim behind: asking again is the same 409, never a "replay"
    // of a job this key did not create, and the key stays free for another job id.
    const headers = { 'idempotency-key': `taken-${id}` };
    for (let i = 0; i < 2; i++) {
      const again = await post(api, '/api/v1/jobs', { job_id: id }, 'acmeOperator', headers);
      expect(expectProblem(again, 409).code).toBe('job_exists');
    }
    expect((await post(api, '/api/v1/jobs', { job_id: `${id}-2` }, 'acmeOperator', headers)).statusCode).toBe(202);
  });
});

describe('jobs: input, traces, waits and access (embedded)', () => {
  let api: RunningApi;
  let worker: FakeWorker;
  beforeAll(async () => {
    api = await startApi({ jobRoles: true });
    worker = await startWorker(api, { id: 'w1' });
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  // Half a year ahead, on a whole second (run_at may be at most a year ahead).
  const later = Math.floor((Date.now() + 180 * 86_400_000) / 1000) * 1000;

  it('run_at as RFC 3339 or epoch ms; anything else is 400 naming run_at', async () => {
    const plusOne = new Date(later + 3_600_000).toISOString().replace(/\.000Z$/, '+01:00');
    const rfc = await submitted(api, { run_at: plusOne });
    const job = (await get(api, `/api/v1/jobs/${rfc.job_id}`)).json<JobBody>();
    expect(job).toMatchObject({ state: 'PENDING', run_at: new Date(later).toISOString() });
    const epoch = await submitted(api, { run_at: later });
    expect((await get(api, `/api/v1/jobs/${epoch.job_id}`)).json<JobBody>().run_at).toBe(new Date(later).toISOString());
    const tooFar = new Date(Date.now() + 400 * 86_400_000).toISOString();
    for (const runAt of ['2027-02-30T00:00:00Z', 'tomorrow', '2027-01-01', '1700000000000', -5, 1.5, tooFar]) {
      const res = await post(api, '/api/v1/jobs', { run_at: runAt });
      expectProblem(res, 400, 'run_at');
    }
  });

  it('400 names the field: unknown fields, wrong types, bad ids, domain limits; a payload over 256 KiB is 413', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ colour: 'red' }, 'colour'],
      [{ priority: 'urgent' }, 'priority'],
      [{ topic: 'mail' }, 'topic'],
      [{ job_id: 'has.dot' }, 'job_id'],
      [{ retry: { max_attempts: 0 } }, 'retry.max_attempts'],
      [{ retry: { tries: 3 } }, 'retry.tries'],
      [{ labels: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'labels'],
      [{ deadline_ms: 0 }, 'deadline_ms'],
    ];
    for (const [body, field] of cases) expectProblem(await post(api, '/api/v1/jobs', body), 400, field);
    const big = await post(api, '/api/v1/jobs', { payload: 'x'.repeat(256 * 1024 + 1) });
    expect(expectProblem(big, 413, 'payload').code).toBe('payload_too_large');
    const notJson = await api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: { ...api.auth('acmeOperator'), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(notJson.statusCode).toBe(415);
  });

  it('a refused submission with a key leaves the key free for the corrected one', async () => {
    const headers = { 'idempotency-key': 'fix-me' };
    expectProblem(await post(api, '/api/v1/jobs', { payload: 'x'.repeat(300_000) }, 'acmeOperator', headers), 413);
    expectProblem(await post(api, '/api/v1/jobs', { retry: { max_attempts: 1000 } }, 'acmeOperator', headers), 400);
    expect((await post(api, '/api/v1/jobs', { payload: 'ok' }, 'acmeOperator', headers)).statusCode).toBe(202);
    const mismatch = await post(api, '/api/v1/jobs', { idempotency_key: 'a' }, 'acmeOperator', {
      'idempotency-key': 'b',
    });
    expectProblem(mismatch, 400, 'Idempotency-Key');
  });

  it('a retry with the same key in a new trace span is the same request: the original job, 200', async () => {
    const span = (n: number) => ({ traceparent: `00-${String(n).repeat(32)}-00f067aa0ba902b7-01` });
    const headers = { 'idempotency-key': 'retry-in-new-span' };
    const first = await post(api, '/api/v1/jobs', { payload: 's' }, 'acmeOperator', { ...headers, ...span(1) });
    expect(first.statusCode).toBe(202);
    const retry = await post(api, '/api/v1/jobs', { payload: 's' }, 'acmeOperator', { ...headers, ...span(2) });
    expect(retry.statusCode).toBe(200);
    expect(retry.json<{ job_id: string }>().job_id).toBe(first.json<{ job_id: string }>().job_id);
    // The body still decides: another payload with the key is a conflict, whatever the span.
    const other = await post(api, '/api/v1/jobs', { payload: 't' }, 'acmeOperator', { ...headers, ...span(1) });
    expect(expectProblem(other, 409).code).toBe('idempotency_key_reused');
  });

  it('a W3C traceparent becomes the trace id and the worker’s env.traceparent; a body trace_id wins', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${trace}-00f067aa0ba902b7-01`;
    const res = await post(api, '/api/v1/jobs', { payload: 't' }, 'acmeOperator', { traceparent });
    expect(res.json<{ trace_id: string }>().trace_id).toBe(trace);
    const jobId = res.json<{ job_id: string }>().job_id;
    expect((await get(api, `/api/v1/jobs/${jobId}?wait=20s`)).json<JobBody>()).toMatchObject({
      state: 'SUCCEEDED',
      trace_id: trace,
    });
    const handed = worker.received.find((job) => job.job_id === jobId);
    expect(handed?.env).toMatchObject({ traceparent, trace_id: trace });
    const events = (await get(api, `/api/v1/jobs/${jobId}/events`)).json<EventsBody>();
    expect(events.items.every((e) => (e as { trace_id?: string }).trace_id === trace)).toBe(true);
    const own = await post(api, '/api/v1/jobs', { trace_id: 'mine' }, 'acmeOperator', { traceparent });
    expect(own.json<{ trace_id: string }>().trace_id).toBe('mine');
    const malformed = await post(api, '/api/v1/jobs', {}, 'acmeOperator', { traceparent: 'not-a-trace' });
    expect(malformed.statusCode).toBe(202);
    expect(malformed.json<{ trace_id: string }>().trace_id).not.toBe('not-a-trace');
  });

  it('GET ?wait= ends with the current state when the wait ends first; a bad wait is 400', async () => {
    const held = await submitted(api, { run_at: later });
    const started = Date.now();
    const res = await get(api, `/api/v1/jobs/${held.job_id}?wait=300ms`);
    expect(res.statusCode).toBe(200);
    expect(res.json<JobBody>().state).toBe('PENDING');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    for (const wait of ['10h', 'soon', '-1s']) {
      expectProblem(await get(api, `/api/v1/jobs/${held.job_id}?wait=${wait}`), 400, 'wait');
    }
  });

  it('GET events pages with cursor; unknown job and bad cursor', async () => {
    const job = await submitted(api, { payload: 'paged' });
    await get(api, `/api/v1/jobs/${job.job_id}?wait=20s`);
    const first = (await get(api, `/api/v1/jobs/${job.job_id}/events?limit=3`)).json<EventsBody>();
    expect(first.items).toHaveLength(3);
    expect(first.next_cursor).not.toBeNull();
    const rest = (
      await get(api, `/api/v1/jobs/${job.job_id}/events?limit=3&cursor=${first.next_cursor ?? ''}`)
    ).json<EventsBody>();
    expect(rest.items.map((e) => e.type)).toEqual(['JobSucceeded']);
    expect(rest.next_cursor).toBeNull();
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}/events?cursor=abc`), 400, 'cursor');
    expectProblem(await get(api, '/api/v1/jobs/nope/events'), 404);
    expectProblem(await get(api, '/api/v1/jobs/nope'), 404);
    expectProblem(await get(api, '/api/v1/jobs/bad%20id'), 400, 'id');
  });

  it('access: 401 without a key, 403 for a viewer submitting, 404 for another tenant, ?tenant= for * keys', async () => {
    const job = await submitted(api, { run_at: later });
    expectProblem(await post(api, '/api/v1/jobs', {}, null), 401);
    expect(expectProblem(await post(api, '/api/v1/jobs?tenant=globex', {}), 404).code).toBe('tenant_not_found');
    expect(expectProblem(await post(api, '/api/v1/jobs', {}, 'acmeViewer'), 403).code).toBe('role_required');
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}`, null), 401);
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}/events`, null), 401);
    // Another tenant's job does not exist for the caller, whatever it asks.
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}`, 'globexAdmin'), 404);
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}/events`, 'globexAdmin'), 404);
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}?tenant=acme`, 'globexAdmin'), 404);
    // A key bound to * names the tenant; without it, 400 naming tenant.
    expectProblem(await get(api, `/api/v1/jobs/${job.job_id}`, 'starViewer'), 400, 'tenant');
    const star = await get(api, `/api/v1/jobs/${job.job_id}?tenant=acme`, 'starViewer');
    expect(star.json<JobBody>()).toMatchObject({ job_id: job.job_id, tenant: 'acme' });
    expectProblem(await post(api, '/api/v1/jobs', {}, 'starAdmin'), 400, 'tenant');
    const starSubmit = await post(api, '/api/v1/jobs?tenant=globex', { run_at: later }, 'starAdmin');
    expect(starSubmit.statusCode).toBe(202);
    const globexJob = starSubmit.json<{ job_id: string }>().job_id;
    expect((await get(api, `/api/v1/jobs/${globexJob}`, 'globexAdmin')).statusCode).toBe(200);
    const problem: ProblemBody = expectProblem(await get(api, `/api/v1/jobs/${globexJob}`), 404);
    expect(problem.code).toBe('job_not_found');
  });
});

describe('long polls and shutdown (embedded)', () => {
  it('closing the server ends a pending ?wait= at once, answering the current state', async () => {
    const api = await startApi();
    try {
      const job = await submitted(api, { run_at: Date.now() + 3_600_000 });
      const started = Date.now();
      const pending = get(api, `/api/v1/jobs/${job.job_id}?wait=60s`);
      // The poll is under way once it has read the job; then the server closes.
      await new Promise((resolve) => setImmediate(resolve));
      const closing = api.app.close();
      const res = await pending;
      await closing;
      expect(res.statusCode).toBe(200);
      expect(res.json<JobBody>().state).toBe('PENDING');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await api.close();
    }
  });
});
