/**
 * The job runtime in one process (embedded store, in-process bus, a worker played over the protocol):
 * the paths of SPEC 1.3-1.10 end to end, fast. The same runtime runs on NATS + Redis in test/e2e.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DlqEntryAdded } from '../../../src/domain/dlq/events.ts';
import { FakeWorker } from '../../support/fake-worker.ts';
import { type Harness, startHarness } from '../../support/runtime-harness.ts';
import { waitFor } from '../../harness/wait-for.ts';

let h: Harness;
const workers: FakeWorker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) w.stop();
  await h.stop();
});

async function worker(options: ConstructorParameters<typeof FakeWorker>[2]): Promise<FakeWorker> {
  const w = await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), options).start();
  workers.push(w);
  return w;
}

/** A worker with one slot and no heartbeats of its own (one saying it is idle is sent), `jobMs` per job. */
async function oneSlotWorker(jobMs = 30): Promise<FakeWorker> {
  const w = await worker({
    id: 'w1',
    maxParallel: 1,
    heartbeat: false,
    behave: async () => {
      await new Promise((resolve) => setTimeout(resolve, jobMs));
      return { status: 'SUCCEEDED' };
    },
  });
  await w.beat(0);
  await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
  return w;
}

async function terminal(jobId: string, tenant = 'acme') {
  return waitFor(`job ${jobId} to finish`, async () => {
    const events = await h.history(jobId, tenant);
    const last = events.at(-1);
    const state = (last?.data as { status_after?: string } | undefined)?.status_after;
    return state !== undefined && ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED'].includes(state)
      ? events
      : undefined;
  });
}

describe('job runtime (in process)', () => {
  it('runs a job to SUCCEEDED in exactly four events, with the result', async () => {
    h = await startHarness();
    await worker({ id: 'w1' });
    await waitFor('the worker in the registry', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({ payload: { n: 1 } });
    expect(submitted.state.status).toBe('PENDING');
    const events = await terminal(submitted.job_id);
    expect(events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);
    expect(events.at(-1)?.data).toMatchObject({ result: { echo: { n: 1 } }, worker_id: 'w1' });
    expect(events[1]?.data).toMatchObject({
      safety: { decision: 'ALLOW', source: 'builtin' },
      target: { kind: 'worker', worker_id: 'w1' },
    });
    expect(await h.dlq(submitted.job_id)).toEqual([]);
  });

  it('retries a failing job with backoff, then FAILED with a DLQ entry holding the request', async () => {
    h = await startHarness();
    await worker({ id: 'w1', behave: () => ({ status: 'FAILED', error_code: 'boom', error_message: 'it broke' }) });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({
      payload: { n: 2 },
      retry: { max_attempts: 3, initial_backoff_ms: 50, multiplier: 2 },
    });
    const events = await terminal(submitted.job_id);
    const failures = events.filter((e) => e.type === 'JobAttemptFailed');
    expect(failures).toHaveLength(3);
    expect(failures.map((e) => (e.data as { outcome: unknown }).outcome)).toEqual([
      { retry_at: expect.any(Number) },
      { retry_at: expect.any(Number) },
      { final: 'FAILED' },
    ]);
    const dlq = await waitFor('the DLQ entry', async () => (await h.dlq(submitted.job_id)).at(0));
    expect((dlq as unknown as DlqEntryAdded).data).toMatchObject({
      final_state: 'FAILED',
      reason_code: 'boom',
      attempts: 3,
      request: { payload: { n: 2 } },
    });
  });

  it('maps COMPLETED to success and a worker-reported CANCELLED to a retryable failed attempt', async () => {
    h = await startHarness();
    let n = 0;
    await worker({
      id: 'w1',
      behave: () => (n++ === 0 ? { status: 'CANCELLED' } : { status: 'COMPLETED', result: 7 }),
    });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({ retry: { max_attempts: 2, initial_backoff_ms: 10 } });
    const events = await terminal(submitted.job_id);
    expect(events.find((e) => e.type === 'JobAttemptFailed')?.data).toMatchObject({
      error: { code: 'worker_cancelled' },
    });
    expect(events.at(-1)).toMatchObject({ type: 'JobSucceeded', data: { result: 7, reported_status: 'COMPLETED' } });
  });

  it('fails a job whose topic no pool serves, with DLQ no_pool_mapping', async () => {
    h = await startHarness();
    const submitted = await h.submit({ topic: 'job.nowhere' });
    const events = await terminal(submitted.job_id);
    expect(events.at(-1)).toMatchObject({ type: 'JobRoutingFailed', data: { status_after: 'FAILED' } });
    const dlq = await waitFor('the DLQ entry', async () => (await h.dlq(submitted.job_id)).at(0));
    expect(dlq.data).toMatchObject({ reason_code: 'no_pool_mapping' });
  });

  it('denies by the built-in policy: DENIED and a DLQ entry safety_denied', async () => {
    h = await startHarness({
      system: {
        routing: { topics: { 'job.default': 'default' } },
        safety: { rules: { deny_topics: ['job.default'] } },
      },
    });
    const submitted = await h.submit({});
    const events = await terminal(submitted.job_id);
    expect(events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobDenied']);
    const dlq = await waitFor('the DLQ entry', async () => (await h.dlq(submitted.job_id)).at(0));
    expect(dlq.data).toMatchObject({ reason_code: 'safety_denied' });
  });

  it('hands a job to the topic queue when no worker heartbeats, and the queue worker runs it', async () => {
    h = await startHarness();
    const silent = await worker({ id: 'silent', heartbeat: false, queueTopics: ['job.default'] });
    const submitted = await h.submit({ payload: 'q' });
    const events = await terminal(submitted.job_id);
    expect(events[1]?.data).toMatchObject({ target: { kind: 'queue', pool: 'default' } });
    expect(events.at(-1)).toMatchObject({ type: 'JobSucceeded', data: { worker_id: 'silent' } });
    expect(silent.received).toHaveLength(1);
  });

  it('retries a refused hand-off with backoff (not an attempt) and runs it once a worker accepts', async () => {
    h = await startHarness();
    const refusing = await worker({ id: 'busy', refuse: true });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({});
    await waitFor('a refusal', async () =>
      (await h.history(submitted.job_id)).some((e) => e.type === 'JobDispatchFailed'),
    );
    refusing.stop();
    await h.kv.bucket('workers').then((b) => b.delete('busy'));
    await worker({ id: 'ok' });
    const events = await terminal(submitted.job_id);
    expect(events.at(-1)).toMatchObject({ type: 'JobSucceeded', data: { worker_id: 'ok', attempt: 1 } });
  });

  it('times out an attempt that never reports, retries it elsewhere, and stops the first worker', async () => {
    h = await startHarness({
      system: { routing: { topics: { 'job.default': 'default' } }, timeouts: { dispatch_ms: 1000, running_ms: 300 } },
    });
    const hanging = await worker({ id: 'hang', behave: () => new Promise(() => {}) });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({ retry: { max_attempts: 2, initial_backoff_ms: 10 } });
    await waitFor('attempt 1 running on the hanging worker', async () =>
      (await h.history(submitted.job_id)).some((e) => e.type === 'JobDispatched'),
    );
    // The hanging worker leaves the registry (it still hears stops); another one joins.
    await h.kv.bucket('workers').then((b) => b.delete('hang'));
    await worker({ id: 'fine' });
    await waitFor(
      'the registry to change',
      () => !h.rt.registry.registry.workers.has('hang') && h.rt.registry.registry.workers.has('fine'),
    );
    const events = await terminal(submitted.job_id);
    expect(events.find((e) => e.type === 'JobAttemptTimedOut')?.data).toMatchObject({ attempt: 1, phase: 'running' });
    expect(events.at(-1)).toMatchObject({ type: 'JobSucceeded', data: { attempt: 2, worker_id: 'fine' } });
    await waitFor('a stop for the hung attempt', () => hanging.stops.some((s) => s.attempt === 1));
  });

  it('stops choosing a worker that does not answer (it died) until it heartbeats again', async () => {
    h = await startHarness();
    const ghost = await worker({ id: 'ghost' });
    ghost.stop(); // still in the registry, nobody listening
    await waitFor('the ghost in the registry', () => h.rt.registry.registry.workers.has('ghost'));
    const first = await h.submit({});
    await waitFor('the failed hand-off', async () =>
      (await h.history(first.job_id)).some((e) => e.type === 'JobDispatchFailed'),
    );
    expect(h.rt.registry.registry.workers.has('ghost')).toBe(false);
    await worker({ id: 'live' });
    expect((await terminal(first.job_id)).at(-1)).toMatchObject({ type: 'JobSucceeded', data: { worker_id: 'live' } });
    const rest = await Promise.all(Array.from({ length: 10 }, () => h.submit({})));
    const histories = await Promise.all(rest.map((job) => terminal(job.job_id)));
    expect(histories.flat().filter((e) => e.type === 'JobDispatchFailed')).toEqual([]);
    for (const events of histories)
      expect(events.at(-1)).toMatchObject({ type: 'JobSucceeded', data: { worker_id: 'live' } });
    // A heartbeat written after the suspension brings it back.
    await ghost.beat();
    await waitFor('the ghost back', () => h.rt.registry.registry.workers.has('ghost'));
  });

  it('times out finally with a DLQ entry when attempts run out', async () => {
    h = await startHarness({
      system: { routing: { topics: { 'job.default': 'default' } }, timeouts: { running_ms: 200 } },
    });
    await worker({ id: 'hang', behave: () => new Promise(() => {}) });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({});
    const events = await terminal(submitted.job_id);
    expect(events.at(-1)).toMatchObject({
      type: 'JobAttemptTimedOut',
      data: { outcome: { final: 'TIMEOUT' }, phase: 'running' },
    });
    const dlq = await waitFor('the DLQ entry', async () => (await h.dlq(submitted.job_id)).at(0));
    expect(dlq.data).toMatchObject({ reason_code: 'timeout', final_state: 'TIMEOUT' });
  });

  it('holds jobs at the tenant limit and runs them one at a time', async () => {
    h = await startHarness({
      system: {
        routing: { topics: { 'job.default': 'default' } },
        limits: { tenants: { acme: { max_concurrent: 1 } } },
      },
    });
    let running = 0;
    let most = 0;
    const w = await worker({
      id: 'w1',
      behave: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return { status: 'SUCCEEDED' };
      },
    });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const jobs = await Promise.all([1, 2, 3, 4].map((n) => h.submit({ payload: n })));
    for (const job of jobs) await terminal(job.job_id);
    expect(most).toBe(1);
    expect(w.received).toHaveLength(4);
    const queued = (await Promise.all(jobs.map((j) => h.history(j.job_id))))
      .flat()
      .filter((e) => e.type === 'JobQueued');
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((e) => (e.data as { queue: string }).queue === 'tenant_limit')).toBe(true);
  });

  it('releases the jobs waiting at a tenant limit as soon as a config change lifts the limit', async () => {
    const system = { routing: { topics: { 'job.default': 'default' } } };
    h = await startHarness({ system: { ...system, limits: { tenants: { acme: { max_concurrent: 1 } } } } });
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const w = await worker({
      id: 'w1',
      behave: async (job) => {
        if ((job.payload as { n: number }).n === 1) await firstHeld;
        return { status: 'SUCCEEDED' };
      },
    });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const first = await h.submit({ payload: { n: 1 } });
    await waitFor('the first job to run', () => w.received.length === 1);
    const waiting = await Promise.all([2, 3].map((n) => h.submit({ payload: { n } })));
    for (const job of waiting) {
      await waitFor(`job ${job.job_id} to wait for a slot`, async () =>
        (await h.history(job.job_id)).some(
          (e) => e.type === 'JobQueued' && (e.data as { queue: string }).queue === 'tenant_limit',
        ),
      );
    }
    // The first job still holds the only slot: only the config change can let the others go.
    h.config.set('system', 'default', system);
    for (const job of waiting) expect((await terminal(job.job_id)).at(-1)?.type).toBe('JobSucceeded');
    expect((await h.history(first.job_id)).at(-1)?.type).not.toBe('JobSucceeded');
    releaseFirst();
    expect((await terminal(first.job_id)).at(-1)?.type).toBe('JobSucceeded');
  });

  it('counts the results a worker sends as room: a burst runs through a full worker with no heartbeat between', async () => {
    h = await startHarness();
    // One heartbeat at the start, none after: only the results recorded tell the scheduler of room.
    const w = await worker({
      id: 'w1',
      maxParallel: 2,
      heartbeat: false,
      behave: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { status: 'SUCCEEDED' };
      },
    });
    await w.beat(0);
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const jobs = await Promise.all(Array.from({ length: 8 }, (_, n) => h.submit({ payload: { n } })));
    for (const job of jobs) expect((await terminal(job.job_id)).at(-1)?.type).toBe('JobSucceeded');
    expect(w.received).toHaveLength(8);
    expect(w.maxActive).toBeLessThanOrEqual(2);
  });

  it('holds a burst the workers absorb within the grace in memory: no JobQueued, one job at a time', async () => {
    // No job_queues read model: the held jobs can only be woken from the scheduler's memory.
    h = await startHarness({ withoutProjections: ['job_queues'], capacityGraceMs: 60_000 });
    const w = await oneSlotWorker();
    const jobs = await Promise.all([1, 2, 3, 4].map((n) => h.submit({ payload: { n } })));
    for (const job of jobs) {
      const events = await terminal(job.job_id);
      expect(events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);
    }
    expect(w.maxActive).toBe(1);
  });

  it('spends a freed slot on the jobs that worker can take, however many of another topic wait longer', async () => {
    h = await startHarness({ capacityGraceMs: 60_000 });
    // A GPU worker stuck on one job, with 30 GPU jobs waiting behind it (held in memory, oldest first).
    let unstick: () => void = () => {};
    const stuck = new Promise<{ status: 'SUCCEEDED' }>((resolve) => (unstick = () => resolve({ status: 'SUCCEEDED' })));
    const gpu = await worker({ id: 'g1', pool: 'gpu', capabilities: ['cuda'], maxParallel: 1, behave: () => stuck });
    await waitFor('the GPU worker', () => h.rt.registry.registry.workers.has('g1'));
    const gpuJobs = await Promise.all(
      Array.from({ length: 31 }, (_, n) => h.submit({ topic: 'job.gpu', requires: ['cuda'], payload: { n } })),
    );
    await waitFor('the GPU worker busy', () => gpu.active === 1);
    // Then a default worker with one slot and 8 short jobs: each finished one frees the slot for the next.
    const cpu = await worker({
      id: 'c1',
      maxParallel: 1,
      behave: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { status: 'SUCCEEDED' };
      },
    });
    await waitFor('the default worker', () => h.rt.registry.registry.workers.has('c1'));
    const started = Date.now();
    const jobs = await Promise.all(Array.from({ length: 8 }, (_, n) => h.submit({ payload: { n } })));
    for (const job of jobs) expect((await terminal(job.job_id)).at(-1)?.type).toBe('JobSucceeded');
    // One after another on one slot, ~20 ms each: well under a second unless wakes went to GPU jobs
    // (then each waited for the once-a-second read of the queues, or the grace).
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(cpu.maxActive).toBe(1);
    unstick();
    for (const job of gpuJobs.slice(0, 2)) expect((await terminal(job.job_id)).at(-1)?.type).toBe('JobSucceeded');
  });

  it('records the wait (JobQueued) once the grace is over, and still runs the job when room comes', async () => {
    h = await startHarness({ capacityGraceMs: 200 });
    const w = await worker({ id: 'w1', maxParallel: 1 });
    await w.beat(1);
    await waitFor('the full worker', () => h.rt.registry.registry.workers.get('w1')?.heartbeat.active_jobs === 1);
    const submitted = await h.submit({});
    const queued = await waitFor('the job to enter the capacity queue', async () =>
      (await h.history(submitted.job_id)).find(
        (e) => e.type === 'JobQueued' && (e.data as { queue: string }).queue === 'capacity',
      ),
    );
    const first = (await h.history(submitted.job_id))[0];
    // Not before the grace: the job was held in memory for 200 ms first.
    expect(Date.parse(queued.time) - Date.parse(first?.time ?? '')).toBeGreaterThanOrEqual(200);
    await w.beat(0);
    expect((await terminal(submitted.job_id)).at(-1)?.type).toBe('JobSucceeded');
  });

  it('wakes the jobs it just queued for capacity even before the read model shows them', async () => {
    // No job_queues read model at all: a wake can only find the waiting jobs in the scheduler's memory.
    h = await startHarness({ withoutProjections: ['job_queues'], capacityGraceMs: 0 });
    const w = await oneSlotWorker();
    const jobs = await Promise.all([1, 2, 3].map((n) => h.submit({ payload: { n } })));
    for (const job of jobs) expect((await terminal(job.job_id)).at(-1)?.type).toBe('JobSucceeded');
    const queued = (await Promise.all(jobs.map((j) => h.history(j.job_id))))
      .flat()
      .filter((e) => e.type === 'JobQueued' && (e.data as { queue: string }).queue === 'capacity');
    expect(queued.length).toBeGreaterThan(0);
    expect(w.maxActive).toBe(1);
  });

  it('spends a freed slot on one waiting job of the process, not one per partition', async () => {
    // Every job waits (no grace) behind one fast one-slot worker; each result frees the slot. Told of it
    // separately, each of the partitions woke a job of its own for it, and all but one went back to
    // wait after a scheduling decision: the scheduler's work per job grew with the partitions, and
    // with the backlog (8 config resolutions per job at 50 waiting, 10 at 400). Each decision resolves
    // the job's config once; a job dispatched after one wait needs about five.
    h = await startHarness({ capacityGraceMs: 0 });
    let resolutions = 0;
    const forJob = h.rt.config.forJob.bind(h.rt.config);
    h.rt.config.forJob = (request) => {
      resolutions++;
      return forJob(request);
    };
    const w = await oneSlotWorker(2);
    const jobs = await Promise.all(Array.from({ length: 200 }, (_, n) => h.submit({ payload: { n } })));
    await waitFor(
      'every job to succeed',
      async () =>
        (await Promise.all(jobs.map(async (job) => (await h.history(job.job_id)).at(-1)?.type))).every(
          (type) => type === 'JobSucceeded',
        ),
      { timeoutMs: 60_000 },
    );
    expect(w.maxActive).toBe(1);
    expect(resolutions / jobs.length).toBeLessThanOrEqual(6);
  });

  it('waits for capacity when every worker is overloaded, and a heartbeat with room wakes the job', async () => {
    h = await startHarness();
    const w = await worker({ id: 'w1', maxParallel: 1 });
    await w.beat(1);
    await waitFor('the full worker', () => h.rt.registry.registry.workers.get('w1')?.heartbeat.active_jobs === 1);
    const submitted = await h.submit({});
    await waitFor('the job to wait for capacity', async () =>
      (await h.history(submitted.job_id)).some(
        (e) => e.type === 'JobQueued' && (e.data as { queue: string }).queue === 'capacity',
      ),
    );
    await w.beat(0);
    const events = await terminal(submitted.job_id);
    expect(events.at(-1)?.type).toBe('JobSucceeded');
  });

  it('cancels a running job: CANCELLED at once, the worker told to stop, its late result ignored', async () => {
    h = await startHarness();
    let release: () => void = () => {};
    const w = await worker({
      id: 'w1',
      behave: () => new Promise((resolve) => (release = () => resolve({ status: 'SUCCEEDED', result: 'late' }))),
    });
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const submitted = await h.submit({});
    await waitFor('running', async () => (await h.history(submitted.job_id)).some((e) => e.type === 'JobDispatched'));
    const { executeJob } = await import('../../../src/app/jobs/job-repository.ts');
    const { streamId } = await import('../../../src/domain/shared/stream.ts');
    const cancelled = await executeJob(
      h.rt.jobs,
      streamId('job', 'acme', submitted.job_id),
      () => ({ type: 'CancelJob', by: 'user', reason: 'no longer needed', now: Date.now() }),
      {
        actor: 'test',
      },
    );
    expect(cancelled instanceof Error).toBe(false);
    await waitFor('the stop', () => w.stops.length === 1);
    expect(w.stops[0]).toMatchObject({ job_id: submitted.job_id, attempt: 1 });
    release();
    // The late result changes nothing, and its sender is told (again) to stop.
    await waitFor('a stop answering the late result', () => w.stops.length === 2);
    const events = await h.history(submitted.job_id);
    expect(events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobCancelled']);
    expect(await h.dlq(submitted.job_id)).toEqual([]);
  });

  it('answers a repeated idempotency key with the same job, and a different body with a conflict', async () => {
    h = await startHarness();
    const first = await h.submit({ payload: { a: 1 } }, { key: 'k-1' });
    const again = await h.submit({ payload: { a: 1 } }, { key: 'k-1' });
    expect(again).toMatchObject({ job_id: first.job_id, replayed: true });
    await expect(h.submit({ payload: { a: 2 } }, { key: 'k-1' })).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'idempotency_key_reused',
    });
    await expect(h.submit({ payload: { a: 1 }, job_id: first.job_id })).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });
});
