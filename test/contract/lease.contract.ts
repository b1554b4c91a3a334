/** The lease contract: one holder at a time, expiry, renewal, release only by the owner, fencing. */
import { setInterval } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeaseStore } from '../../src/app/ports.ts';
import { waitFor } from '../harness/wait-for.ts';

export interface LeaseFixture {
  readonly leases: LeaseStore;
  /** A second, independent client of the same backing store (another process). */
  readonly other: LeaseStore;
  dispose(): Promise<void>;
}

let n = 0;
const name = () => `lease-${Date.now().toString(36)}-${n++}`;

export function leaseContract(adapter: string, makeFixture: () => Promise<LeaseFixture>) {
  describe(`LeaseStore contract: ${adapter}`, () => {
    let f: LeaseFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('has one holder at a time', async () => {
      const lease = name();
      const a = await f.leases.acquire(lease, 'owner-a', 10_000);
      expect(a).not.toBeNull();
      expect(a?.owner).toBe('owner-a');
      expect(await f.other.acquire(lease, 'owner-b', 10_000)).toBeNull();
      expect(await f.leases.acquire(lease, 'owner-c', 10_000)).toBeNull();
    });

    it('lets exactly one of many racing acquirers win', async () => {
      const lease = name();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? f.other : f.leases).acquire(lease, `owner-${i}`, 10_000)),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('passes to another owner once it expires, with a larger fencing token', async () => {
      const lease = name();
      const a = await f.leases.acquire(lease, 'owner-a', 300);
      expect(a).not.toBeNull();
      const b = await waitFor(
        'the expired lease to be taken',
        () => f.other.acquire(lease, 'owner-b', 10_000).then((l) => l ?? false),
        {
          timeoutMs: 5000,
          intervalMs: 50,
        },
      );
      expect(b.owner).toBe('owner-b');
      expect(b.token).toBeGreaterThan(a?.token ?? Number.POSITIVE_INFINITY);
      expect(await f.leases.renew(a as NonNullable<typeof a>, 10_000)).toBeNull();
    });

    it('is kept by renewing it before it expires', async () => {
      const lease = name();
      let held = await f.leases.acquire(lease, 'owner-a', 400);
      expect(held).not.toBeNull();
      const until = Date.now() + 1500;
      // Renewed every 100 ms, as a holder does, for longer than the TTL: a pace, not a wait.
      for await (const _tick of setInterval(100)) {
        if (Date.now() >= until) break;
        held = await f.leases.renew(held as NonNullable<typeof held>, 400);
        expect(held).not.toBeNull();
        expect(await f.other.acquire(lease, 'owner-b', 400)).toBeNull();
      }
      expect(held?.token).toBeGreaterThan(0);
    });

    it('is released only by its owner', async () => {
      const lease = name();
      const a = await f.leases.acquire(lease, 'owner-a', 10_000);
      if (a === null) throw new Error('not acquired');
      expect(await f.other.release({ ...a, owner: 'owner-b' })).toBe(false);
      expect(await f.other.acquire(lease, 'owner-b', 10_000)).toBeNull();
      expect(await f.leases.release(a)).toBe(true);
      expect(await f.leases.release(a)).toBe(false);
      const b = await f.other.acquire(lease, 'owner-b', 10_000);
      expect(b?.owner).toBe('owner-b');
      expect(b?.token).toBeGreaterThan(a.token);
    });

    it('can be acquired again by its holder', async () => {
      const lease = name();
      const a = await f.leases.acquire(lease, 'owner-a', 10_000);
      const again = await f.leases.acquire(lease, 'owner-a', 10_000);
      expect(again?.owner).toBe('owner-a');
      expect(again?.token).toBe(a?.token);
      expect(await f.leases.renew(again as NonNullable<typeof again>, 10_000)).not.toBeNull();
    });
  });
}
