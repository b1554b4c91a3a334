/**
 * stillQueued: the runtime skips a scheduling decision when it says true, so it must agree exactly
 * with the decider's `still_queued` answer — over random sequences of waits, moves between queues,
 * dispatch failures and safety decisions recorded or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Placement, ScheduleJob } from '../../../../src/domain/job/commands.ts';
import { decide } from '../../../../src/domain/job/decide.ts';
import { stillQueued } from '../../../../src/domain/job/decide-schedule.ts';
import { evolve } from '../../../../src/domain/job/evolve.ts';
import { NO_JOB, type JobState } from '../../../../src/domain/job/state.ts';
import { ALLOW, handOff, schedule, submit, T0 } from '../../../support/job-fixtures.ts';

const placementArb: fc.Arbitrary<Placement> = fc.oneof(
  fc.constantFrom<Placement>(
    { kind: 'wait', reason: 'all_overloaded' },
    { kind: 'wait', reason: 'tenant_limit' },
    { kind: 'wait', reason: 'paused' },
    { kind: 'worker', worker_id: 'w1', pool: 'default' },
    { kind: 'queue', pool: 'default' },
  ),
);
const stepArb = fc.record({
  placement: placementArb,
  recorded: fc.boolean(),
  refuse: fc.boolean(),
  after: fc.nat(120_000),
});

function scheduleAt(now: number, placement: Placement, recorded: boolean): ScheduleJob {
  return schedule({ now, placement, safety: recorded ? { kind: 'recorded' } : { kind: 'decided', decision: ALLOW } });
}

describe('stillQueued', () => {
  it('is true only when the decider would append nothing, and whenever it answers still_queued', () => {
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 8 }),
        placementArb,
        fc.nat(120_000),
        fc.option(fc.integer({ min: 1, max: 300_000 })),
        (steps, last, lastAfter, deadline) => {
          let state: JobState = NO_JOB;
          let now = T0;
          const apply = (command: Parameters<typeof decide>[0]) => {
            const result = decide(command, state);
            if (!(result instanceof Error)) for (const event of result.events) state = evolve(state, event);
          };
          apply(submit({ deadline_ms: deadline }));
          for (const step of steps) {
            now += step.after;
            apply(scheduleAt(now, step.placement, step.recorded));
            // A refused hand-off sends a scheduled job back to PENDING with a backoff.
            if (step.refuse && (state as JobState).status === 'SCHEDULED')
              apply(handOff({ kind: 'refused', worker_id: 'w1' }, { now }));
          }
          now += lastAfter;
          const result = decide(scheduleAt(now, last, true), state);
          const skipped = stillQueued(state, last);
          seen[skipped ? 'true' : 'false']++;
          if (skipped) expect(!(result instanceof Error) && result.events.length === 0).toBe(true);
          if (!(result instanceof Error) && result.ignored === 'still_queued') expect(skipped).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
    // Both answers were exercised.
    expect(seen.true).toBeGreaterThan(20);
    expect(seen.false).toBeGreaterThan(20);
  });
});
