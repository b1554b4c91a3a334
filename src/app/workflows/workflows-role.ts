/**
 * The workflows role (SPEC 9, ARCHITECTURE.md section 5): the partitions' workflow process managers
 * spread over the processes running the role by partition leases (`workflows.p<N>`), as the scheduler
 * role does for jobs, with its own members bucket; each held partition runs a WorkflowPartition.
 */
import { PartitionLeases, type RoleMember } from '../coordination/partition-leases.ts';
import type { CursorStore, KvBucket, LeaseStore } from '../ports.ts';
import type { WorkflowRuntime } from './runtime.ts';
import { WorkflowPartition } from './workflow-partition.ts';

export type { RoleMember };

export interface WorkflowsRoleOptions {
  /** Unique per process incarnation. */
  readonly owner: string;
  readonly leaseTtlMs?: number;
}

export class WorkflowsRole {
  readonly #leases: PartitionLeases<WorkflowPartition>;

  constructor(
    wrt: WorkflowRuntime,
    leases: LeaseStore,
    cursors: CursorStore,
    members: KvBucket<RoleMember>,
    options: WorkflowsRoleOptions,
  ) {
    this.#leases = new PartitionLeases({
      role: 'workflows',
      partitions: wrt.rt.options.partitions,
      owner: options.owner,
      ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
      leases,
      members,
      clock: wrt.rt.clock,
      entropy: wrt.rt.entropy,
      log: wrt.rt.log,
      worker: (partition) => new WorkflowPartition(wrt, cursors, partition),
    });
  }

  /** The partitions this process holds now. */
  get partitions(): number[] {
    return this.#leases.partitions;
  }

  manager(partition: number): WorkflowPartition | undefined {
    return this.#leases.worker(partition);
  }

  start(): void {
    this.#leases.start();
  }

  stop(): Promise<void> {
    return this.#leases.stop();
  }
}
