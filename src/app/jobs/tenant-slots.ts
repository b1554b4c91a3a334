/**
 * Tenant concurrency slots (SPEC 1.6), shared by every scheduler process through a KV bucket with
 * compare-and-set. A tenant's entry is the set of job ids holding a slot — not a counter — so taking a
 * slot twice or releasing it twice (a replayed event, a redelivery) changes nothing. Slots are taken
 * before scheduling and released when the job leaves flight (terminal, or back to PENDING); the
 * reconciler recounts them against the read model to repair what a crash left behind.
 */
import type { KvBucket } from '../ports.ts';

interface SlotSet {
  readonly jobs: readonly string[];
}

export class TenantSlots {
  readonly #bucket: KvBucket<SlotSet>;

  constructor(bucket: KvBucket<SlotSet>) {
    this.#bucket = bucket;
  }

  /** Takes a slot for the job if the tenant has fewer than `limit` (already holding one counts as taken). */
  async take(tenant: string, jobId: string, limit: number): Promise<boolean> {
    for (;;) {
      const entry = await this.#bucket.get(tenant);
      const jobs = entry?.value.jobs ?? [];
      if (jobs.includes(jobId)) return true;
      if (jobs.length >= limit) return false;
      const next = { jobs: [...jobs, jobId] };
      const written =
        entry === null
          ? await this.#bucket.create(tenant, next)
          : await this.#bucket.update(tenant, next, entry.revision);
      if (written !== null) return true;
    }
  }

  /** Gives the job's slot back (nothing if it holds none). Returns whether one was released. */
  async release(tenant: string, jobId: string): Promise<boolean> {
    for (;;) {
      const entry = await this.#bucket.get(tenant);
      if (entry === null || !entry.value.jobs.includes(jobId)) return false;
      const written = await this.#bucket.update(
        tenant,
        { jobs: entry.value.jobs.filter((j) => j !== jobId) },
        entry.revision,
      );
      if (written !== null) return true;
    }
  }

  async holders(tenant: string): Promise<readonly string[]> {
    return (await this.#bucket.get(tenant))?.value.jobs ?? [];
  }

  async tenants(): Promise<string[]> {
    return this.#bucket.keys();
  }

  /** Keeps only the holders `keep` approves (the reconciler's recount). Returns the ones dropped. */
  async retain(tenant: string, keep: (jobId: string) => boolean): Promise<string[]> {
    for (;;) {
      const entry = await this.#bucket.get(tenant);
      if (entry === null) return [];
      const dropped = entry.value.jobs.filter((job) => !keep(job));
      if (dropped.length === 0) return [];
      const written = await this.#bucket.update(tenant, { jobs: entry.value.jobs.filter(keep) }, entry.revision);
      if (written !== null) return dropped;
    }
  }
}

export type { SlotSet };
