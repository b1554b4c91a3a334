import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReleaseCandidate, releaseOrder, turnOrder } from '../../../../src/domain/dispatch/release-order.ts';
import { checkTenantLimit, type TenantLimits, tenantLimit } from '../../../../src/domain/dispatch/tenant-limit.ts';
import { PRIORITIES, type Priority } from '../../../../src/domain/job/request.ts';

const NO_LIMITS: TenantLimits = { max_concurrent: null, tenants: {} };

let counter = 0;
function job(tenant: string, priority: Priority = 'batch', position = ++counter): ReleaseCandidate {
  return { job_id: `${tenant}-${position}`, tenant, priority, position };
}

const ids = (released: readonly ReleaseCandidate[]) => released.map((candidate) => candidate.job_id);

describe('releaseOrder', () => {
  it('releases by priority class first', () => {
    const candidates = [job('a', 'batch', 1), job('b', 'interactive', 2), job('c', 'critical', 3)];
    const { released } = releaseOrder(candidates, { inFlight: {}, limits: NO_LIMITS, rotation: {} }, 10);
    expect(ids(released)).toEqual(['c-3', 'b-2', 'a-1']);
  });

  it('takes tenants in turn within a class, FIFO within a tenant', () => {
    const candidates = [job('a', 'batch', 1), job('a', 'batch', 2), job('a', 'batch', 3), job('b', 'batch', 4)];
    candidates.push(job('c', 'batch', 6), job('c', 'batch', 5));
    const { released, rotation } = releaseOrder(candidates, { inFlight: {}, limits: NO_LIMITS, rotation: {} }, 10);
    expect(ids(released)).toEqual(['a-1', 'b-4', 'c-5', 'a-2', 'c-6', 'a-3']);
    expect(rotation).toEqual({ batch: 'a' });
  });

  it('starts after the tenant served last in the class, wrapping around', () => {
    const candidates = [job('a', 'batch', 1), job('b', 'batch', 2), job('c', 'batch', 3)];
    const state = (rotation: Record<string, string>) => ({ inFlight: {}, limits: NO_LIMITS, rotation });
    expect(ids(releaseOrder(candidates, state({ batch: 'a' }), 1).released)).toEqual(['b-2']);
    expect(ids(releaseOrder(candidates, state({ batch: 'c' }), 1).released)).toEqual(['a-1']);
    // the last tenant need not have jobs any more: the next name after it goes first
    expect(ids(releaseOrder(candidates, state({ batch: 'bb' }), 1).released)).toEqual(['c-3']);
    // rotation is per class
    expect(ids(releaseOrder(candidates, state({ critical: 'a' }), 1).released)).toEqual(['a-1']);
  });

  it('skips a tenant at its limit without blocking others or lower classes', () => {
    const limits: TenantLimits = { max_concurrent: null, tenants: { a: { max_concurrent: 2 } } };
    const candidates = [job('a', 'critical', 1), job('a', 'critical', 2), job('b', 'batch', 3)];
    const { released, inFlight } = releaseOrder(candidates, { inFlight: { a: 2 }, limits, rotation: {} }, 10);
    expect(ids(released)).toEqual(['b-3']);
    expect(inFlight).toEqual({ a: 2, b: 1 });
  });

  it('shares a tenant’s slots across classes', () => {
    const limits: TenantLimits = { max_concurrent: 2, tenants: {} };
    const candidates = [job('a', 'batch', 1), job('a', 'critical', 2), job('a', 'critical', 3)];
    const { released } = releaseOrder(candidates, { inFlight: {}, limits, rotation: {} }, 10);
    expect(ids(released)).toEqual(['a-2', 'a-3']);
  });

  it('stops at maxToRelease', () => {
    const candidates = [job('a'), job('b'), job('c')];
    expect(releaseOrder(candidates, { inFlight: {}, limits: NO_LIMITS, rotation: {} }, 2).released).toHaveLength(2);
    expect(releaseOrder(candidates, { inFlight: {}, limits: NO_LIMITS, rotation: {} }, 0).released).toHaveLength(0);
  });

  it('counts a tenant named __proto__ like any other', () => {
    const limits: TenantLimits = { max_concurrent: 1, tenants: {} };
    const candidates = [job('__proto__', 'batch', 1), job('__proto__', 'batch', 2)];
    const { released, inFlight } = releaseOrder(candidates, { inFlight: {}, limits, rotation: {} }, 10);
    expect(ids(released)).toEqual(['__proto__-1']);
    expect(Object.entries(inFlight)).toEqual([['__proto__', 1]]);
  });

  it('orders tenants by name from the rotation point', () => {
    expect(turnOrder(['c', 'a', 'b'], undefined)).toEqual(['a', 'b', 'c']);
    expect(turnOrder(['c', 'a', 'b'], 'a')).toEqual(['b', 'c', 'a']);
    expect(turnOrder(['c', 'a', 'b'], 'z')).toEqual(['a', 'b', 'c']);
  });
});

describe('tenant limits', () => {
  const limits: TenantLimits = {
    max_concurrent: 5,
    tenants: { big: { max_concurrent: null }, small: { max_concurrent: 1 } },
  };

  it('resolves a tenant’s own limit, the default, or none', () => {
    expect(tenantLimit(limits, 'other')).toBe(5);
    expect(tenantLimit(limits, 'small')).toBe(1);
    expect(tenantLimit(limits, 'big')).toBeNull();
  });

  it('lets a safety constraint only tighten the limit', () => {
    expect(tenantLimit(limits, 'other', 3)).toBe(3);
    expect(tenantLimit(limits, 'other', 9)).toBe(5);
    expect(tenantLimit(limits, 'big', 2)).toBe(2);
  });

  it('makes a job wait when the tenant is at its limit', () => {
    expect(checkTenantLimit(4, 5)).toBeNull();
    expect(checkTenantLimit(5, 5)).toEqual({ kind: 'wait', reason: 'tenant_limit' });
    expect(checkTenantLimit(0, 0)).toEqual({ kind: 'wait', reason: 'tenant_limit' });
    expect(checkTenantLimit(1_000, null)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

const TENANTS = ['t0', 't1', 't2', 't3'];
const candidatesArb = fc
  .array(fc.record({ tenant: fc.constantFrom(...TENANTS), priority: fc.constantFrom(...PRIORITIES) }), {
    maxLength: 30,
  })
  .chain((items) =>
    fc
      .shuffledSubarray([...Array(items.length).keys()], { minLength: items.length, maxLength: items.length })
      .map((positions) =>
        items.map((item, index): ReleaseCandidate => ({
          ...item,
          job_id: `j${index}`,
          position: positions[index] ?? 0,
        })),
      ),
  );
const limitArb = fc.option(fc.nat(4), { nil: null });
const stateArb = fc.record({
  inFlight: fc.record({ t0: fc.nat(3), t1: fc.nat(3), t2: fc.nat(3), t3: fc.nat(3) }),
  limits: fc.record({
    max_concurrent: limitArb,
    tenants: fc.dictionary(fc.constantFrom(...TENANTS), fc.record({ max_concurrent: limitArb })),
  }),
  rotation: fc.dictionary(fc.constantFrom(...PRIORITIES), fc.constantFrom(...TENANTS, 't15')),
});

describe('releaseOrder properties', () => {
  it('property: holds limits, is FIFO within a tenant and class, respects priority, and never idles a free slot', () => {
    fc.assert(
      fc.property(candidatesArb, stateArb, fc.nat(40), (candidates, state, max) => {
        const { released, inFlight } = releaseOrder(candidates, state, max);
        const releasedIds = new Set(released.map((r) => r.job_id));
        expect(releasedIds.size).toBe(released.length);
        expect(released.length).toBeLessThanOrEqual(max);
        const hasSlotAfter = (tenant: string) => {
          const limit = tenantLimit(state.limits, tenant);
          return limit === null || (inFlight[tenant] ?? 0) < limit;
        };
        for (const tenant of TENANTS) {
          const count = released.filter((r) => r.tenant === tenant).length;
          expect(inFlight[tenant] ?? 0).toBe((state.inFlight[tenant as 't0'] ?? 0) + count);
          const limit = tenantLimit(state.limits, tenant);
          if (limit !== null && count > 0) expect(inFlight[tenant]).toBeLessThanOrEqual(limit);
          for (const priority of PRIORITIES) {
            const queue = candidates
              .filter((c) => c.tenant === tenant && c.priority === priority)
              .sort((a, b) => a.position - b.position);
            const mine = released.filter((r) => r.tenant === tenant && r.priority === priority);
            // FIFO: what was released is the head of the queue, in queue order
            expect(mine.map((r) => r.job_id)).toEqual(queue.slice(0, mine.length).map((c) => c.job_id));
          }
        }
        // priority: classes never go backwards, and a higher-class job left behind had no slot
        const rank = (p: Priority) => PRIORITIES.indexOf(p);
        for (let i = 1; i < released.length; i++) {
          expect(rank((released[i] as ReleaseCandidate).priority)).toBeGreaterThanOrEqual(
            rank((released[i - 1] as ReleaseCandidate).priority),
          );
        }
        const lowest = Math.max(-1, ...released.map((r) => rank(r.priority)));
        for (const left of candidates.filter((c) => !releasedIds.has(c.job_id))) {
          if (rank(left.priority) < lowest) expect(hasSlotAfter(left.tenant)).toBe(false);
          // work-conserving: below the cap, only a full tenant keeps its jobs
          if (released.length < max) expect(hasSlotAfter(left.tenant)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: round-robin over calls — between two turns of a tenant, every other waiting tenant gets one', () => {
    fc.assert(
      fc.property(
        candidatesArb.map((list) => list.map((c) => ({ ...c, priority: 'batch' as const }))),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 40, maxLength: 40 }),
        (candidates, batchSizes) => {
          let pending = [...candidates];
          let rotation = {};
          const sequence: { tenant: string; waiting: Set<string> }[] = [];
          for (const size of batchSizes) {
            const result = releaseOrder(pending, { inFlight: {}, limits: NO_LIMITS, rotation }, size);
            rotation = result.rotation;
            for (const job of result.released) {
              sequence.push({ tenant: job.tenant, waiting: new Set(pending.map((c) => c.tenant)) });
              pending = pending.filter((c) => c.job_id !== job.job_id);
            }
          }
          expect(pending).toHaveLength(Math.max(0, candidates.length - batchSizes.reduce((a, b) => a + b, 0)));
          sequence.forEach((turn, j) => {
            const previous = sequence
              .slice(0, j)
              .map((s) => s.tenant)
              .lastIndexOf(turn.tenant);
            if (previous < 0) return;
            const between = new Set(sequence.slice(previous + 1, j).map((s) => s.tenant));
            for (const other of turn.waiting) {
              if (other !== turn.tenant) expect(between.has(other)).toBe(true);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
