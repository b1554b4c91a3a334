/**
 * The two shortcuts the scheduler takes around a scheduling decision when there is no capacity, each
 * checked against the decider itself over random histories (waits, moves between queues, refused
 * hand-offs, safety decisions recorded or not, deadlines):
 *   - stillQueued: the decision is skipped, so it must agree with the decider's `still_queued`;
 *   - mayHoldForCapacity: the job waits in memory instead, so the event skipped must be exactly the
 *     capacity queue entry (never a schedule, a denial or an approval request), and only within the grace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Placement, ScheduleJob } from '../../../../src/domain/job/commands.ts';
import { decide } from '../../../../src/domain/job/decide.ts';
import { mayHoldForCapacity, stillQueued } from '../../../../src/domain/job/decide-schedule.ts';
import type { SafetyDecision } from '../../../../src/domain/job/events.ts';
import { evolve } from '../../../../src/domain/job/evolve.ts';
import { NO_JOB, type JobState } from '../../../../src/domain/job/state.ts';
import { arbSafetyDecision } from '../../../support/job-arbitraries.ts';
import { ALLOW, handOff, schedule, submit, T0 } from '../../../support/job-fixtures.ts';

const placementArb: fc.Arbitrary<Placement> = fc.constantFrom<Placement>(
  { kind: 'wait', reason: 'all_overloaded' },
  { kind: 'wait', reason: 'tenant_limit' },
  { kind: 'wait', reason: 'paused' },
  { kind: 'worker', worker_id: 'w1', pool: 'default' },
  { kind: 'queue', pool: 'default' },
);
const stepArb = fc.record({
  placement: placementArb,
  recorded: fc.boolean(),
  refuse: fc.boolean(),
  after: fc.nat(120_000),
});
const historyArb = fc.record({
  steps: fc.array(stepArb, { maxLength: 8 }),
  // Mostly no deadline: a passed deadline makes every scheduling decision a no-op.
  deadline: fc.oneof(fc.constant(null), fc.constant(null), fc.integer({ min: 1, max: 300_000 })),
});

type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never;

function scheduleAt(now: number, placement: Placement, safety: ScheduleJob['safety']): ScheduleJob {
  return schedule({ now, placement, safety });
}

/** The job after a random history, and the time its last step happened. */
function jobAfter({ steps, deadline }: History): { state: JobState; now: number } {
  let state: JobState = NO_JOB;
  let now = T0;
  const apply = (command: Parameters<typeof decide>[0]) => {
    const result = decide(command, state);
    if (!(result instanceof Error)) for (const event of result.events) state = evolve(state, event);
  };
  apply(submit({ deadline_ms: deadline }));
  for (const step of steps) {
    now += step.after;
    apply(scheduleAt(now, step.placement, step.recorded ? { kind: 'recorded' } : { kind: 'decided', decision: ALLOW }));
    // A refused hand-off sends a scheduled job back to PENDING with a backoff.
    if (step.refuse && (state as JobState).status === 'SCHEDULED') {
      apply(handOff({ kind: 'refused', worker_id: 'w1' }, { now }));
    }
  }
  return { state, now };
}

describe('stillQueued', () => {
  it('is true only when the decider would append nothing, and whenever it answers still_queued', () => {
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(historyArb, placementArb, fc.nat(120_000), (history, last, after) => {
        const { state, now } = jobAfter(history);
        const result = decide(scheduleAt(now + after, last, { kind: 'recorded' }), state);
        const skipped = stillQueued(state, last);
        seen[skipped ? 'true' : 'false']++;
        if (skipped) expect(!(result instanceof Error) && result.events.length === 0).toBe(true);
        if (!(result instanceof Error) && result.ignored === 'still_queued') expect(skipped).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    // Both answers were exercised.
    expect(seen.true).toBeGreaterThan(20);
    expect(seen.false).toBeGreaterThan(20);
  });
});

describe('mayHoldForCapacity', () => {
  it('holds only a job whose decision would be entering the capacity queue, and only within the grace', () => {
    let held = 0;
    fc.assert(
      fc.property(
        historyArb,
        placementArb,
        arbSafetyDecision,
        fc.integer({ min: -2_000, max: 5_000 }),
        fc.constantFrom(0, 1, 1_000, 4_000, 60_000),
        (history, placement, fresh, offset, graceMs) => {
          const { state, now: lastStep } = jobAfter(history);
          const dueAt = state.status === 'PENDING' ? state.due_at : lastStep;
          const now = Math.max(lastStep, dueAt + offset);
          // What the runtime passes: the recorded decision if there is one, else the kernel's answer.
          const recorded: SafetyDecision | null = state.status === 'PENDING' ? state.safety : null;
          const decision = recorded ?? fresh;
          if (!mayHoldForCapacity(state, decision, placement, now, graceMs)) return;
          held++;
          expect(state.status).toBe('PENDING');
          expect(now - dueAt).toBeGreaterThanOrEqual(0);
          expect(now - dueAt).toBeLessThan(graceMs);
          const safety: ScheduleJob['safety'] =
            recorded !== null ? { kind: 'recorded' } : { kind: 'decided', decision: fresh };
          const result = decide(scheduleAt(now, placement, safety), state);
          expect(result).not.toBeInstanceOf(Error);
          if (result instanceof Error) return;
          expect(result.events).toEqual([
            expect.objectContaining({ type: 'JobQueued', data: expect.objectContaining({ queue: 'capacity' }) }),
          ]);
        },
      ),
      { numRuns: 2_000 },
    );
    expect(held).toBeGreaterThan(20);
  });
});
