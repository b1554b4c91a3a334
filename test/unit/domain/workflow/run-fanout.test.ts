import { describe, expect, it } from 'vitest';
import {
  decided,
  failed,
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

function fanOut(join: string, maxParallel?: number) {
  return workflow({
    fan: {
      for_each: 'input.regions',
      join,
      ...(maxParallel === undefined ? {} : { max_parallel: maxParallel }),
      input: { region: '${item}', n: '${index}', of: '${size(input.regions)}' },
      timeout_ms: 1_000,
    },
    after: { depends_on: ['fan'], input: '${steps.fan.output}' },
  });
}

const regions = { input: { regions: ['eu', 'us', 'ap'] } };

describe('for_each fan-out', () => {
  it('starts one child per item with item and index in its input, at most max_parallel at a time', () => {
    const definition = fanOut('all', 2);
    given(decided(start(definition, regions)))
      .when(schedule())
      .then([
        {
          data: {
            changes: [
              { type: 'step_started', step_id: 'fan', status: 'RUNNING', items: ['eu', 'us', 'ap'] },
              { type: 'job_scheduled', index: 0, job_id: 'run1.fan.0.1', input: { region: 'eu', n: 0, of: 3 } },
              { type: 'job_scheduled', index: 1, job_id: 'run1.fan.1.1', input: { region: 'us', n: 1, of: 3 } },
            ],
          },
        },
      ]);
  });

  it('starts the next child when one settles, and joins the outputs in item order', () => {
    const definition = fanOut('all', 2);
    const history = decided(start(definition, regions), schedule());
    const next = given(history).when(outcomes(T0 + 10, succeeded('run1.fan.1.1', 'US')));
    next.then([
      {
        data: {
          changes: [
            { type: 'unit_settled', index: 1 },
            { type: 'job_scheduled', index: 2, job_id: 'run1.fan.2.1' },
          ],
        },
      },
    ]);
    given([...history, ...next.events])
      .when(outcomes(T0 + 20, succeeded('run1.fan.2.1', 'AP'), succeeded('run1.fan.0.1', 'EU')))
      .then([
        {
          data: {
            changes: [
              { type: 'unit_settled', index: 2 },
              { type: 'unit_settled', index: 0 },
              { type: 'step_settled', step_id: 'fan', status: 'SUCCEEDED', output: ['EU', 'US', 'AP'] },
              { type: 'step_started', step_id: 'after' },
              { type: 'job_scheduled', job_id: 'run1.after.1', input: ['EU', 'US', 'AP'] },
            ],
          },
        },
      ]);
  });

  it('join all: one failed child fails the step at once, stops its running siblings and fails the run', () => {
    const history = decided(start(fanOut('all'), regions), schedule());
    given(history)
      .when(outcomes(T0 + 10, failed('run1.fan.1.1')))
      .then([
        {
          data: {
            status_after: 'FAILED',
            stop_jobs: [
              { job_id: 'run1.fan.0.1', step_id: 'fan', index: 0 },
              { job_id: 'run1.fan.2.1', step_id: 'fan', index: 2 },
            ],
            changes: [
              { type: 'unit_settled', index: 1, status: 'FAILED' },
              {
                type: 'step_settled',
                step_id: 'fan',
                status: 'FAILED',
                error: { code: 'boom', message: 'child 1: it broke' },
              },
              { type: 'step_settled', step_id: 'after', status: 'CANCELLED' },
            ],
            outcome: { status: 'FAILED', error: { step_id: 'fan' } },
          },
        },
      ]);
  });

  it('join any: succeeds when at least one child succeeded, once all settled; fails when none did', () => {
    const history = decided(
      start(fanOut('any'), regions),
      schedule(),
      outcomes(T0 + 5, failed('run1.fan.0.1'), failed('run1.fan.1.1')),
    );
    expect(fold(history).status).toBe('RUNNING');
    given(history)
      .when(outcomes(T0 + 9, succeeded('run1.fan.2.1', 'AP')))
      .then([
        {
          data: {
            changes: [
              { type: 'unit_settled' },
              { type: 'step_settled', status: 'SUCCEEDED', output: [null, null, 'AP'] },
              {},
              {},
            ],
          },
        },
      ]);
    given(history)
      .when(outcomes(T0 + 9, failed('run1.fan.2.1')))
      .then([
        {
          data: {
            status_after: 'FAILED',
            changes: [
              { type: 'unit_settled' },
              { type: 'step_settled', status: 'FAILED', error: { code: 'no_child_succeeded' } },
              {},
            ],
          },
        },
      ]);
  });

  it('join ignore_failures: succeeds whatever its children did, timed out ones included', () => {
    const history = decided(
      start(fanOut('ignore_failures'), regions),
      schedule(),
      outcomes(T0 + 5, failed('run1.fan.0.1', false), succeeded('run1.fan.1.1', 'US')),
    );
    given(history)
      .when(timers(T0 + 1_000))
      .then([
        {
          data: {
            fired: [{ kind: 'step_timeout', index: 2, job_id: 'run1.fan.2.1' }],
            stop_jobs: [{ job_id: 'run1.fan.2.1' }],
            changes: [
              { type: 'unit_settled', index: 2, status: 'TIMED_OUT' },
              { type: 'step_settled', status: 'SUCCEEDED', output: [null, 'US', null] },
              { type: 'step_started', step_id: 'after' },
              { type: 'job_scheduled', input: [null, 'US', null] },
            ],
          },
        },
      ]);
  });

  it('retries a child as a new child job (attempt 2), keeping its rendered input', () => {
    const definition = workflow({
      fan: { for_each: '[10, 20]', input: '${item}', retry: { max_retries: 1, initial_backoff_ms: 0 } },
    });
    given(decided(start(definition), schedule()))
      .when(outcomes(T0 + 5, failed('run1.fan.1.1')))
      .then([
        {
          data: {
            changes: [{ type: 'job_scheduled', index: 1, job_id: 'run1.fan.1.2', attempt: 2, input: 20, run_at: null }],
          },
        },
      ]);
  });

  it('delays the first children by the step delay, and children started after it at once', () => {
    const definition = workflow({ fan: { for_each: '[1, 2]', max_parallel: 1, delay_ms: 100, timeout_ms: 1_000 } });
    const history = decided(start(definition), schedule());
    expect(history.at(-1)).toMatchObject({
      data: { changes: [{}, { type: 'job_scheduled', index: 0, run_at: T0 + 100, deadline_at: T0 + 1_100 }] },
    });
    given(history)
      .when(outcomes(T0 + 500, succeeded('run1.fan.0.1')))
      .then([
        {
          data: {
            changes: [
              { type: 'unit_settled' },
              { type: 'job_scheduled', index: 1, run_at: null, deadline_at: T0 + 1_500 },
            ],
          },
        },
      ]);
  });

  it('settles an empty fan-out at once, with an empty output, and goes on in the same pass', () => {
    given(decided(start(fanOut('all'), { input: { regions: [] } })))
      .when(schedule())
      .then([
        {
          data: {
            changes: [
              { type: 'step_settled', step_id: 'fan', status: 'SUCCEEDED', output: [] },
              { type: 'step_started', step_id: 'after' },
              { type: 'job_scheduled', input: [] },
            ],
          },
        },
      ]);
  });

  it('fails the step when for_each does not give a list, or gives too many items', () => {
    given(decided(start(fanOut('all'), { input: { regions: 'eu' } })))
      .when(schedule())
      .then([
        {
          data: {
            status_after: 'FAILED',
            changes: [{ type: 'step_settled', status: 'FAILED', error: { message: 'for_each: must give a list' } }, {}],
          },
        },
      ]);
    given(decided(start(fanOut('all'), { input: { regions: Array.from({ length: 1_001 }, (_, i) => i) } })))
      .when(schedule())
      .then([{ data: { status_after: 'FAILED' } }]);
  });

  it('fails a child whose input does not render, and the join decides', () => {
    const definition = workflow({ fan: { for_each: 'input.items', join: 'ignore_failures', input: '${item.name}' } });
    given(decided(start(definition, { input: { items: [{ name: 'a' }, {}] } })))
      .when(schedule())
      .then([
        {
          data: {
            status_after: 'RUNNING',
            changes: [
              { type: 'step_started' },
              { type: 'job_scheduled', index: 0, input: 'a' },
              { type: 'unit_settled', index: 1, status: 'FAILED', error: { code: 'expression_error' } },
            ],
          },
        },
      ]);
  });
});
