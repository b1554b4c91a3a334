/**
 * Workers (SPEC 1.5), the status page's runtime fields, and parked inputs (SPEC 5) through the API:
 * workers played over the protocol heartbeat into the registry bucket and show with their load;
 * cordons come from the caller's routing config; the status shows the breaker and the live count;
 * parked inputs are listed and replayed (unparked on success, 409 when the replay fails again). On the
 * embedded adapters and on NATS JetStream + Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusAnswer } from './support/answers.ts';
import type { FakeWorker } from '../support/fake-worker.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';
import { call, expectProblem, get, post, startWorker, submitted } from './support/jobs.ts';

interface WorkerBody {
  worker_id: string;
  pool: string;
  capabilities: string[];
  active_jobs: number;
  max_parallel_jobs: number;
  load_score: number;
  overloaded: boolean;
  cordoned: boolean;
  heartbeat_at: string;
  expires_at: string;
}

interface ParkedBody {
  id: string;
  source: string;
  position: number;
  error: string;
  attempts: number;
  parked_at: string;
  input: unknown;
}

describe.each<Backend>(['embedded', 'nats+redis'])('workers and parked inputs on %s', (backend) => {
  let api: RunningApi;
  const workers: FakeWorker[] = [];
  beforeAll(async () => {
    api = await startApi({ backend });
    workers.push(await startWorker(api, { id: 'w1', maxParallel: 4 }));
    workers.push(await startWorker(api, { id: 'w2', pool: 'gpu', capabilities: ['cuda'] }));
  });
  afterAll(async () => {
    for (const worker of workers) worker.stop();
    await api.close();
  });

  it('GET /api/v1/workers: live workers by id with their load; ?pool= filters', async () => {
    const res = await get(api, '/api/v1/workers');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: WorkerBody[] }>().items;
    expect(items.map((w) => w.worker_id)).toEqual(['w1', 'w2']);
    expect(items[0]).toMatchObject({
      pool: 'default',
      active_jobs: 0,
      max_parallel_jobs: 4,
      load_score: 0,
      overloaded: false,
      cordoned: false,
    });
    expect(Date.parse(items[0]?.expires_at ?? '') - Date.parse(items[0]?.heartbeat_at ?? '')).toBe(30_000);
    expect(items[1]).toMatchObject({ pool: 'gpu', capabilities: ['cuda'] });
    const gpu = (await get(api, '/api/v1/workers?pool=gpu')).json<{ items: WorkerBody[] }>().items;
    expect(gpu.map((w) => w.worker_id)).toEqual(['w2']);
  });

  it('cordons come from the caller’s routing config; a * key reads the system document', async () => {
    const put = await call(api, {
      method: 'PUT',
      url: '/api/v1/config/org/acme',
      key: 'acmeAdmin',
      body: { data: { routing: { cordoned_workers: ['w2'] } } },
    });
    expect(put.statusCode, put.body).toBe(200);
    await waitFor('acme to see w2 cordoned', async () => {
      const items = (await get(api, '/api/v1/workers')).json<{ items: WorkerBody[] }>().items;
      return items.find((w) => w.worker_id === 'w2')?.cordoned === true;
    });
    const star = (await get(api, '/api/v1/workers', 'starViewer')).json<{ items: WorkerBody[] }>().items;
    expect(star.find((w) => w.worker_id === 'w2')?.cordoned).toBe(false);
    const named = (await get(api, '/api/v1/workers?tenant=acme', 'starViewer')).json<{ items: WorkerBody[] }>();
    expect(named.items.find((w) => w.worker_id === 'w2')?.cordoned).toBe(true);
  });

  it('GET /api/v1/status: the safety breaker and the live worker count', async () => {
    const status = (await get(api, '/api/v1/status')).json<StatusAnswer>();
    expect(status.safety).toEqual({ breaker: 'closed' });
    expect(status.workers).toEqual({ live: 2 });
    // A worker that stops cleanly deletes its registry entry: it leaves the registry at once.
    await (await api.workers()).delete('w2');
    await waitFor('w2 to leave', async () => {
      const body = (await get(api, '/api/v1/status', 'starViewer')).json<StatusAnswer>();
      return body.workers?.live === 1;
    });
    const items = (await get(api, '/api/v1/workers')).json<{ items: WorkerBody[] }>().items;
    expect(items.map((w) => w.worker_id)).toEqual(['w1']);
  });

  it('parked inputs: listed with their error; a failing replay is 409 and keeps it; a good one unparks it', async () => {
    let broken = true;
    api.rt.parking.handle('test-input', async () => {
      if (broken) throw new Error('still broken');
    });
    const parked = await api.rt.parking.park({
      source: 'test-input',
      position: 7,
      subject: 'ctx.sys.test',
      input: { n: 1 },
      error: 'Error: boom',
      attempts: 5,
    });
    const list = await get(api, '/api/v1/events/parked', 'starAdmin');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: ParkedBody[] }>().items).toEqual([
      expect.objectContaining({
        id: 'test-input.7',
        source: 'test-input',
        position: 7,
        error: 'Error: boom',
        attempts: 5,
        input: { n: 1 },
      }),
    ]);
    const url = `/api/v1/events/parked/${parked.id}/replay`;
    const failed = await post(api, url, undefined, 'starAdmin');
    const problem = expectProblem(failed, 409);
    expect(problem.code).toBe('replay_failed');
    expect(problem.detail).toContain('still broken');
    expect((await get(api, '/api/v1/events/parked', 'starAdmin')).json<{ items: ParkedBody[] }>().items).toHaveLength(
      1,
    );
    broken = false;
    const replayed = await post(api, url, {}, 'starAdmin');
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json()).toMatchObject({ id: parked.id, source: 'test-input', replayed: true });
    expect(replayed.headers['x-coretex-position']).toBe(replayed.json<{ position: string }>().position);
    expect((await get(api, '/api/v1/events/parked', 'starAdmin')).json<{ items: ParkedBody[] }>().items).toEqual([]);
    expectProblem(await post(api, url, undefined, 'starAdmin'), 404);
  });

  it('a parked job event replays through the runtime’s own handler', async () => {
    const job = await submitted(api, { run_at: Date.now() + 3_600_000 });
    const history = await api.events.read({ type: 'job', tenant: 'acme', id: job.job_id });
    const event = history.events[0];
    if (event === undefined) throw new Error('no event');
    const parked = await api.rt.parking.park({
      source: 'job-event',
      position: event.position,
      subject: event.stream_id,
      input: event,
      error: 'ConcurrencyError: kept changing',
      attempts: 5,
    });
    const res = await post(api, `/api/v1/events/parked/${parked.id}/replay`, undefined, 'starAdmin');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ position: string }>().position).toMatch(/^job:\d+$/);
    expect(await api.rt.parking.get(parked.id)).toBeNull();
  });
});

describe('workers and parked inputs: access (embedded)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('workers: 400 names the field, 404 another tenant, 401 without a key (every viewer may read)', async () => {
    expectProblem(await get(api, '/api/v1/workers?pool=a%20b'), 400, 'pool');
    expectProblem(await get(api, '/api/v1/workers?colour=red'), 400, 'colour');
    expectProblem(await get(api, '/api/v1/workers?tenant=globex'), 404);
    expectProblem(await get(api, '/api/v1/workers', null), 401);
    expect((await get(api, '/api/v1/workers', 'globexAdmin')).json()).toEqual({ items: [] });
  });

  it('parked: a key bound to * — operator to list, admin to replay; 400 bad id; 401', async () => {
    await api.rt.parking.park({ source: 'nobody', position: 1, subject: null, input: null, error: 'x', attempts: 1 });
    expectProblem(await get(api, '/api/v1/events/parked', null), 401);
    expect(expectProblem(await get(api, '/api/v1/events/parked', 'acmeAdmin'), 403).code).toBe('global_key_required');
    expect(expectProblem(await get(api, '/api/v1/events/parked', 'starViewer'), 403).code).toBe('role_required');
    const url = '/api/v1/events/parked/nobody.1/replay';
    expectProblem(await post(api, url, undefined, null), 401);
    expect(expectProblem(await post(api, url, undefined, 'acmeAdmin'), 403).code).toBe('global_key_required');
    expectProblem(await post(api, url, undefined, 'starViewer'), 403);
    expectProblem(await post(api, '/api/v1/events/parked/a%20b/replay', undefined, 'starAdmin'), 400, 'id');
    expectProblem(await post(api, url, { force: true }, 'starAdmin'), 400);
    // No handler for its source in this process: the replay fails, the input stays parked.
    expect(expectProblem(await post(api, url, undefined, 'starAdmin'), 409).detail).toContain('no replay handler');
    expect(await api.rt.parking.get('nobody.1')).not.toBeNull();
  });
});
