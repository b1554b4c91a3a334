/**
 * Spreading a role's partitions over the processes that run it (SPEC 9, ARCHITECTURE.md section 5),
 * for the partitioned roles (scheduler, workflows). Each process announces itself in a members bucket,
 * aims for its fair share (partitions ÷ live members, rounded up), takes free or expired partition
 * leases up to it, renews what it holds, and gives extras back when members join. A process that dies
 * stops renewing; the others take its partitions once the leases expire. Each held partition runs one
 * worker made by the role (a PartitionScheduler, a WorkflowPartition).
 */
import type { Clock, Entropy, KvBucket, Lease, LeaseStore, Logger } from '../ports.ts';

/** How long a partition lease lasts unless renewed: a dead process's partitions are free this long after its last renewal. */
export const DEFAULT_PARTITION_LEASE_TTL_MS = 6_000;

export interface PartitionWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RoleMember {
  readonly owner: string;
}

export interface PartitionLeasesOptions<W extends PartitionWorker> {
  /** The role's name: its lease keys are `<role>.p<N>`, and it names the role in logs. */
  readonly role: string;
  readonly partitions: number;
  /** Unique per process incarnation. */
  readonly owner: string;
  readonly leaseTtlMs?: number;
  readonly leases: LeaseStore;
  readonly members: KvBucket<RoleMember>;
  readonly clock: Clock;
  readonly entropy: Entropy;
  readonly log: Logger;
  readonly worker: (partition: number) => W;
}

interface Held<W> {
  lease: Lease;
  readonly worker: W;
}

export class PartitionLeases<W extends PartitionWorker> {
  readonly #o: PartitionLeasesOptions<W>;
  readonly #ttl: number;
  readonly #held = new Map<number, Held<W>>();
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: PartitionLeasesOptions<W>) {
    this.#o = options;
    this.#ttl = options.leaseTtlMs ?? DEFAULT_PARTITION_LEASE_TTL_MS;
  }

  /** The partitions this process holds now. */
  get partitions(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  worker(partition: number): W | undefined {
    return this.#held.get(partition)?.worker;
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
    await this.#o.members.delete(this.#o.owner).catch(() => false);
  }

  async #step(): Promise<void> {
    const { role, owner, leases, log } = this.#o;
    try {
      await this.#o.members.put(owner, { owner });
      const target = Math.ceil(this.#o.partitions / (await this.#liveMembers()));
      // Renew what we hold; a lease lost (we were paused past it) stops that partition here.
      for (const [partition, held] of this.#held) {
        const renewed = await leases.renew(held.lease, this.#ttl);
        if (renewed === null) {
          log.warn({ role, partition, owner }, 'partition lease lost');
          this.#held.delete(partition);
          await held.worker.stop();
        } else {
          held.lease = renewed;
        }
      }
      for (const partition of this.#shuffled()) {
        if (this.#held.size >= target || this.#stopped) break;
        if (this.#held.has(partition)) continue;
        const lease = await leases.acquire(`${role}.p${partition}`, owner, this.#ttl);
        if (lease === null) continue;
        const worker = this.#o.worker(partition);
        this.#held.set(partition, { lease, worker });
        await worker.start();
        log.info({ role, partition, owner }, 'partition taken');
      }
      while (this.#held.size > target) {
        const extra = [...this.#held.keys()].pop();
        if (extra === undefined) break;
        await this.#give(extra);
      }
    } catch (error) {
      log.error({ role, owner, err: error }, 'partition leases step failed');
    }
  }

  async #give(partition: number): Promise<void> {
    const held = this.#held.get(partition);
    if (held === undefined) return;
    this.#held.delete(partition);
    await held.worker.stop();
    await this.#o.leases.release(held.lease).catch(() => false);
  }

  /**
   * Members that announced themselves within one lease TTL. A member writes every step (TTL/3), so a
   * live one is always counted; a dead one drops out when its leases run out — not later, or the
   * survivors, already at their fair share of the old count, would leave its partitions unowned
   * until it did (a takeover of two TTLs instead of one).
   */
  async #liveMembers(): Promise<number> {
    const now = this.#o.clock.now();
    let live = 0;
    for (const key of await this.#o.members.keys()) {
      const entry = await this.#o.members.get(key);
      if (entry !== null && now - entry.writtenAt < this.#ttl) live++;
    }
    return Math.max(1, live);
  }

  #shuffled(): number[] {
    const all = Array.from({ length: this.#o.partitions }, (_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(this.#o.entropy.random() * (i + 1));
      [all[i], all[j]] = [all[j] as number, all[i] as number];
    }
    return all;
  }
}
