/**
 * Builds the job runtime from ports (the composition root hands them in): repositories, config
 * resolver, safety gate, worker registry (watching the workers bucket), tenant slots.
 */
import { roomBeforeOverload } from '../../domain/dispatch/load.ts';
import { protocolSubjects } from '../../domain/protocol/messages.ts';
import { JobConfigResolver } from '../config/job-config.ts';
import { type ParkedInput, ParkingLot } from '../parking.ts';
import type {
  Bus,
  Clock,
  ConfigSource,
  CrashPoints,
  Entropy,
  EventStore,
  Hasher,
  KvBucket,
  KvStore,
  Logger,
  ReadModelStore,
  RemoteKernel,
  RuntimeMetrics,
} from '../ports.ts';
import { noMetrics } from '../ports.ts';
import { ReadModels } from '../projections/read-models.ts';
import { CapacityShare } from './capacity-share.ts';
import { dlqRepository } from './dlq-repository.ts';
import type { JobArchive } from './job-archive.ts';
import { EffectRegistry } from './effects.ts';
import { jobRepository } from './job-repository.ts';
import { DEFAULT_RUNTIME_OPTIONS, type JobRuntime, type RuntimeOptions } from './runtime.ts';
import { SafetyGate } from './safety-gate.ts';
import type { IdempotencyClaim } from './submit.ts';
import { type SlotSet, TenantSlots } from './tenant-slots.ts';
import { WorkerRegistryView } from './worker-registry.ts';
import { registerReplays } from './replays.ts';

export interface RuntimePorts {
  readonly events: EventStore;
  readonly bus: Bus;
  readonly kv: KvStore;
  readonly readModels: ReadModelStore;
  readonly configSource: ConfigSource;
  readonly remoteKernel: RemoteKernel;
  readonly clock: Clock;
  readonly entropy: Entropy;
  readonly hasher: Hasher;
  readonly crash: CrashPoints;
  readonly log: Logger;
  readonly prefix: string;
  readonly partitions: number;
  readonly options?: Partial<Omit<RuntimeOptions, 'partitions'>>;
  /** Idempotency claims live this long (SPEC 1.3, default 24 h). */
  readonly idempotencyTtlMs?: number;
  /** Workers' heartbeat entries age out after this (SPEC 1.5, default 30 s). */
  readonly workerTtlMs?: number;
  readonly metrics?: RuntimeMetrics;
  /** Where finished jobs' histories are archived (docs/retention.md); reads by id fall back to it. */
  readonly archive?: JobArchive | null;
}

export interface StartedRuntime extends JobRuntime {
  readonly claims: KvBucket<IdempotencyClaim>;
  readonly hasher: Hasher;
  /** Null where nothing is archived (no hot window, or a test without one). */
  readonly archive: JobArchive | null;
  stop(): Promise<void>;
}

export async function createJobRuntime(ports: RuntimePorts): Promise<StartedRuntime> {
  const workers = await ports.kv.bucket<unknown>('workers', { maxAgeMs: ports.workerTtlMs ?? 30_000 });
  const registry = new WorkerRegistryView(workers, ports.log);
  await registry.start();
  const capacity = new CapacityShare();
  const unlistenCapacity = registry.onCapacity((worker) =>
    capacity.share(worker.heartbeat, Math.max(1, roomBeforeOverload(worker))),
  );
  const slots = new TenantSlots(await ports.kv.bucket<SlotSet>('slots'));
  const claims = await ports.kv.bucket<IdempotencyClaim>('idem', { maxAgeMs: ports.idempotencyTtlMs ?? 86_400_000 });
  const metrics = ports.metrics ?? noMetrics;
  const parking = new ParkingLot(
    await ports.kv.bucket<ParkedInput>('parked'),
    ports.log,
    () => ports.clock.now(),
    (source) => metrics.parked(source),
  );
  const runtime: StartedRuntime = {
    events: ports.events,
    jobs: jobRepository(ports.events, ports.clock),
    dlq: dlqRepository(ports.events, ports.clock),
    config: new JobConfigResolver(ports.configSource, ports.hasher, ports.log),
    safety: new SafetyGate({ remote: ports.remoteKernel, clock: ports.clock, hasher: ports.hasher, log: ports.log }),
    slots,
    registry,
    capacity,
    bus: ports.bus,
    readModels: new ReadModels(ports.readModels, ports.clock),
    subjects: protocolSubjects(ports.prefix),
    clock: ports.clock,
    entropy: ports.entropy,
    crash: ports.crash,
    log: ports.log,
    options: { ...DEFAULT_RUNTIME_OPTIONS, ...ports.options, partitions: ports.partitions },
    effects: new EffectRegistry(),
    parking,
    metrics,
    claims,
    hasher: ports.hasher,
    archive: ports.archive ?? null,
    async stop() {
      unlistenCapacity();
      registry.stop();
    },
  };
  registerReplays(runtime);
  return runtime;
}
