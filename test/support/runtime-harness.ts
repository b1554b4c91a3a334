/**
 * An in-process Coretex for runtime tests: the embedded event store, KV and bus, in-memory read models
 * with their runners, the scheduler role and the reconciler — everything real but the worker, which
 * tests play with `FakeWorker` over the same bus.
 */
import { InProcessBus } from '../../src/adapters/embedded/bus.ts';
import { EmbeddedEventStore } from '../../src/adapters/embedded/event-store.ts';
import { EmbeddedKvStore } from '../../src/adapters/embedded/kv-store.ts';
import { MemoryReadModelStore } from '../../src/adapters/embedded/read-model-store.ts';
import { nodeEntropy, nodeHasher } from '../../src/adapters/node/entropy.ts';
import { StaticConfigSource } from '../../src/app/config/static-config-source.ts';
import { KvLeaseStore, type LeaseRecord } from '../../src/app/coordination/kv-lease-store.ts';
import { KvCursorStore } from '../../src/app/coordination/kv-cursor-store.ts';
import { createJobRuntime, type StartedRuntime } from '../../src/app/jobs/create-runtime.ts';
import { Reconciler } from '../../src/app/jobs/reconciler.ts';
import { SchedulerRole } from '../../src/app/jobs/scheduler-role.ts';
import { type Submitted, submitJob } from '../../src/app/jobs/submit.ts';
import type { CrashPoints, CursorStore, EventStore, LeaseStore, Logger, RemoteKernel } from '../../src/app/ports.ts';
import { noCrashPoints, silentLogger, systemClock } from '../../src/app/ports.ts';
import type { JobArchive } from '../../src/app/jobs/job-archive.ts';
import { ProjectionRunner } from '../../src/app/projections/runner.ts';
import type { SafetyDecision } from '../../src/domain/job/events.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { jobQueuesProjection } from '../../src/projections/job-queues/projection.ts';
import { jobsProjection } from '../../src/projections/jobs/projection.ts';
import { jobsDueProjection } from '../../src/projections/jobs-due/projection.ts';
import { dlqProjection } from '../../src/projections/dlq/projection.ts';
import type { Projection } from '../../src/projections/projection.ts';

export const PARTITIONS = 4;

export interface HarnessOptions {
  readonly system?: Record<string, unknown>;
  readonly remote?: RemoteKernel;
  readonly log?: Logger;
  readonly handOffTimeoutMs?: number;
  /** Named crash points (default: none armed); a test double can throw at one. */
  readonly crash?: CrashPoints;
  /** Wraps the event store the runtime writes through (to watch its appends). */
  readonly runtimeEvents?: (events: EventStore) => EventStore;
  /** Projections not run (their read models stay empty), by name. */
  readonly withoutProjections?: readonly string[];
  /** RuntimeOptions.capacityGraceMs (default: the runtime's). */
  readonly capacityGraceMs?: number;
  /** Where finished jobs are archived (default: nowhere). */
  readonly archive?: JobArchive;
}

export interface Harness {
  readonly rt: StartedRuntime;
  readonly bus: InProcessBus;
  readonly events: EmbeddedEventStore;
  readonly kv: EmbeddedKvStore;
  readonly config: StaticConfigSource;
  readonly reconciler: Reconciler;
  readonly readModels: MemoryReadModelStore;
  readonly leases: LeaseStore;
  readonly cursors: CursorStore;
  /** Starts a runner for another projection, stopped with the harness. */
  runProjection(projection: Projection): ProjectionRunner;
  submit(input: Record<string, unknown>, options?: { tenant?: string; key?: string | null }): Promise<Submitted>;
  history(jobId: string, tenant?: string): Promise<StoredEvent[]>;
  dlq(jobId: string, tenant?: string): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export const DEFAULT_SYSTEM = {
  routing: {
    topics: { 'job.default': 'default', 'job.gpu': 'gpu' },
    pools: { default: { requires: [] }, gpu: { requires: ['cuda'] } },
  },
  timeouts: { dispatch_ms: 2_000, running_ms: 5_000 },
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const events = await EmbeddedEventStore.open({ dataDir: null, partitions: PARTITIONS });
  const kv = new EmbeddedKvStore({ dataDir: null });
  const bus = new InProcessBus();
  const readModels = new MemoryReadModelStore();
  const config = new StaticConfigSource({ 'system/default': options.system ?? DEFAULT_SYSTEM });
  const log = options.log ?? silentLogger;
  const rt = await createJobRuntime({
    events: options.runtimeEvents?.(events) ?? events,
    bus,
    kv,
    readModels,
    configSource: config,
    remoteKernel: options.remote ?? {
      evaluate: async (): Promise<SafetyDecision> => {
        throw new Error('no remote kernel in this test');
      },
    },
    clock: systemClock,
    entropy: nodeEntropy,
    hasher: nodeHasher,
    crash: options.crash ?? noCrashPoints,
    log,
    ...(options.archive === undefined ? {} : { archive: options.archive }),
    prefix: 'ctx',
    partitions: PARTITIONS,
    options: {
      handOffTimeoutMs: options.handOffTimeoutMs ?? 1_000,
      ...(options.capacityGraceMs === undefined ? {} : { capacityGraceMs: options.capacityGraceMs }),
    },
  });
  const leases = new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock);
  const cursors = new KvCursorStore(await kv.bucket<number>('cursors'));
  const deps = { events, store: readModels, leases, clock: systemClock, crash: noCrashPoints, log };
  const runners = [jobsProjection, jobsDueProjection, jobQueuesProjection(PARTITIONS), dlqProjection]
    .filter((projection) => !(options.withoutProjections ?? []).includes(projection.name))
    .map((projection) => new ProjectionRunner(deps, projection, { owner: 'test', pollMs: 20, maxBatch: 256 }));
  for (const runner of runners) runner.start();
  const runProjection = (projection: Projection) => {
    const runner = new ProjectionRunner(deps, projection, { owner: 'test', pollMs: 20, maxBatch: 256 });
    runners.push(runner);
    runner.start();
    return runner;
  };
  const role = new SchedulerRole(rt, leases, cursors, await kv.bucket('members'), { owner: 'test', leaseTtlMs: 600 });
  role.start();
  const reconciler = new Reconciler(rt, leases, { owner: 'test', intervalMs: 50 });
  reconciler.start();
  return {
    rt,
    bus,
    events,
    kv,
    config,
    reconciler,
    readModels,
    leases,
    cursors,
    runProjection,
    submit: (input, opts = {}) =>
      submitJob(
        {
          jobs: rt.jobs,
          claims: rt.claims,
          config: rt.config,
          clock: systemClock,
          entropy: nodeEntropy,
          hasher: nodeHasher,
        },
        { tenant: opts.tenant ?? 'acme', input, idempotency_key: opts.key ?? null, actor: 'test' },
      ),
    history: async (jobId, tenant = 'acme') => [
      ...(await events.read(streamId('job', tenant, jobId), { from: 1 })).events,
    ],
    dlq: async (jobId, tenant = 'acme') => [...(await events.read(streamId('dlq', tenant, jobId), { from: 1 })).events],
    async stop() {
      await reconciler.stop();
      await role.stop();
      for (const runner of runners) await runner.stop();
      await rt.stop();
      await bus.close();
      await events.close();
    },
  };
}
