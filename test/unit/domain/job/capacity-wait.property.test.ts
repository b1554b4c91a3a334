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
import { evolve, fold } from '../../../../src/domain/job/evolve.ts';
import { NO_JOB, type JobState } from '../../../../src/domain/job/state.ts';
import { arbSafetyDecision } from '../../../support/job-arbitraries.ts';
import { ALLOW, approve, handOff, historyOf, safety, schedule, submit, T0 } from '../../../support/job-fixtures.ts';

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
  it('holds exactly a job whose decision would be entering the capacity queue, within the grace', () => {
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
          const holds = mayHoldForCapacity(state, decision, placement, now, graceMs);
          const safety: ScheduleJob['safety'] =
            recorded !== null ? { kind: 'recorded' } : { kind: 'decided', decision: fresh };
          const result = decide(scheduleAt(now, placement, safety), state);
          const [event] = result instanceof Error ? [] : result.events;
          const entersCapacityQueue =
            event?.type === 'JobQueued' && (event.data as { queue: string }).queue === 'capacity';
          // Exactly the decisions that would enter the capacity queue from no queue (a move between queues
          // is recorded), within the grace from the due time.
          const inAQueue = state.status === 'PENDING' && state.hold.kind === 'queue';
          expect(holds).toBe(entersCapacityQueue && !inAQueue && now >= dueAt && now - dueAt < graceMs);
          if (holds) held++;
        },
      ),
      { numRuns: 2_000 },
    );
    expect(held).toBeGreaterThan(20);
  });

  it('never holds a job the safety kernel could not answer for (no decision)', () => {
    const { state, now } = jobAfter({ steps: [], deadline: null });
    expect(mayHoldForCapacity(state, null, { kind: 'wait', reason: 'all_overloaded' }, now, 60_000)).toBe(false);
    expect(mayHoldForCapacity(state, ALLOW, { kind: 'wait', reason: 'all_overloaded' }, now, 60_000)).toBe(true);
  });

  it('holds an approved job (its recorded REQUIRE_APPROVAL lets it run), never one whose approval is still to ask', () => {
    const approval = safety('REQUIRE_APPROVAL');
    const wait: Placement = { kind: 'wait', reason: 'all_overloaded' };
    const approved = fold(
      historyOf(submit(), schedule({ safety: { kind: 'decided', decision: approval } }), approve({ now: T0 + 20 })),
    );
    expect(approved).toMatchObject({ status: 'PENDING', safety: { decision: 'REQUIRE_APPROVAL' } });
    expect(mayHoldForCapacity(approved, approval, wait, T0 + 20, 60_000)).toBe(true);
    const fresh = fold(historyOf(submit()));
    expect(mayHoldForCapacity(fresh, approval, wait, T0, 60_000)).toBe(false);
  });
});
