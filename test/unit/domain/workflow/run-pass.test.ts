/**
 * The scheduling pass in detail (schedule.ts, SPEC 2.2): how each step type starts, what an expression
 * that fails at run time does to its step, delays already over, the fan-out size limit, how the run
 * stands after a pass, and what a pass that fails the run leaves unstarted.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FOREACH_ITEMS, MAX_JOBS_PER_DECISION } from '../../../../src/domain/workflow/definition.ts';
import {
  approve,
  decided,
  given,
  outcomes,
  schedule,
  scheduledJobs,
  start,
  succeeded,
  T0,
  workflow,
} from '../../../support/workflow-spec.ts';

/** The first pass of a run of `steps` with `input`. */
function firstPass(steps: Record<string, unknown>, input: unknown = {}) {
  return given(decided(start(workflow(steps), { input }))).when(schedule());
}

describe('expressions that fail at run time fail their step, naming the field and the evaluator’s error', () => {
  it.each([
    ['condition', { condition: 'input.missing == 1' }, /^condition: .*missing/],
    ['a condition that is not a bool', { condition: 'input.n' }, /^condition: must give a bool$/],
    ['delay_until', { delay_until: 'input.missing' }, /^delay_until: .*missing/],
    ['for_each', { for_each: 'input.missing' }, /^for_each: .*missing/],
    ['a job input', { input: '${input.missing}' }, /^input: .*missing/],
    [
      'a condition step input',
      { type: 'condition', condition: 'true', input: '${input.missing}' },
      /^input: .*missing/,
    ],
    ['an approval request', { type: 'approval', input: { v: '${input.missing}' } }, /^input: .*missing/],
  ])('%s', (_label, step, message) => {
    const pass = firstPass({ a: step }, { n: 3 });
    pass.then([{ data: { status_after: 'FAILED', outcome: { status: 'FAILED', error: { step_id: 'a' } } } }]);
    expect(pass.after.status === 'FAILED' && pass.after.steps.a).toMatchObject({
      status: 'FAILED',
      error: { code: 'expression_error', message: expect.stringMatching(message) },
    });
    expect(scheduledJobs(pass.events)).toEqual([]);
  });

  it('says which step failed and why in the run’s error', () => {
    const pass = firstPass({ a: { condition: 'input.n' } }, { n: 3 });
    expect(pass.events[0]?.data.outcome?.error?.message).toBe('step a FAILED: condition: must give a bool');
  });

  it('leaves later steps unstarted once a step failed: they are only cancelled, with the run', () => {
    firstPass({ a: { condition: 'input.missing == 1' }, b: {}, c: { type: 'approval' } }).then([
      {
        data: {
          changes: [
            { type: 'step_settled', step_id: 'a', status: 'FAILED' },
            {
              type: 'step_settled',
              step_id: 'b',
              status: 'CANCELLED',
              error: { code: 'run_ended', message: 'the run ended FAILED' },
            },
            { type: 'step_settled', step_id: 'c', status: 'CANCELLED' },
          ],
          stop_jobs: [],
          outcome: { status: 'FAILED', output: null },
        },
      },
    ]);
  });
});

describe('how each step type starts', () => {
  it('a condition step succeeds with true when it has no input, else with its rendered input', () => {
    firstPass({ a: { type: 'condition', condition: 'true' }, b: { type: 'condition', condition: 'true', input: 4 } })
      .then([{ data: { status_after: 'SUCCEEDED' } }])
      .then([
        {
          data: {
            changes: [
              { type: 'step_settled', step_id: 'a', status: 'SUCCEEDED', output: true },
              { type: 'step_settled', step_id: 'b', status: 'SUCCEEDED', output: 4 },
            ],
          },
        },
      ]);
  });

  it('an approval step waits until now + its timeout, with a null request when it has no input', () => {
    firstPass({ gate: { type: 'approval', timeout_ms: 5_000 } }).then([
      {
        data: {
          status_after: 'WAITING',
          due_at: T0 + 5_000,
          changes: [
            {
              type: 'step_started',
              step_id: 'gate',
              status: 'WAITING',
              wait: { reason: 'approval', until: T0 + 5_000, request: null },
              items: null,
              not_before: null,
            },
          ],
        },
      },
    ]);
  });

  it('a delay step already over (or over just now) succeeds in the same pass, and its dependants start', () => {
    for (const until of [T0 - 1, T0]) {
      firstPass(
        { wait: { type: 'delay', delay_until: 'timestamp(input.at)' }, next: { depends_on: ['wait'] } },
        {
          at: new Date(until).toISOString(),
        },
      ).then([
        {
          data: {
            status_after: 'RUNNING',
            changes: [
              { type: 'step_settled', step_id: 'wait', status: 'SUCCEEDED', output: null },
              { type: 'step_started', step_id: 'next' },
              { type: 'job_scheduled', step_id: 'next', run_at: null },
            ],
          },
        },
      ]);
    }
  });

  it('a job step whose delay is over starts its job at once', () => {
    firstPass({ a: { delay_until: 'timestamp(input.at)' } }, { at: new Date(T0).toISOString() }).then([
      {
        data: {
          changes: [
            { type: 'step_started', step_id: 'a', not_before: null },
            { type: 'job_scheduled', run_at: null },
          ],
        },
      },
    ]);
  });

  it('a child started exactly when the step’s delay ends goes at once (no run_at)', () => {
    const definition = workflow({ fan: { for_each: '[1, 2]', max_parallel: 1, delay_ms: 100, timeout_ms: 1_000 } });
    given(decided(start(definition), schedule()))
      .when(outcomes(T0 + 100, succeeded('run1.fan.0.1')))
      .then([{ data: { changes: [{ type: 'unit_settled' }, { type: 'job_scheduled', index: 1, run_at: null }] } }]);
  });

  it(`a fan-out of exactly ${MAX_FOREACH_ITEMS} items starts; one more fails the step, saying the limit`, () => {
    const items = (n: number) => ({ items: Array.from({ length: n }, (_, i) => i) });
    const limit = firstPass({ fan: { for_each: 'input.items' } }, items(MAX_FOREACH_ITEMS));
    limit.then([{ data: { status_after: 'RUNNING' } }]);
    expect(scheduledJobs(limit.events)).toHaveLength(MAX_JOBS_PER_DECISION);
    const over = firstPass({ fan: { for_each: 'input.items' } }, items(MAX_FOREACH_ITEMS + 1));
    expect(over.after.status === 'FAILED' && over.after.steps.fan?.error).toEqual({
      code: 'expression_error',
      message: `for_each: gave more than ${MAX_FOREACH_ITEMS} items`,
    });
  });
});

describe('how the run stands after a pass', () => {
  it('WAITING when its only live steps wait, RUNNING as soon as one runs a job', () => {
    firstPass({ gate: { type: 'approval' } }).then([{ data: { status_after: 'WAITING' } }]);
    firstPass({ gate: { type: 'approval' }, work: {} }).then([{ data: { status_after: 'RUNNING' } }]);
    const waitingThenRunning = decided(
      start(workflow({ gate: { type: 'approval' }, work: { depends_on: ['gate'] } })),
      schedule(),
    );
    given(waitingThenRunning)
      .when(approve('gate', T0 + 10))
      .then([{ type: 'RunStepApproved', data: { status_before: 'WAITING', status_after: 'RUNNING' } }]);
  });
});
