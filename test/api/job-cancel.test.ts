/**
 * Cancelling jobs (SPEC 1.9) through the API with a real runtime and a worker played over the
 * protocol: a running job becomes CANCELLED at once and its worker is told to stop; a finished job
 * answers 200 unchanged; bulk cancel by filter runs as a recorded operation whose progress is read
 * at `GET /api/v1/operations/{id}`. On the embedded adapters and on NATS JetStream + Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeWorker } from '../support/fake-worker.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';
import { expectProblem, get, post, startWorker, submitted } from './support/jobs.ts';

interface Answer {
  job_id: string;
  state: string;
  position: string;
}

interface OperationBody {
  operation_id: string;
  kind: string;
  status: string;
  processed: number;
  changed: number;
  failed: number;
  filter: Record<string, unknown>;
  reason: string | null;
  requested_by: string;
  requested_at: string;
  finished_at: string | null;
  position: string;
}

const later = () => Date.now() + 3_600_000;

describe.each<Backend>(['embedded', 'nats+redis'])('cancel on %s', (backend) => {
  let api: RunningApi;
  let worker: FakeWorker;
  beforeAll(async () => {
    api = await startApi({ backend, jobRoles: true });
    // Jobs asking to hang are accepted and never reported on, so they stay RUNNING until cancelled.
    worker = await startWorker(api, {
      id: 'w1',
      behave: (job) => ((job.payload as { hang?: boolean } | null)?.hang === true ? null : { status: 'SUCCEEDED' }),
    });
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  it('a running job becomes CANCELLED at once, its worker is told to stop; again: 200 unchanged', async () => {
    const job = await submitted(api, { payload: { hang: true } });
    await waitFor('the job to run', async () => {
      const res = await get(api, `/api/v1/jobs/${job.job_id}`);
      return res.json<{ state: string }>().state === 'RUNNING';
    });
    const res = await post(api, `/api/v1/jobs/${job.job_id}/cancel`, { reason: 'not needed' });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json<Answer>();
    expect(answer).toMatchObject({ job_id: job.job_id, state: 'CANCELLED' });
    expect(res.headers['x-coretex-position']).toBe(answer.position);
    await waitFor('the stop', () => worker.stops.some((stop) => stop.job_id === job.job_id));
    const view = (await get(api, `/api/v1/jobs/${job.job_id}`)).json<Record<string, unknown>>();
    expect(view).toMatchObject({
      state: 'CANCELLED',
      cancellation: { by: 'api:acmeOperator', reason: 'not needed' },
      position: answer.position,
    });
    const again = await post(api, `/api/v1/jobs/${job.job_id}/cancel`);
    expect(again.statusCode).toBe(200);
    expect(again.json<Answer>()).toEqual(answer);
  });

  it('a finished job answers 200 with its state, unchanged', async () => {
    const job = await submitted(api, { payload: { n: 1 } });
    const done = (await get(api, `/api/v1/jobs/${job.job_id}?wait=20s`)).json<Answer>();
    expect(done.state).toBe('SUCCEEDED');
    const res = await post(api, `/api/v1/jobs/${job.job_id}/cancel`, {});
    expect(res.statusCode).toBe(200);
    expect(res.json<Answer>()).toEqual({ job_id: job.job_id, state: 'SUCCEEDED', position: done.position });
  });

  it('bulk cancel by filter: 202 with an operation id, progress until every match is CANCELLED', async () => {
    const targets = await Promise.all(
      Array.from({ length: 7 }, (_, i) => submitted(api, { topic: 'job.bulk', run_at: later(), payload: i })),
    );
    const other = await submitted(api, { topic: 'job.keep', run_at: later() });
    const last = targets.map((t) => t.position).sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1]));
    // The operation pages through the jobs read model: read it up to the last submission first.
    expect((await get(api, `/api/v1/jobs?topic=job.bulk&min_position=${last.at(-1) ?? ''}`)).statusCode).toBe(200);
    const res = await post(api, '/api/v1/jobs/cancel', { filter: { topic: 'job.bulk' }, reason: 'cleanup' });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<{ operation_id: string; position: string; status_url: string }>();
    expect(started.position).toMatch(/^op:\d+$/);
    expect(res.headers['x-coretex-position']).toBe(started.position);
    expect(started.status_url).toBe(`/api/v1/operations/${started.operation_id}`);
    const finished = await waitFor('the operation to finish', async () => {
      const body = (await get(api, started.status_url)).json<OperationBody>();
      return body.status === 'SUCCEEDED' ? body : undefined;
    });
    expect(finished).toMatchObject({
      operation_id: started.operation_id,
      kind: 'bulk_cancel',
      processed: 7,
      changed: 7,
      failed: 0,
      filter: { topic: 'job.bulk' },
      reason: 'cleanup',
      requested_by: 'api:acmeOperator',
    });
    expect(finished.finished_at).not.toBeNull();
    for (const target of targets) {
      expect((await get(api, `/api/v1/jobs/${target.job_id}`)).json<Answer>().state).toBe('CANCELLED');
    }
    expect((await get(api, `/api/v1/jobs/${other.job_id}`)).json<Answer>().state).toBe('PENDING');
  });
});

describe('cancel: input and access (embedded)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('cancel: 404 unknown or another tenant’s; 400 names the field; 403 for a viewer; 401 without a key', async () => {
    const job = await submitted(api, { run_at: later() });
    const url = `/api/v1/jobs/${job.job_id}/cancel`;
    expect(expectProblem(await post(api, '/api/v1/jobs/nope/cancel'), 404).code).toBe('job_not_found');
    expectProblem(await post(api, url, undefined, 'globexAdmin'), 404);
    expectProblem(await post(api, url, { colour: 'red' }), 400, 'colour');
    expectProblem(await post(api, url, { reason: 42 }), 400, 'reason');
    expectProblem(await post(api, '/api/v1/jobs/a%20b/cancel'), 400, 'id');
    expectProblem(await post(api, url, undefined, 'acmeViewer'), 403);
    expectProblem(await post(api, url, undefined, null), 401);
    expectProblem(await post(api, url, undefined, 'starAdmin'), 400, 'tenant');
    const star = await post(api, `${url}?tenant=acme`, undefined, 'starAdmin');
    expect(star.json<Answer>()).toMatchObject({ state: 'CANCELLED' });
    const events = (await get(api, `/api/v1/jobs/${job.job_id}/events`)).json<{ items: { actor: string }[] }>();
    expect(events.items.at(-1)?.actor).toBe('api:starAdmin');
  });

  it('bulk cancel: 400 for no filter, unknown or unsupported filters; 403 for a viewer; 401', async () => {
    const before = await api.heads();
    expectProblem(await post(api, '/api/v1/jobs/cancel', {}), 400, 'filter');
    expectProblem(await post(api, '/api/v1/jobs/cancel', { filter: {} }), 400, 'filter');
    expectProblem(await post(api, '/api/v1/jobs/cancel', { filter: { colour: 'red' } }), 400, 'filter.colour');
    expectProblem(await post(api, '/api/v1/jobs/cancel', { filter: { state: 'NOPE' } }), 400, 'filter.state');
    expect(
      expectProblem(await post(api, '/api/v1/jobs/cancel', { filter: { topic: 'job.a', team: 'red' } }), 400).code,
    ).toBe('unsupported_filter');
    expectProblem(await post(api, '/api/v1/jobs/cancel', { filter: { team: 'red' } }, 'acmeViewer'), 403);
    expectProblem(await post(api, '/api/v1/jobs/cancel', { filter: { team: 'red' } }, null), 401);
    expectProblem(await post(api, '/api/v1/jobs/cancel?tenant=globex', { filter: { team: 'red' } }), 404);
    expect(await api.heads()).toEqual(before);
  });

  it('GET /api/v1/operations/{id}: 404 unknown or another tenant’s, 400 bad id, 401 without a key', async () => {
    const res = await post(api, '/api/v1/jobs/cancel', { filter: { state: 'PENDING' } });
    const id = res.json<{ operation_id: string }>().operation_id;
    const found = (await get(api, `/api/v1/operations/${id}`)).json<OperationBody>();
    // No runner in this process: it stays RUNNING, recorded.
    expect(found).toMatchObject({ operation_id: id, status: 'RUNNING', processed: 0, kind: 'bulk_cancel' });
    expectProblem(await get(api, '/api/v1/operations/nope'), 404);
    expectProblem(await get(api, `/api/v1/operations/${id}`, 'globexAdmin'), 404);
    expectProblem(await get(api, '/api/v1/operations/a.b'), 400, 'id');
    expectProblem(await get(api, `/api/v1/operations/${id}`, null), 401);
    expect((await get(api, `/api/v1/operations/${id}?tenant=acme`, 'starViewer')).statusCode).toBe(200);
  });
});
