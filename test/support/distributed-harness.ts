/**
 * An in-process control plane on real NATS JetStream + Redis (the runtime harness's twin): event
 * store, KV, bus and read models on the servers given, under a prefix, connecting with the NATS
 * credentials given. Workers are real (`createWorker`) or played over the protocol.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { NatsBus } from '../../src/adapters/jetstream/bus.ts';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../src/adapters/jetstream/kv-store.ts';
import { nodeEntropy, nodeHasher } from '../../src/adapters/node/entropy.ts';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import { StaticConfigSource } from '../../src/app/config/static-config-source.ts';
import { KvCursorStore } from '../../src/app/coordination/kv-cursor-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../src/app/coordination/kv-lease-store.ts';
import { BusSubmissions } from '../../src/app/jobs/bus-submissions.ts';
import { createJobRuntime, type StartedRuntime } from '../../src/app/jobs/create-runtime.ts';
import { Reconciler } from '../../src/app/jobs/reconciler.ts';
import { SchedulerRole } from '../../src/app/jobs/scheduler-role.ts';
import { type Submitted, submitJob } from '../../src/app/jobs/submit.ts';
import type { SafetyDecision } from '../../src/domain/job/events.ts';
import { noCrashPoints, silentLogger, systemClock } from '../../src/app/ports.ts';
import { ProjectionRunner } from '../../src/app/projections/runner.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { installationProjections } from '../../src/runtime-roles.ts';
import { DEFAULT_SYSTEM } from './runtime-harness.ts';

export interface DistributedHarness {
  readonly nc: NatsConnection;
  readonly rt: StartedRuntime;
  readonly events: JetStreamEventStore;
  readonly bus: NatsBus;
  readonly config: StaticConfigSource;
  readonly submissions: BusSubmissions;
  submit(input: Record<string, unknown>, tenant?: string): Promise<Submitted>;
  history(jobId: string, tenant?: string): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export async function startDistributedHarness(options: {
  natsUrl: string;
  redisUrl: string;
  prefix: string;
  user?: string;
  pass?: string;
  system?: Record<string, unknown>;
  partitions?: number;
}): Promise<DistributedHarness> {
  const nc = await connect({
    servers: options.natsUrl,
    ...(options.user === undefined ? {} : { user: options.user, pass: options.pass ?? '' }),
  });
  const redis = new Redis(options.redisUrl);
  const partitions = options.partitions ?? 4;
  const events = await JetStreamEventStore.open(nc, {
    prefix: options.prefix,
    partitions,
    replicas: 1,
    hotWindowMs: 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
  const bus = await NatsBus.open(nc, { prefix: options.prefix, replicas: 1, captureMaxAgeMs: 3_600_000 });
  const kv = new JetStreamKvStore(nc, { prefix: options.prefix, replicas: 1 });
  const readModels = new RedisReadModelStore(redis, options.prefix);
  const config = new StaticConfigSource({ 'system/default': options.system ?? DEFAULT_SYSTEM });
  const rt = await createJobRuntime({
    events,
    bus,
    kv,
    readModels,
    configSource: config,
    remoteKernel: {
      evaluate: async (): Promise<SafetyDecision> => {
        throw new Error('no remote kernel');
      },
    },
    clock: systemClock,
    entropy: nodeEntropy,
    hasher: nodeHasher,
    crash: noCrashPoints,
    log: silentLogger,
    prefix: options.prefix,
    partitions,
  });
  const leases = new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock);
  const cursors = new KvCursorStore(await kv.bucket<number>('cursors'));
  const deps = { events, store: readModels, leases, clock: systemClock, crash: noCrashPoints, log: silentLogger };
  const runners = installationProjections({ partitions }).map(
    (projection) => new ProjectionRunner(deps, projection, { owner: 'harness', pollMs: 50 }),
  );
  for (const runner of runners) runner.start();
  const role = new SchedulerRole(rt, leases, cursors, await kv.bucket('members', { maxAgeMs: 30_000 }), {
    owner: 'harness',
    leaseTtlMs: 1_500,
  });
  role.start();
  const reconciler = new Reconciler(rt, leases, { owner: 'harness', intervalMs: 100 });
  reconciler.start();
  const submissions = new BusSubmissions(
    rt,
    { leases, cursors, claims: rt.claims, hasher: rt.hasher, prefix: options.prefix },
    'harness',
  );
  submissions.start();
  return {
    nc,
    rt,
    events,
    bus,
    config,
    submissions,
    submit: (input, tenant = 'acme') =>
      submitJob(
        {
          jobs: rt.jobs,
          claims: rt.claims,
          config: rt.config,
          clock: systemClock,
          entropy: nodeEntropy,
          hasher: nodeHasher,
        },
        { tenant, input, idempotency_key: null, actor: 'test' },
      ),
    history: async (jobId, tenant = 'acme') => [
      ...(await events.read(streamId('job', tenant, jobId), { from: 1 })).events,
    ],
    async stop() {
      await submissions.stop();
      await reconciler.stop();
      await role.stop();
      for (const runner of runners) await runner.stop();
      await rt.stop();
      await bus.close();
      await events.close();
      await nc.close();
      redis.disconnect();
    },
  };
}
