/**
 * Partition leases (SPEC 9, ARCHITECTURE.md section 5): three members share 16 partitions; one
 * crashes (stops renewing, releases nothing). The survivors must hold every partition within the
 * lease TTL plus one step interval — not only once the dead member has also dropped out of the member
 * count, which used to take two TTLs (survivors at their fair share of three would not take more).
 * Real timers and the embedded KV, with a short TTL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedKvStore } from '../../../src/adapters/embedded/kv-store.ts';
import { nodeEntropy } from '../../../src/adapters/node/entropy.ts';
import { KvLeaseStore, type LeaseRecord } from '../../../src/app/coordination/kv-lease-store.ts';
import { PartitionLeases, type RoleMember } from '../../../src/app/coordination/partition-leases.ts';
import type { KvBucket, Lease, LeaseStore } from '../../../src/app/ports.ts';
import { silentLogger, systemClock } from '../../../src/app/ports.ts';
import { waitFor } from '../../harness/wait-for.ts';

const PARTITIONS = 16;
const TTL_MS = 1_500;

/** A member's view of the stores that can be cut, as a SIGKILL would: every call fails from then on. */
class Crashable {
  crashed = false;

  leases(inner: LeaseStore): LeaseStore {
    return {
      acquire: (name: string, owner: string, ttlMs: number) => this.#guard(() => inner.acquire(name, owner, ttlMs)),
      renew: (lease: Lease, ttlMs: number) => this.#guard(() => inner.renew(lease, ttlMs)),
      release: (lease: Lease) => this.#guard(() => inner.release(lease)),
    };
  }

  members(inner: KvBucket<RoleMember>): KvBucket<RoleMember> {
    return new Proxy(inner, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          this.#guard(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      },
    });
  }

  #guard<T>(call: () => Promise<T>): Promise<T> {
    return this.crashed ? Promise.reject(new Error('process killed')) : call();
  }
}

const running: PartitionLeases<{ start(): Promise<void>; stop(): Promise<void> }>[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((member) => member.stop()));
});

describe('partition leases', () => {
  it('gives a crashed member’s partitions to the survivors within the lease TTL', { timeout: 30_000 }, async () => {
    const kv = new EmbeddedKvStore({ dataDir: null });
    const leases = new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock);
    const members = await kv.bucket<RoleMember>('members', { maxAgeMs: 30_000 });
    const crashables = ['a', 'b', 'c'].map(() => new Crashable());
    const group = ['a', 'b', 'c'].map((owner, i) => {
      const cut = crashables[i] as Crashable;
      const member = new PartitionLeases({
        role: 'scheduler',
        partitions: PARTITIONS,
        owner,
        leaseTtlMs: TTL_MS,
        leases: cut.leases(leases),
        members: cut.members(members),
        clock: systemClock,
        entropy: nodeEntropy,
        log: silentLogger,
        worker: () => ({ start: async () => {}, stop: async () => {} }),
      });
      member.start();
      running.push(member);
      return member;
    });
    const [a, b, c] = group as [(typeof group)[number], (typeof group)[number], (typeof group)[number]];

    await waitFor(
      'the partitions to be spread over the three members',
      () =>
        group.every((m) => m.partitions.length > 0) &&
        group.reduce((sum, m) => sum + m.partitions.length, 0) === PARTITIONS,
      { timeoutMs: 15_000, intervalMs: 10 },
    );
    const orphaned = c.partitions;
    const crashedAt = Date.now();
    (crashables[2] as Crashable).crashed = true;

    const tookMs = await waitFor(
      'the survivors to hold every partition',
      () => (new Set([...a.partitions, ...b.partitions]).size === PARTITIONS ? Date.now() - crashedAt : undefined),
      { timeoutMs: 15_000, intervalMs: 10 },
    );
    expect(orphaned.length).toBeGreaterThan(0);
    // The dead member's leases run out within one TTL of the crash; the survivors look every TTL/3.
    expect(tookMs).toBeLessThanOrEqual(TTL_MS + TTL_MS / 3 + 500);
    // ...and they share them: each survivor holds its fair share of two, no more.
    expect(Math.max(a.partitions.length, b.partitions.length)).toBe(PARTITIONS / 2);
  });
});
