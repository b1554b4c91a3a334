/**
 * What every part of the job runtime shares within one process: the repositories, the config
 * resolver, the safety gate, the worker registry, tenant slots, the bus and the subjects. Built once by
 * the composition root; the scheduler's partitions, the reconciler and the API use the same instance.
 */
import type { ProtocolSubjects } from '../../domain/protocol/messages.ts';
import type { JobConfigResolver } from '../config/job-config.ts';
import type { ParkingLot } from '../parking.ts';
import type { Bus, Clock, CrashPoints, Entropy, EventStore, Logger, RuntimeMetrics } from '../ports.ts';
import type { ReadModels } from '../projections/read-models.ts';
import type { CapacityShare } from './capacity-share.ts';
import type { DlqRepository } from './dlq-repository.ts';
import type { EffectRegistry } from './effects.ts';
import type { JobRepository } from './job-repository.ts';
import type { SafetyGate } from './safety-gate.ts';
import type { TenantSlots } from './tenant-slots.ts';
import type { WorkerRegistryView } from './worker-registry.ts';

export interface RuntimeOptions {
  readonly partitions: number;
  /** How long a hand-off request waits for the worker's accept (a timeout appends nothing). */
  readonly handOffTimeoutMs: number;
  /** The cap on attempts whatever a request asks (the submission limit). */
  readonly maxAttempts: number;
  /** The long safety-net due time of a job in a wait queue. */
  readonly waitRecheckMs: number;
  /**
   * How long a due job that finds every worker busy waits in its scheduler's memory before it enters
   * the capacity queue with an event (0: at once). Bursts shorter than this cost no event per job.
   */
  readonly capacityGraceMs: number;
}

export const DEFAULT_RUNTIME_OPTIONS: Omit<RuntimeOptions, 'partitions'> = {
  handOffTimeoutMs: 5_000,
  maxAttempts: 100,
  waitRecheckMs: 5 * 60_000,
  capacityGraceMs: 1_000,
};

export interface JobRuntime {
  readonly events: EventStore;
  readonly jobs: JobRepository;
  readonly dlq: DlqRepository;
  readonly config: JobConfigResolver;
  readonly safety: SafetyGate;
  readonly slots: TenantSlots;
  readonly registry: WorkerRegistryView;
  /** Spare worker capacity shared out among this process's partition schedulers. */
  readonly capacity: CapacityShare;
  readonly bus: Bus;
  readonly readModels: ReadModels;
  readonly subjects: ProtocolSubjects;
  readonly clock: Clock;
  readonly entropy: Entropy;
  readonly crash: CrashPoints;
  readonly log: Logger;
  readonly options: RuntimeOptions;
  readonly effects: EffectRegistry;
  readonly parking: ParkingLot;
  readonly metrics: RuntimeMetrics;
}
