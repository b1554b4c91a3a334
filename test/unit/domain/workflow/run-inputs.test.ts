/**
 * What a live run does with its inputs (run-inputs.ts, SPEC 2.2): which step-job outcomes it applies
 * (only for the attempt in flight of a unit that is running), the error a step keeps when an outcome
 * carries none, and timers: expired approvals, attempt deadlines, and the cap on attempts timed out
 * in one decision when no retry is scheduled.
 */
import { describe, expect, it } from 'vitest';
import { MAX_JOBS_PER_DECISION } from '../../../../src/domain/workflow/definition.ts';
import type { RunTimersFired, StepJobOutcome } from '../../../../src/domain/workflow/run-events.ts';
import { runStep } from '../../../../src/domain/workflow/run-state.ts';
import {
  decided,
  fold,
  given,
  outcomes,
  schedule,
  start,
  succeeded,
  T0,
  timers,
  workflow,
} from '../../../support/workflow-spec.ts';

const fanOut = (items: number, extra: Record<string, unknown> = {}) =>
  workflow({
    fan: { for_each: `[${Array.from({ length: items }, (_, i) => i).join(', ')}]`, timeout_ms: 1_000, ...extra },
  });

describe('outcomes the run does not wait on', () => {
  it('ignores a child index the step does not have, and a child id for a step that is not a fan-out', () => {
    const fan = decided(start(fanOut(2)), schedule());
    given(fan)
      .when(outcomes(T0 + 5, succeeded('run1.fan.7.1')))
      .thenNothing();
    const single = decided(start(workflow({ a: {} })), schedule());
    given(single)
      .when(outcomes(T0 + 5, succeeded('run1.a.0.1')))
      .thenNothing();
  });

  it('ignores a repeated outcome for a child that already settled while its siblings still run', () => {
    const first = decided(start(fanOut(2)), schedule(), outcomes(T0 + 5, succeeded('run1.fan.0.1', 'a')));
    given(first)
      .when(outcomes(T0 + 6, succeeded('run1.fan.0.1', 'again')))
      .thenNothing();
    const both = given(first)
      .when(outcomes(T0 + 6, succeeded('run1.fan.0.1', 'again'), succeeded('run1.fan.1.1', 'b')))
      .then([{ data: { ignored: ['run1.fan.0.1'], outcome: { status: 'SUCCEEDED' } } }]);
    expect(both.after.status === 'SUCCEEDED' && runStep(both.after, 'fan').output).toEqual(['a', 'b']);
  });
});

describe('an outcome without an error', () => {
  const bare = (status: StepJobOutcome['status']): StepJobOutcome => ({
    job_id: 'run1.a.1',
    status,
    result: null,
    result_ptr: null,
    error: null,
    retryable: false,
  });

  it.each<[StepJobOutcome['status'], string, string, string]>([
    ['FAILED', 'FAILED', 'job_failed', 'the step job failed'],
    ['TIMEOUT', 'TIMED_OUT', 'job_timed_out', 'the step job timed out'],
    ['DENIED', 'FAILED', 'job_denied', 'the step job was denied'],
    ['CANCELLED', 'CANCELLED', 'job_cancelled', 'the step job was cancelled'],
    ['PREEMPTED', 'CANCELLED', 'job_cancelled', 'the step job was cancelled'],
  ])('%s settles the step %s with a plain %s error', (status, stepStatus, code, message) => {
    const outcome = given(decided(start(workflow({ a: {} })), schedule())).when(outcomes(T0 + 5, bare(status)));
    outcome.then([{ data: { outcome: { status: 'FAILED', error: { step_id: 'a' } } } }]);
    expect(outcome.after.status !== 'NONE' && runStep(outcome.after, 'a')).toMatchObject({
      status: stepStatus,
      error: { code, message },
    });
  });
});

describe('timers', () => {
  it('times out an approval nobody gave, saying so', () => {
    const waiting = decided(start(workflow({ gate: { type: 'approval', timeout_ms: 1_000 } })), schedule());
    given(waiting)
      .when(timers(T0 + 1_000))
      .then([
        {
          data: {
            fired: [{ kind: 'approval_expired', step_id: 'gate' }],
            changes: [
              {
                type: 'step_settled',
                step_id: 'gate',
                status: 'TIMED_OUT',
                error: { code: 'approval_expired', message: 'no one approved the step in time' },
              },
            ],
          },
        },
      ]);
  });

  it('says which attempt did not finish in time', () => {
    given(decided(start(workflow({ a: { timeout_ms: 1_000 } })), schedule()))
      .when(timers(T0 + 1_000))
      .then([
        {
          data: {
            changes: [
              {
                type: 'unit_settled',
                status: 'TIMED_OUT',
                error: { code: 'step_timed_out', message: 'attempt 1 did not finish within the step timeout' },
              },
              {},
            ],
          },
        },
      ]);
  });

  it('times out only the children still running, not one that already succeeded', () => {
    const history = decided(
      start(fanOut(2, { join: 'ignore_failures' })),
      schedule(),
      outcomes(T0 + 5, succeeded('run1.fan.0.1', 'ok')),
    );
    const fired = given(history)
      .when(timers(T0 + 1_000))
      .then([
        {
          data: {
            fired: [{ kind: 'step_timeout', index: 1, job_id: 'run1.fan.1.1' }],
            outcome: { status: 'SUCCEEDED' },
          },
        },
      ]);
    expect(fired.after.status === 'SUCCEEDED' && runStep(fired.after, 'fan').output).toEqual(['ok', null]);
  });

  it(`times out at most ${MAX_JOBS_PER_DECISION} attempts in one decision even when none is retried`, () => {
    const history = decided(start(fanOut(150, { join: 'ignore_failures' })), schedule(), schedule(T0));
    const first = given(history).when(timers(T0 + 2_000));
    expect((first.events[0] as RunTimersFired).data.fired).toHaveLength(MAX_JOBS_PER_DECISION);
    first.then([{ data: { status_after: 'RUNNING', due_at: T0 + 1_000 } }]);
    const second = given([...history, ...first.events]).when(timers(T0 + 2_001));
    expect((second.events[0] as RunTimersFired).data.fired).toHaveLength(50);
    second.then([{ data: { status_after: 'SUCCEEDED' } }]);
    expect(fold([...history, ...first.events, ...second.events]).status).toBe('SUCCEEDED');
  });
});
