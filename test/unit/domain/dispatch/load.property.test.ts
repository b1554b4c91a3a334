/**
 * roomBeforeOverload: how many waiting jobs a wake for freed capacity looks at. It must be exactly the
 * number of assignments the worker takes before `isOverloaded` says no more — fewer would leave room
 * unused until the next wake, more would wake jobs only to put them back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOverloaded, roomBeforeOverload } from '../../../../src/domain/dispatch/load.ts';
import { recordAssignment } from '../../../../src/domain/dispatch/registry.ts';
import { heartbeat, registryOf } from './workers.ts';

const workerArb = fc.record({
  active: fc.nat(300),
  max: fc.integer({ min: 1, max: 256 }),
  cpu: fc.constantFrom(0, 50, 89, 90, 120),
  gpu: fc.constantFrom(null, 0, 89, 90),
});

describe('roomBeforeOverload', () => {
  it('is the number of assignments a worker takes before it is overloaded, 0 when it already is', () => {
    fc.assert(
      fc.property(workerArb, ({ active, max, cpu, gpu }) => {
        let registry = registryOf([
          heartbeat('w', { active_jobs: active, max_parallel_jobs: max, cpu_load: cpu, gpu_utilization: gpu }),
        ]);
        const entry = () => registry.workers.get('w');
        const room = roomBeforeOverload(entry()!);
        expect(room === 0).toBe(isOverloaded(entry()!));
        for (let i = 0; i < room; i++) {
          expect(isOverloaded(entry()!)).toBe(false);
          registry = recordAssignment(registry, 'w');
        }
        expect(isOverloaded(entry()!)).toBe(true);
      }),
    );
  });

  it('counts the example of the benchmark: 64 slots, 57 busy → 1', () => {
    const registry = registryOf([heartbeat('w', { active_jobs: 57, max_parallel_jobs: 64 })]);
    expect(roomBeforeOverload(registry.workers.get('w')!)).toBe(1);
  });
});
