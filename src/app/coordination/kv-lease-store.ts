/**
 * Leases on any KV bucket with compare-and-set (JetStream KV, the embedded KV). The entry holds the
 * owner and the expiry; the fencing token is the revision of the write that took the lease, which
 * grows with every new holder because bucket revisions only grow.
 */
import type { Clock, KvBucket, Lease, LeaseStore } from '../ports.ts';

interface LeaseRecord {
  readonly owner: string;
  readonly expires_at: number;
  readonly token: number;
}

export class KvLeaseStore implements LeaseStore {
  readonly #bucket: KvBucket<LeaseRecord>;
  readonly #clock: Clock;

  constructor(bucket: KvBucket<LeaseRecord>, clock: Clock) {
    this.#bucket = bucket;
    this.#clock = clock;
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const now = this.#clock.now();
    const current = await this.#bucket.get(name);
    if (current === null) {
      // token 0 in the record: the token is this write's revision, known only after it.
      const revision = await this.#bucket.create(name, { owner, expires_at: now + ttlMs, token: 0 });
      return revision === null ? null : { name, owner, token: revision, expiresAt: now + ttlMs, revision };
    }
    const held = current.value.owner === owner && current.value.expires_at > now;
    if (!held && current.value.expires_at > now) return null;
    // A new holder's token is this write's revision; a holder re-acquiring keeps its token.
    const keptToken = held ? effectiveToken(current.value, current.revision) : 0;
    const revision = await this.#bucket.update(
      name,
      { owner, expires_at: now + ttlMs, token: keptToken },
      current.revision,
    );
    if (revision === null) return null;
    return { name, owner, token: held ? keptToken : revision, expiresAt: now + ttlMs, revision };
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | null> {
    const expiresAt = this.#clock.now() + ttlMs;
    const revision = await this.#bucket.update(
      lease.name,
      { owner: lease.owner, expires_at: expiresAt, token: lease.token },
      lease.revision,
    );
    return revision === null ? null : { ...lease, expiresAt, revision };
  }

  async release(lease: Lease): Promise<boolean> {
    const current = await this.#bucket.get(lease.name);
    if (current === null || current.revision !== lease.revision || current.value.owner !== lease.owner) return false;
    return this.#bucket.delete(lease.name, lease.revision);
  }
}

function effectiveToken(record: LeaseRecord, revision: number): number {
  return record.token === 0 ? revision : record.token;
}

export type { LeaseRecord };
