/**
 * The scheduler role (SPEC 9, ARCHITECTURE.md section 5): spreads the partitions over the processes
 * running it. Each process announces itself in a members bucket, aims for its fair share (partitions ÷
 * live members, rounded up), takes free or expired partition leases up to it, renews what it holds,
 * and gives extras back when members join. A process that dies stops renewing; the others take its
 * partitions once the leases expire. Each held partition runs a PartitionScheduler.
 */
import type { CursorStore, KvBucket, Lease, LeaseStore } from '../ports.ts';
import { PartitionScheduler } from './partition-scheduler.ts';
import type { JobRuntime } from './runtime.ts';

export interface SchedulerRoleOptions {
  readonly owner: string;
  readonly leaseTtlMs?: number;
}

interface Held {
  lease: Lease;
  readonly scheduler: PartitionScheduler;
}

interface Member {
  readonly owner: string;
}

export class SchedulerRole {
  readonly #rt: JobRuntime;
  readonly #leases: LeaseStore;
  readonly #cursors: CursorStore;
  readonly #members: KvBucket<Member>;
  readonly #owner: string;
  readonly #ttl: number;
  readonly #held = new Map<number, Held>();
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    rt: JobRuntime,
    leases: LeaseStore,
    cursors: CursorStore,
    members: KvBucket<Member>,
    options: SchedulerRoleOptions,
  ) {
    this.#rt = rt;
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

  scheduler(partition: number): PartitionScheduler | undefined {
    return this.#held.get(partition)?.scheduler;
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
      const target = Math.ceil(this.#rt.options.partitions / (await this.#liveMembers()));
      // Renew what we hold; a lease lost (we were paused past it) stops that partition here.
      for (const [partition, held] of this.#held) {
        const renewed = await this.#leases.renew(held.lease, this.#ttl);
        if (renewed === null) {
          this.#rt.log.warn({ partition, owner: this.#owner }, 'partition lease lost');
          this.#held.delete(partition);
          await held.scheduler.stop();
        } else {
          held.lease = renewed;
        }
      }
      for (const partition of this.#shuffled()) {
        if (this.#held.size >= target) break;
        if (this.#held.has(partition)) continue;
        const lease = await this.#leases.acquire(`scheduler.p${partition}`, this.#owner, this.#ttl);
        if (lease === null) continue;
        const scheduler = new PartitionScheduler(this.#rt, this.#cursors, partition);
        this.#held.set(partition, { lease, scheduler });
        await scheduler.start();
        this.#rt.log.info({ partition, owner: this.#owner }, 'partition taken');
      }
      while (this.#held.size > target) {
        const extra = [...this.#held.keys()].pop();
        if (extra === undefined) break;
        await this.#give(extra);
      }
    } catch (error) {
      this.#rt.log.error({ owner: this.#owner, err: error }, 'scheduler role step failed');
    }
  }

  async #give(partition: number): Promise<void> {
    const held = this.#held.get(partition);
    if (held === undefined) return;
    this.#held.delete(partition);
    await held.scheduler.stop();
    await this.#leases.release(held.lease).catch(() => false);
  }

  async #liveMembers(): Promise<number> {
    const now = this.#rt.clock.now();
    let live = 0;
    for (const key of await this.#members.keys()) {
      const entry = await this.#members.get(key);
      if (entry !== null && now - entry.writtenAt < this.#ttl * 2) live++;
    }
    return Math.max(1, live);
  }

  #shuffled(): number[] {
    const all = Array.from({ length: this.#rt.options.partitions }, (_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(this.#rt.entropy.random() * (i + 1));
      [all[i], all[j]] = [all[j] as number, all[i] as number];
    }
    return all;
  }
}
