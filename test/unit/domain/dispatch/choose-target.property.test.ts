/**
 * chooseTarget against SPEC 1.6 written out independently: over random fleets, routing and jobs,
 * the choice is always one a correct scheduler could make.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseTarget } from '../../../../src/domain/dispatch/choose-target.ts';
import {
  EMPTY_REGISTRY,
  recordAssignment,
  recordHeartbeat,
  type WorkerEntry,
  type WorkerRegistry,
} from '../../../../src/domain/dispatch/registry.ts';
import type { RoutingSettings } from '../../../../src/domain/dispatch/routing.ts';
import { heartbeat } from './workers.ts';

const NOW = 100_000;
const TTL = 30_000;
const POOLS = ['a', 'b', 'c'] as const;
const CAPS = ['cuda', 'ssd'] as const;

const workerArb = fc.record({
  pool: fc.constantFrom(...POOLS),
  topics: fc.constantFrom([], ['job.x'], ['job.y'], ['job.>']),
  active: fc.nat(6),
  max: fc.integer({ min: 1, max: 6 }),
  cpu: fc.constantFrom(0, 10, 50, 89, 90, 100),
  gpu: fc.constantFrom(null, 0, 20, 95),
  capabilities: fc.subarray([...CAPS]),
  region: fc.constantFrom(null, 'eu', 'us'),
  zone: fc.constantFrom(undefined, 'z1', 'z2'),
  age: fc.constantFrom(0, 10_000, 29_999, 30_000, 50_000),
  assigned: fc.nat(3),
  cordoned: fc.boolean(),
});

const worldArb = fc.record({
  workers: fc.array(workerArb, { maxLength: 8 }),
  mapped: fc.subarray([...POOLS]),
  poolRequires: fc.record({ a: fc.subarray([...CAPS]), b: fc.subarray([...CAPS]), c: fc.subarray([...CAPS]) }),
  requires: fc.subarray([...CAPS]),
  region: fc.constantFrom(undefined, 'eu', 'us'),
  zone: fc.constantFrom(undefined, 'z1'),
  preferredWorker: fc.option(fc.nat(8), { nil: undefined }),
  preferredPool: fc.constantFrom(undefined, ...POOLS),
  tieBreak: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(world: World) {
  let registry: WorkerRegistry = EMPTY_REGISTRY;
  world.workers.forEach((w, index) => {
    const labels: Record<string, string> = w.zone === undefined ? {} : { zone: w.zone };
    const beat = heartbeat(`w${index}`, {
      pool: w.pool,
      topics: w.topics,
      active_jobs: w.active,
      max_parallel_jobs: w.max,
      cpu_load: w.cpu,
      gpu_utilization: w.gpu,
      capabilities: w.capabilities,
      region: w.region,
      labels,
    });
    registry = recordHeartbeat(registry, beat, NOW - w.age);
    for (let i = 0; i < w.assigned; i++) registry = recordAssignment(registry, `w${index}`);
  });
  const routing: RoutingSettings = {
    topics: world.mapped.length === 0 ? {} : { 'job.x': world.mapped },
    pools: {
      a: { requires: world.poolRequires.a },
      b: { requires: world.poolRequires.b },
      c: { requires: world.poolRequires.c },
    },
    cordoned_workers: world.workers.flatMap((w, index) => (w.cordoned ? [`w${index}`] : [])),
    paused_topics: [],
    worker_ttl_ms: TTL,
  };
  const labels: Record<string, string> = { team: 'ignored' };
  if (world.region !== undefined) labels.region = world.region;
  if (world.zone !== undefined) labels.zone = world.zone;
  if (world.preferredWorker !== undefined) labels.preferred_worker_id = `w${world.preferredWorker}`;
  if (world.preferredPool !== undefined) labels.preferred_pool = world.preferredPool;
  const job = { topic: 'job.x', requires: world.requires, labels };
  return { registry, routing, job };
}

/** SPEC 1.6, spelled out. */
function reference(world: World) {
  const { registry, routing, job } = build(world);
  const eligiblePools = world.mapped.filter((pool) =>
    job.requires.every((cap) => world.poolRequires[pool].includes(cap)),
  );
  const entries = [...registry.workers.values()];
  const present = entries.filter(
    (e) =>
      NOW - e.heartbeat_at < TTL &&
      eligiblePools.includes(e.heartbeat.pool as (typeof POOLS)[number]) &&
      (e.heartbeat.topics.length === 0 ||
        e.heartbeat.topics.includes('job.x') ||
        e.heartbeat.topics.includes('job.>')) &&
      job.requires.every((cap) => e.heartbeat.capabilities.includes(cap)),
  );
  const active = (e: WorkerEntry) => e.heartbeat.active_jobs + e.assigned_since_heartbeat;
  const score = (e: WorkerEntry) =>
    active(e) / e.heartbeat.max_parallel_jobs + e.heartbeat.cpu_load / 100 + (e.heartbeat.gpu_utilization ?? 0) / 100;
  const candidates = present.filter(
    (e) =>
      !routing.cordoned_workers.includes(e.heartbeat.worker_id) &&
      active(e) / e.heartbeat.max_parallel_jobs < 0.9 &&
      e.heartbeat.cpu_load < 90 &&
      (e.heartbeat.gpu_utilization ?? 0) < 90 &&
      (world.region === undefined || e.heartbeat.region === world.region) &&
      (world.zone === undefined || e.heartbeat.labels.zone === world.zone),
  );
  return { registry, routing, job, eligiblePools, present, candidates, score };
}

describe('chooseTarget properties', () => {
  it('property: the outcome kind follows the spec, and a chosen worker is a candidate', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { registry, routing, job, eligiblePools, present, candidates } = reference(world);
        const choice = chooseTarget({ job, registry, routing, now: NOW, tieBreak: world.tieBreak });
        if (eligiblePools.length === 0) {
          expect(choice).toEqual({ kind: 'fail', reason: 'no_pool_mapping' });
          return;
        }
        if (present.length === 0) {
          expect(choice.kind).toBe('queue');
          if (choice.kind === 'queue') expect(eligiblePools).toContain(choice.pool);
          return;
        }
        if (candidates.length === 0) {
          expect(choice).toEqual({ kind: 'wait', reason: 'all_overloaded' });
          return;
        }
        expect(choice.kind).toBe('worker');
        if (choice.kind !== 'worker') return;
        // never overloaded, cordoned, expired, misplaced or incapable
        expect(candidates.map((e) => e.heartbeat.worker_id)).toContain(choice.worker_id);
        expect(choice.pool).toBe(registry.workers.get(choice.worker_id)?.heartbeat.pool);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: without hints, the chosen worker has the minimum score', () => {
    fc.assert(
      fc.property(worldArb, (given) => {
        const world = { ...given, preferredWorker: undefined, preferredPool: undefined };
        const { registry, routing, job, candidates, score } = reference(world);
        const choice = chooseTarget({ job, registry, routing, now: NOW, tieBreak: world.tieBreak });
        if (choice.kind !== 'worker') return;
        const chosen = candidates.find((e) => e.heartbeat.worker_id === choice.worker_id);
        if (chosen === undefined) throw new Error('chosen worker is not a candidate');
        const best = Math.min(...candidates.map(score));
        expect(score(chosen)).toBeCloseTo(best, 12);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: every worker tied at the minimum is chosen for some tie-break value (no herding)', () => {
    fc.assert(
      fc.property(worldArb, fc.boolean(), (given, idle) => {
        // Half the runs make every worker idle, so that ties are common rather than rare.
        const workers = idle
          ? given.workers.map((w) => ({ ...w, active: 0, cpu: 0 as const, gpu: null, assigned: 0 }))
          : given.workers;
        const world = { ...given, workers, preferredWorker: undefined, preferredPool: undefined };
        const { registry, routing, job, candidates, score } = reference(world);
        if (candidates.length === 0) return;
        const best = Math.min(...candidates.map(score));
        const tied = candidates.filter((e) => score(e) === best).map((e) => e.heartbeat.worker_id);
        const picked = new Set<string>();
        for (let i = 0; i < tied.length; i++) {
          const choice = chooseTarget({ job, registry, routing, now: NOW, tieBreak: (i + 0.5) / tied.length });
          if (choice.kind === 'worker') picked.add(choice.worker_id);
        }
        expect([...picked].sort()).toEqual([...tied].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('property: a preferred worker that is a candidate is always chosen', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { registry, routing, job, candidates } = reference(world);
        const preferred = job.labels.preferred_worker_id;
        if (preferred === undefined || !candidates.some((e) => e.heartbeat.worker_id === preferred)) return;
        const choice = chooseTarget({ job, registry, routing, now: NOW, tieBreak: world.tieBreak });
        expect(choice).toMatchObject({ kind: 'worker', worker_id: preferred });
      }),
      { numRuns: 500 },
    );
  });

  it('property: hints never turn a worker choice into a wait, a queue or a failure', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { registry, routing, job } = reference(world);
        const unhinted = reference({ ...world, preferredWorker: undefined, preferredPool: undefined }).job;
        const withHints = chooseTarget({ job, registry, routing, now: NOW, tieBreak: world.tieBreak });
        const without = chooseTarget({ job: unhinted, registry, routing, now: NOW, tieBreak: world.tieBreak });
        expect(withHints.kind).toBe(without.kind);
      }),
      { numRuns: 500 },
    );
  });
});
