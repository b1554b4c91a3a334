/**
 * The scheduler role (SPEC 9, ARCHITECTURE.md section 5): the job partitions spread over the processes
 * running it by partition leases (`scheduler.p<N>`); each held partition runs a PartitionScheduler.
 */
import { PartitionLeases, type RoleMember } from '../coordination/partition-leases.ts';
import type { CursorStore, KvBucket, LeaseStore } from '../ports.ts';
import { PartitionScheduler } from './partition-scheduler.ts';
import type { JobRuntime } from './runtime.ts';

export interface SchedulerRoleOptions {
  readonly owner: string;
  readonly leaseTtlMs?: number;
}

export class SchedulerRole {
  readonly #leases: PartitionLeases<PartitionScheduler>;

  constructor(
    rt: JobRuntime,
    leases: LeaseStore,
    cursors: CursorStore,
    members: KvBucket<RoleMember>,
    options: SchedulerRoleOptions,
  ) {
    this.#leases = new PartitionLeases({
      role: 'scheduler',
      partitions: rt.options.partitions,
      owner: options.owner,
      ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
      leases,
      members,
      clock: rt.clock,
      entropy: rt.entropy,
      log: rt.log,
      worker: (partition) => new PartitionScheduler(rt, cursors, partition),
    });
  }

  /** The partitions this process holds now. */
  get partitions(): number[] {
    return this.#leases.partitions;
  }

  scheduler(partition: number): PartitionScheduler | undefined {
    return this.#leases.worker(partition);
  }

  start(): void {
    this.#leases.start();
  }

  stop(): Promise<void> {
    return this.#leases.stop();
  }
}
