/**
 * The workflow engine on the distributed adapters — NATS JetStream (event store, KV, bus) and Redis
 * (read models) — as the composition root wires them: a run through a step, a bounded fan-out, an
 * approval and a delay ends SUCCEEDED, its step jobs run by a worker over NATS, and the `runs` read
 * model in Redis lists it. The in-process tests cover the paths; this one covers the adapters.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { expect, inject, it } from 'vitest';
import { NatsBus } from '../../../src/adapters/jetstream/bus.ts';
import { JetStreamEventStore } from '../../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../../src/adapters/jetstream/kv-store.ts';
import { nodeEntropy, nodeHasher } from '../../../src/adapters/node/entropy.ts';
import { RedisReadModelStore } from '../../../src/adapters/redis/read-model-store.ts';
import { StaticConfigSource } from '../../../src/app/config/static-config-source.ts';
import { KvCursorStore } from '../../../src/app/coordination/kv-cursor-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../../src/app/coordination/kv-lease-store.ts';
import { createJobRuntime } from '../../../src/app/jobs/create-runtime.ts';
import { Reconciler } from '../../../src/app/jobs/reconciler.ts';
import { SchedulerRole } from '../../../src/app/jobs/scheduler-role.ts';
import { noCrashPoints, silentLogger, systemClock } from '../../../src/app/ports.ts';
import { ProjectionRunner } from '../../../src/app/projections/runner.ts';
import { createWorkflowRuntime, WORKFLOW_PROJECTIONS } from '../../../src/app/workflows/create-workflow-runtime.ts';
import { decideStepApproval, getRun } from '../../../src/app/workflows/run-commands.ts';
import { startRun } from '../../../src/app/workflows/start-run.ts';
import { createWorkflow } from '../../../src/app/workflows/workflow-commands.ts';
import { jobQueuesProjection } from '../../../src/projections/job-queues/projection.ts';
import { jobsDueProjection } from '../../../src/projections/jobs-due/projection.ts';
import { jobsProjection } from '../../../src/projections/jobs/projection.ts';
import { listRuns } from '../../../src/projections/runs/queries.ts';
import { uniquePrefix } from '../../harness/prefix.ts';
import { waitFor } from '../../harness/wait-for.ts';
import { FakeWorker } from '../../support/fake-worker.ts';
import { DEFAULT_SYSTEM } from '../../support/runtime-harness.ts';

const PARTITIONS = 4;

async function dropPrefix(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for await (const info of jsm.streams.list()) {
    const name = info.config.name;
    if (name.startsWith(`${prefix.toUpperCase()}_`) || name.startsWith(`KV_${prefix}_`)) await jsm.streams.delete(name);
  }
}

it('runs a workflow on NATS JetStream and Redis', async () => {
  const prefix = uniquePrefix('wf');
  const nc = await connect({ servers: inject('natsUrl') });
  const redis = new Redis(inject('redisUrl'));
  const stops: (() => Promise<void>)[] = [];
  try {
    const events = await JetStreamEventStore.open(nc, {
      prefix,
      partitions: PARTITIONS,
      replicas: 1,
      hotWindowMs: 0,
      maxBytes: -1,
      duplicateWindowMs: 30_000,
    });
    const bus = await NatsBus.open(nc, { prefix, replicas: 1, captureMaxAgeMs: 3_600_000 });
    const kv = new JetStreamKvStore(nc, { prefix, replicas: 1 });
    const readModels = new RedisReadModelStore(redis, prefix);
    stops.push(
      () => bus.close(),
      () => events.close(),
    );
    const rt = await createJobRuntime({
      events,
      bus,
      kv,
      readModels,
      configSource: new StaticConfigSource({ 'system/default': DEFAULT_SYSTEM }),
      remoteKernel: {
        evaluate: async () => {
          throw new Error('no remote kernel in this test');
        },
      },
      clock: systemClock,
      entropy: nodeEntropy,
      hasher: nodeHasher,
      crash: noCrashPoints,
      log: silentLogger,
      prefix,
      partitions: PARTITIONS,
    });
    stops.push(() => rt.stop());
    const leases = new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock);
    const cursors = new KvCursorStore(await kv.bucket<number>('cursors'));
    const wf = await createWorkflowRuntime(rt, { kv, leases, cursors });
    const deps = { events, store: readModels, leases, clock: systemClock, crash: noCrashPoints, log: silentLogger };
    for (const projection of [
      jobsProjection,
      jobsDueProjection,
      jobQueuesProjection(PARTITIONS),
      ...WORKFLOW_PROJECTIONS,
    ]) {
      const runner = new ProjectionRunner(deps, projection, { owner: 'p1', pollMs: 50 });
      runner.start();
      stops.push(() => runner.stop());
    }
    const scheduler = new SchedulerRole(rt, leases, cursors, await kv.bucket('members'), {
      owner: 'p1',
      leaseTtlMs: 1_000,
    });
    const reconciler = new Reconciler(rt, leases, { owner: 'p1', intervalMs: 100 });
    const role = wf.workflowsRole({ owner: 'p1', leaseTtlMs: 1_000 });
    const runReconciler = wf.runReconciler({ owner: 'p1', intervalMs: 100 });
    for (const service of [scheduler, reconciler, role, runReconciler]) {
      service.start();
      stops.push(() => service.stop());
    }
    const workers = await kv.bucket('workers', { maxAgeMs: 30_000 });
    const worker = await new FakeWorker(bus, workers, { id: 'w1', prefix, maxParallel: 1_000 }).start();
    stops.push(async () => worker.stop());
    await waitFor('the worker in the registry', () => rt.registry.registry.workers.has('w1'));

    await createWorkflow(wf, {
      tenant: 'acme',
      workflow_id: 'everything',
      by: 'test',
      definition: {
        steps: {
          a: {},
          fan: { depends_on: ['a'], for_each: '[1, 2, 3, 4, 5, 6]', max_parallel: 2, input: '${item}' },
          gate: { type: 'approval', depends_on: ['fan'] },
          pause: { type: 'delay', delay_ms: 200, depends_on: ['gate'] },
          z: { depends_on: ['pause'] },
        },
      },
    });
    const started = await startRun(wf, {
      tenant: 'acme',
      workflow_id: 'everything',
      input: {},
      team_id: null,
      idempotency_key: 'once',
      trace_id: null,
      started_by: 'api:test',
    });
    await waitFor('the approval', async () => (await getRun(wf, 'acme', started.run_id)).state.status === 'WAITING', {
      timeoutMs: 20_000,
    });
    await decideStepApproval(wf, 'acme', started.run_id, 'gate', { approved: true, by: 'alice', reason: null });
    const done = await waitFor(
      'the run to end',
      async () => {
        const run = await getRun(wf, 'acme', started.run_id);
        return ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(run.state.status) ? run.state : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(done.status).toBe('SUCCEEDED');
    expect(worker.received.map((job) => job.env.step_id)).toEqual(['a', 'fan', 'fan', 'fan', 'fan', 'fan', 'fan', 'z']);
    expect(worker.maxActive).toBeLessThanOrEqual(2);
    const listed = await waitFor('the run in the read model', async () => {
      const ns = await rt.readModels.namespace('runs');
      if (ns === null) return undefined;
      const page = await listRuns(readModels, ns, { tenant: 'acme', filter: { status: 'SUCCEEDED' }, limit: 10 });
      return page.items[0];
    });
    expect(listed).toMatchObject({
      run_id: started.run_id,
      steps: { a: 'SUCCEEDED', gate: 'SUCCEEDED', z: 'SUCCEEDED' },
    });
  } finally {
    for (const stop of stops.reverse()) await stop();
    await dropPrefix(nc, prefix);
    await nc.close();
    redis.disconnect();
  }
}, 60_000);
