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
  /** What the running step is doing, for the warning about a step that runs past the TTL. */
  #doing = 'idle';

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
      // A step still running after a whole TTL has let every lease it holds expire: say where it is.
      const watchdog = setTimeout(() => {
        const { role, owner } = this.#o;
        this.#o.log.warn({ role, owner, doing: this.#doing }, 'partition leases step stuck past the lease TTL');
      }, this.#ttl);
      watchdog.unref();
      this.#tick = this.#step().finally(() => {
        clearTimeout(watchdog);
        this.#doing = 'idle';
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
    const startedAt = this.#o.clock.now();
    try {
      this.#doing = 'announcing';
      await this.#o.members.put(owner, { owner });
      this.#doing = 'counting members';
      const target = Math.ceil(this.#o.partitions / (await this.#liveMembers()));
      // Every KV round trip of a step delays the next renewal, so the step's round trips run side by
      // side: renewals all at once, acquisitions in batches of what is still missing, give-backs at
      // once. One at a time, a step on a busy server outlived the leases it was renewing.
      this.#doing = `renewing ${this.#held.size} leases`;
      const renewals = await Promise.allSettled(
        [...this.#held].map(async ([partition, held]) => {
          const renewed = await leases.renew(held.lease, this.#ttl);
          if (renewed === null) return partition;
          held.lease = renewed;
          return null;
        }),
      );
      // A lease lost (we were paused past it) stops that partition here.
      for (const renewal of renewals) {
        const partition = renewal.status === 'fulfilled' ? renewal.value : null;
        const held = partition === null ? undefined : this.#held.get(partition);
        if (partition === null || held === undefined) continue;
        log.warn({ role, partition, owner }, 'partition lease lost');
        this.#held.delete(partition);
        this.#doing = `stopping p${partition} (lease lost)`;
        await held.worker.stop();
      }
      const candidates = this.#shuffled().filter((partition) => !this.#held.has(partition));
      while (this.#held.size < target && candidates.length > 0 && !this.#stopped) {
        const batch = candidates.splice(0, target - this.#held.size);
        this.#doing = `acquiring ${batch.map((p) => `p${p}`).join(', ')}`;
        const acquired = await Promise.allSettled(
          batch.map((partition) => leases.acquire(`${role}.p${partition}`, owner, this.#ttl)),
        );
        const taken: { partition: number; worker: W }[] = [];
        acquired.forEach((result, i) => {
          const partition = batch[i] as number;
          if (result.status !== 'fulfilled' || result.value === null) return;
          const worker = this.#o.worker(partition);
          this.#held.set(partition, { lease: result.value, worker });
          taken.push({ partition, worker });
        });
        this.#doing = `starting ${taken.map((t) => `p${t.partition}`).join(', ')}`;
        await Promise.all(
          taken.map(async ({ partition, worker }) => {
            await worker.start();
            log.info({ role, partition, owner }, 'partition taken');
          }),
        );
        const failed = acquired.find((result) => result.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
      }
      const extras = [...this.#held.keys()].slice(target);
      if (extras.length > 0) {
        this.#doing = `giving back ${extras.map((p) => `p${p}`).join(', ')}`;
        await Promise.all(extras.map((partition) => this.#give(partition)));
      }
      const failedRenewal = renewals.find((renewal) => renewal.status === 'rejected');
      if (failedRenewal !== undefined) throw failedRenewal.reason;
    } catch (error) {
      log.error({ role, owner, err: error }, 'partition leases step failed');
    }
    // The next renewal waits for this step: one that ran past a third of the TTL eats into the
    // margin before the leases it holds expire. Worth seeing in the logs before it costs a takeover.
    const tookMs = this.#o.clock.now() - startedAt;
    if (tookMs > this.#ttl / 3)
      log.warn({ role, owner, took_ms: tookMs, held: this.#held.size }, 'partition leases step slow');
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
