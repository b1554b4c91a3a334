/**
 * CapacityShare: a worker's room goes round the partitions of the process — never more jobs woken in
 * all than the room, as many as the room when that many wait, and the partitions take turns at going
 * first, so one with jobs waiting is not left out while another always has some; each partition looks
 * at its read model's queues at every share.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CapacityShare, type CapacityWaker } from '../../../src/app/jobs/capacity-share.ts';
import type { WorkerHeartbeat } from '../../../src/domain/dispatch/registry.ts';

const worker = { worker_id: 'w1' } as WorkerHeartbeat;

/** A partition with `waiting` jobs; wakes what it is offered, up to what it has. */
function partition(waiting: number): CapacityWaker & { waiting: number; woken: number; storeLooks: number } {
  return {
    waiting,
    woken: 0,
    storeLooks: 0,
    wakeForCapacity(_worker, room) {
      const n = Math.min(room, this.waiting);
      this.waiting -= n;
      this.woken += n;
      return n;
    },
    wakeStoredForCapacity() {
      this.storeLooks++;
    },
  };
}

describe('CapacityShare', () => {
  it('wakes as many jobs in all as the room, or every waiting one when fewer wait', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(20), { maxLength: 16 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        (waiting, rooms) => {
          const share = new CapacityShare();
          const partitions = waiting.map(partition);
          for (const p of partitions) share.join(p);
          for (const room of rooms) {
            const before = partitions.reduce((sum, p) => sum + p.waiting, 0);
            const woken = share.share(worker, room);
            expect(woken).toBe(Math.min(room, before));
            expect(partitions.reduce((sum, p) => sum + p.waiting, 0)).toBe(before - woken);
          }
        },
      ),
    );
  });

  it('lets every partition with waiting jobs go first in turn: one slot at a time reaches them all', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 10 }), (count, rounds) => {
        const share = new CapacityShare();
        const partitions = Array.from({ length: count }, () => partition(1_000));
        for (const p of partitions) share.join(p);
        for (let i = 0; i < count * rounds; i++) share.share(worker, 1);
        for (const p of partitions) expect(p.woken).toBe(rounds);
      }),
    );
  });

  it('has every partition look at the jobs waiting in its read model, however the room went', () => {
    const share = new CapacityShare();
    const partitions = [partition(3), partition(0), partition(3)];
    for (const p of partitions) share.join(p);
    share.share(worker, 1);
    share.share(worker, 10);
    expect(partitions.map((p) => p.storeLooks)).toEqual([2, 2, 2]);
  });

  it('stops asking a partition that left', () => {
    const share = new CapacityShare();
    const [a, b] = [partition(5), partition(5)];
    share.join(a);
    const leave = share.join(b);
    leave();
    expect(share.share(worker, 8)).toBe(5);
    expect([a.woken, b.woken]).toEqual([5, 0]);
  });
});
