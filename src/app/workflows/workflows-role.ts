/**
 * The workflows role (SPEC 9, ARCHITECTURE.md section 5): spreads the partitions' workflow process
 * managers over the processes running the role, as the scheduler role does for jobs, with its own
 * leases (`workflows.p<N>`) and members bucket. Each process announces itself, aims for its fair share
 * (partitions ÷ live members, rounded up), takes free or expired leases up to it, renews what it
 * holds and gives extras back when members join; a process that dies stops renewing, and the others
 * take its partitions once the leases expire. Each held partition runs a WorkflowPartition.
 */
import type { CursorStore, KvBucket, Lease, LeaseStore } from '../ports.ts';
import type { WorkflowRuntime } from './runtime.ts';
import { WorkflowPartition } from './workflow-partition.ts';

export interface WorkflowsRoleOptions {
  /** Unique per process incarnation. */
  readonly owner: string;
  readonly leaseTtlMs?: number;
}

export interface RoleMember {
  readonly owner: string;
}

interface Held {
  lease: Lease;
  readonly manager: WorkflowPartition;
}

export class WorkflowsRole {
  readonly #wrt: WorkflowRuntime;
  readonly #leases: LeaseStore;
  readonly #cursors: CursorStore;
  readonly #members: KvBucket<RoleMember>;
  readonly #owner: string;
  readonly #ttl: number;
  readonly #held = new Map<number, Held>();
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    wrt: WorkflowRuntime,
    leases: LeaseStore,
    cursors: CursorStore,
    members: KvBucket<RoleMember>,
    options: WorkflowsRoleOptions,
  ) {
    this.#wrt = wrt;
    this.#leases = leases;
    this.#cursors = cursors;
    this.#members = members;
    this.#owner = options.owner;
    this.#ttl = options.leaseTtlMs ?? 6_000;
  }

  /** The partitions this process holds now. */
  get partitions(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  manager(partition: number): WorkflowPartition | undefined {
    return this.#held.get(partition)?.manager;
  }

  start(): void {
    const loop = () => {
      if (this.#stopped) return;
      this.#tick = this.#step().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(loop, Math.max(50, Math.floor(this.#ttl / 3)));
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#tick;
    await Promise.all([...this.#held.keys()].map((p) => this.#give(p)));
    await this.#members.delete(this.#owner).catch(() => false);
  }

  async #step(): Promise<void> {
    try {
      await this.#members.put(this.#owner, { owner: this.#owner });
      const partitions = this.#wrt.rt.options.partitions;
      const target = Math.ceil(partitions / (await this.#liveMembers()));
      // Renew what we hold; a lease lost (we were paused past it) stops that partition here.
      for (const [partition, held] of this.#held) {
        const renewed = await this.#leases.renew(held.lease, this.#ttl);
        if (renewed === null) {
          this.#wrt.rt.log.warn({ partition, owner: this.#owner }, 'workflows partition lease lost');
          this.#held.delete(partition);
          await held.manager.stop();
        } else {
          held.lease = renewed;
        }
      }
      for (const partition of this.#shuffled(partitions)) {
        if (this.#held.size >= target || this.#stopped) break;
        if (this.#held.has(partition)) continue;
        const lease = await this.#leases.acquire(`workflows.p${partition}`, this.#owner, this.#ttl);
        if (lease === null) continue;
        const manager = new WorkflowPartition(this.#wrt, this.#cursors, partition);
        this.#held.set(partition, { lease, manager });
        await manager.start();
        this.#wrt.rt.log.info({ partition, owner: this.#owner }, 'workflows partition taken');
      }
      while (this.#held.size > target) {
        const extra = [...this.#held.keys()].pop();
        if (extra === undefined) break;
        await this.#give(extra);
      }
    } catch (error) {
      this.#wrt.rt.log.error({ owner: this.#owner, err: error }, 'workflows role step failed');
    }
  }

  async #give(partition: number): Promise<void> {
    const held = this.#held.get(partition);
    if (held === undefined) return;
    this.#held.delete(partition);
    await held.manager.stop();
    await this.#leases.release(held.lease).catch(() => false);
  }

  async #liveMembers(): Promise<number> {
    const now = this.#wrt.rt.clock.now();
    let live = 0;
    for (const key of await this.#members.keys()) {
      const entry = await this.#members.get(key);
      if (entry !== null && now - entry.writtenAt < this.#ttl * 2) live++;
    }
    return Math.max(1, live);
  }

  #shuffled(partitions: number): number[] {
    const all = Array.from({ length: partitions }, (_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(this.#wrt.rt.entropy.random() * (i + 1));
      [all[i], all[j]] = [all[j] as number, all[i] as number];
    }
    return all;
  }
}
