/**
 * The API under test, wired the way the composition root wires it (createApiDeps over ports and the
 * job runtime), on the embedded adapters (in memory) or on the real servers (NATS JetStream + Redis,
 * isolated by prefix), with every projection runner running in process, and a set of API keys. With
 * `jobRoles`, the scheduler, reconciler and bulk-operations runner run too, so submitted jobs reach a
 * worker the test plays over the bus (`FakeWorker`, with `api.bus`, `api.workers()`, `api.prefix`),
 * and so do the workflows role and the run reconciler, so runs started through the API go on.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { InProcessBus } from '../../../src/adapters/embedded/bus.ts';
import { EmbeddedEventStore } from '../../../src/adapters/embedded/event-store.ts';
import { EmbeddedKvStore } from '../../../src/adapters/embedded/kv-store.ts';
import { MemoryReadModelStore } from '../../../src/adapters/embedded/read-model-store.ts';
import { NatsBus } from '../../../src/adapters/jetstream/bus.ts';
import { JetStreamEventStore } from '../../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../../src/adapters/jetstream/kv-store.ts';
import { nodeEntropy, nodeHasher } from '../../../src/adapters/node/entropy.ts';
import { RedisReadModelStore } from '../../../src/adapters/redis/read-model-store.ts';
import { type App, buildApp } from '../../../src/api/app.ts';
import { type ApiKey, hashApiKey, type Role } from '../../../src/api/auth/api-keys.ts';
import { createClient } from '../../../src/api/client/index.ts';
import { type ApiConfig, DEFAULT_API_CONFIG } from '../../../src/api/config.ts';
import { type ApiDeps, createApiDeps } from '../../../src/api/deps.ts';
import { ReadModelConfigSource } from '../../../src/app/config/read-model-config-source.ts';
import { KvCursorStore } from '../../../src/app/coordination/kv-cursor-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../../src/app/coordination/kv-lease-store.ts';
import { createJobRuntime, type StartedRuntime } from '../../../src/app/jobs/create-runtime.ts';
import {
  createWorkflowRuntime,
  type StartedWorkflowRuntime,
  WORKFLOW_PROJECTIONS,
} from '../../../src/app/workflows/create-workflow-runtime.ts';
import { OperationsRunner } from '../../../src/app/jobs/operations.ts';
import { Reconciler } from '../../../src/app/jobs/reconciler.ts';
import { SchedulerRole } from '../../../src/app/jobs/scheduler-role.ts';
import type {
  Bus,
  CursorStore,
  EventStore,
  KvBucket,
  KvStore,
  LeaseStore,
  ReadModelStore,
} from '../../../src/app/ports.ts';
import { noCrashPoints, silentLogger, systemClock } from '../../../src/app/ports.ts';
import { ReadModels } from '../../../src/app/projections/read-models.ts';
import { ProjectionRunner } from '../../../src/app/projections/runner.ts';
import type { SafetyDecision } from '../../../src/domain/job/events.ts';
import { configProjection } from '../../../src/projections/config/projection.ts';
import { dlqProjection } from '../../../src/projections/dlq/projection.ts';
import { jobQueuesProjection } from '../../../src/projections/job-queues/projection.ts';
import { jobsProjection } from '../../../src/projections/jobs/projection.ts';
import { jobsDueProjection } from '../../../src/projections/jobs-due/projection.ts';
import type { Projection } from '../../../src/projections/projection.ts';
import { uniquePrefix } from '../../harness/prefix.ts';
import { injectFetch } from './inject-fetch.ts';

export type Backend = 'embedded' | 'nats+redis';

/** The keys every API test has: name → (tenant, role). Each key's secret is `secret-<name>`. */
export const KEYS = {
  acmeViewer: { tenant: 'acme', role: 'viewer' },
  acmeOperator: { tenant: 'acme', role: 'operator' },
  acmeAdmin: { tenant: 'acme', role: 'admin' },
  globexAdmin: { tenant: 'globex', role: 'admin' },
  starViewer: { tenant: '*', role: 'viewer' },
  starAdmin: { tenant: '*', role: 'admin' },
} as const satisfies Record<string, { tenant: string; role: Role }>;
export type KeyName = keyof typeof KEYS;

export const secretOf = (name: KeyName) => `secret-${name}`;

export function apiKeys(): ApiKey[] {
  return Object.entries(KEYS).map(([id, key]) => ({ id, hash: hashApiKey(secretOf(id as KeyName)), ...key }));
}

export interface StartOptions {
  readonly backend?: Backend;
  /** Default: the KEYS set. `[]` runs the API open (loopback). */
  readonly keys?: readonly ApiKey[];
  readonly config?: Partial<ApiConfig>;
  /** Run the projection runners (default true). */
  readonly runners?: boolean;
  /**
   * Run the scheduler, the reconciler and the bulk-operations runner, the workflows role and the run
   * reconciler (default false).
   */
  readonly jobRoles?: boolean;
}

export interface RunningApi {
  readonly app: App;
  readonly deps: ApiDeps;
  readonly events: EventStore;
  readonly store: ReadModelStore;
  readonly backend: Backend;
  /** The job runtime the API acts through. */
  readonly rt: StartedRuntime;
  /** The workflow runtime the API acts through (on that job runtime). */
  readonly wf: StartedWorkflowRuntime;
  /** The bus and subject prefix a test's worker talks on. */
  readonly bus: Bus;
  readonly prefix: string;
  /** The registry bucket workers heartbeat into. */
  workers(): Promise<KvBucket<unknown>>;
  /** Headers authenticating as a key. */
  auth(name: KeyName): Record<string, string>;
  /** The typed client, talking to the app through inject (no socket). */
  client(name: KeyName | null): ReturnType<typeof createClient>;
  /** Every aggregate type's head position. */
  heads(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

interface Ports {
  prefix: string;
  events: EventStore;
  store: ReadModelStore;
  kv: KvStore;
  bus: Bus;
  leases: LeaseStore;
  cursors: CursorStore;
  dispose(): Promise<void>;
}

async function embeddedPorts(): Promise<Ports> {
  const events = await EmbeddedEventStore.open({ dataDir: null, partitions: PARTITIONS });
  const kv = new EmbeddedKvStore({ dataDir: null });
  const bus = new InProcessBus();
  return {
    prefix: 'ctx',
    events,
    store: new MemoryReadModelStore(),
    kv,
    bus,
    leases: new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock),
    cursors: new KvCursorStore(await kv.bucket<number>('cursors')),
    async dispose() {
      await bus.close();
      await events.close();
      await kv.close();
    },
  };
}

async function realPorts(): Promise<Ports> {
  const prefix = uniquePrefix('api');
  const nc: NatsConnection = await connect({ servers: inject('natsUrl') });
  const redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: null });
  await redis.connect();
  const events = await JetStreamEventStore.open(nc, {
    prefix,
    partitions: PARTITIONS,
    replicas: 1,
    hotWindowMs: 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
  const kv = new JetStreamKvStore(nc, { prefix, replicas: 1 });
  const bus = await NatsBus.open(nc, { prefix, replicas: 1, captureMaxAgeMs: 600_000 });
  return {
    prefix,
    events,
    store: new RedisReadModelStore(redis, prefix),
    kv,
    bus,
    leases: new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock),
    cursors: new KvCursorStore(await kv.bucket<number>('cursors')),
    async dispose() {
      await bus.close();
      await events.close();
      const jsm = await jetstreamManager(nc);
      for await (const info of jsm.streams.list()) {
        const name = info.config.name;
        if (name.startsWith(`${prefix.toUpperCase()}_`) || name.startsWith(`KV_${prefix}_`))
          await jsm.streams.delete(name);
      }
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await nc.close();
      redis.disconnect();
    },
  };
}

const PARTITIONS = 4;

/** Every read model of an installation (as `installationProjections` in the composition root). */
export const TEST_PROJECTIONS: readonly Projection[] = [
  jobsProjection,
  jobsDueProjection,
  jobQueuesProjection(PARTITIONS),
  dlqProjection,
  configProjection,
  ...WORKFLOW_PROJECTIONS,
];

export async function startApi(options: StartOptions = {}): Promise<RunningApi> {
  const backend = options.backend ?? 'embedded';
  const ports = backend === 'embedded' ? await embeddedPorts() : await realPorts();
  // The runtime reads config as the composition root's does: from the config read model.
  const configSource = new ReadModelConfigSource(new ReadModels(ports.store, systemClock), 50);
  const rt = await createJobRuntime({
    events: ports.events,
    bus: ports.bus,
    kv: ports.kv,
    readModels: ports.store,
    configSource,
    remoteKernel: {
      evaluate: (): Promise<SafetyDecision> => Promise.reject(new Error('no remote kernel in the API tests')),
    },
    clock: systemClock,
    entropy: nodeEntropy,
    hasher: nodeHasher,
    crash: noCrashPoints,
    log: silentLogger,
    prefix: ports.prefix,
    partitions: PARTITIONS,
    options: { handOffTimeoutMs: 2_000 },
  });
  const wf = await createWorkflowRuntime(rt, {
    kv: ports.kv,
    leases: ports.leases,
    cursors: ports.cursors,
    options: { pendingGraceMs: 500 },
  });
  const deps = createApiDeps({
    events: ports.events,
    readModels: ports.store,
    projections: TEST_PROJECTIONS,
    clock: systemClock,
    log: silentLogger,
    runtime: {
      mode: backend === 'embedded' ? 'embedded' : 'distributed',
      description: backend,
      version: '0.0.0-test',
      startedAt: Date.now(),
    },
    rebuildDropOldAfterMs: 50,
    jobRuntime: rt,
    workflowRuntime: wf,
  });
  const runners =
    options.runners === false
      ? []
      : TEST_PROJECTIONS.map(
          (projection) =>
            new ProjectionRunner(
              {
                events: deps.events,
                store: ports.store,
                leases: ports.leases,
                clock: systemClock,
                crash: noCrashPoints,
                log: silentLogger,
              },
              projection,
              { owner: `test-${projection.name}`, pollMs: 20, leaseTtlMs: 3000 },
            ),
        );
  for (const runner of runners) runner.start();
  // Stopped in order: the workflow roles first (they create step jobs), then the job roles.
  const roles: (() => Promise<void>)[] = [];
  if (options.jobRoles === true) {
    const jobStops = await startJobRoles(rt, ports, deps);
    roles.push(...startWorkflowRoles(wf), ...jobStops);
  }
  const app = await buildApp(deps, {
    ...DEFAULT_API_CONFIG,
    keys: options.keys ?? apiKeys(),
    ...options.config,
  });
  const fetch = injectFetch(app);
  return {
    app,
    deps,
    events: deps.events,
    store: ports.store,
    backend,
    rt,
    wf,
    bus: ports.bus,
    prefix: ports.prefix,
    workers: () => ports.kv.bucket<unknown>('workers', { maxAgeMs: 30_000 }),
    auth: (name) => ({ authorization: `Bearer ${secretOf(name)}` }),
    client: (name) =>
      createClient({ url: 'http://coretex.test', ...(name === null ? {} : { apiKey: secretOf(name) }), fetch }),
    async heads() {
      const types = ['job', 'run', 'dlq', 'workflow', 'config', 'op'] as const;
      const values = await Promise.all(types.map((type) => deps.events.headPosition(type)));
      return Object.fromEntries(types.map((type, i) => [type, values[i] ?? 0]));
    },
    async close() {
      await app.close();
      await deps.rebuilds.settled();
      for (const stop of roles) await stop();
      await Promise.all(runners.map((runner) => runner.stop()));
      await rt.stop();
      configSource.close();
      await ports.dispose();
    },
  };
}

/** The scheduler, reconciler and bulk-operations runner on the test's runtime; their stops, in order. */
async function startJobRoles(rt: StartedRuntime, ports: Ports, deps: ApiDeps): Promise<(() => Promise<void>)[]> {
  const scheduler = new SchedulerRole(rt, ports.leases, ports.cursors, await ports.kv.bucket('members'), {
    owner: 'test',
    leaseTtlMs: 3_000,
  });
  scheduler.start();
  const reconciler = new Reconciler(rt, ports.leases, { owner: 'test', intervalMs: 50 });
  reconciler.start();
  const jobs = deps.jobRuntime;
  if (jobs === null) throw new Error('the API has no job runtime');
  const operations = new OperationsRunner(
    rt,
    jobs.operations,
    { leases: ports.leases, cursors: ports.cursors, claims: rt.claims, hasher: rt.hasher },
    'test',
  );
  operations.start();
  return [() => operations.stop(), () => reconciler.stop(), () => scheduler.stop()];
}

/** The workflows role and the run reconciler on the test's workflow runtime; their stops. */
function startWorkflowRoles(wf: StartedWorkflowRuntime): (() => Promise<void>)[] {
  const role = wf.workflowsRole({ owner: 'test', leaseTtlMs: 3_000 });
  role.start();
  const reconciler = wf.runReconciler({ owner: 'test', intervalMs: 50 });
  reconciler.start();
  return [() => role.stop(), () => reconciler.stop()];
}
