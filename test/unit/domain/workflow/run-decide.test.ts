import { describe, expect, it } from 'vitest';
import { readySteps } from '../../../../src/domain/workflow/schedule.ts';
import { isLive } from '../../../../src/domain/workflow/run-state.ts';
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
  workflow,
} from '../../../support/workflow-spec.ts';

const keys = { run_id: 'run1', workflow_id: 'wf', workflow_version: 1, org_id: 'acme', team_id: null, created_at: T0 };

describe('starting a run', () => {
  const definition = workflow(
    {
      build: { timeout_ms: 5_000 },
      gate: { type: 'approval', depends_on: ['build'] },
      ok: { type: 'condition', condition: 'true' },
    },
    { timeout_ms: 100_000, input_schema: { type: 'object', required: ['version'] } },
  );

  it('records the pinned definition, the input, every timeout, and is due at once for its first pass', () => {
    given([])
      .when(start(definition, { input: { version: '1.2' }, default_timeouts: { build: 1, gate: 86_400_000 } }))
      .then([
        {
          type: 'RunStarted',
          data: {
            keys,
            status_before: null,
            status_after: 'PENDING',
            due_at: T0,
            changes: [],
            stop_jobs: [],
            outcome: null,
            definition,
            input: { version: '1.2' },
            timeouts: { build: 5_000, gate: 86_400_000 },
            timeout_at: T0 + 100_000,
            rerun_of: null,
          },
        },
      ]);
  });

  it('refuses an input the schema rejects, naming the field', () => {
    given([])
      .when(start(definition, { input: {} }))
      .thenError('ValidationError', 'invalid_input', 'input.version');
  });

  it('refuses a run id that cannot prefix step job ids, a second start, and a step left without a timeout', () => {
    given([])
      .when(start(definition, { run_id: 'a.b', input: { version: '1' } }))
      .thenError('ValidationError', undefined, 'run_id');
    const history = decided(start(definition, { input: { version: '1' } }));
    given(history)
      .when(start(definition, { input: { version: '1' } }))
      .thenError('ConflictError', 'run_exists');
    given([])
      .when(start(definition, { input: { version: '1' }, default_timeouts: {} }))
      .thenError('ValidationError', undefined, 'default_timeouts.gate');
  });

  it('answers 404 to anything but a start when there is no run', () => {
    given([]).when(schedule()).thenError('NotFoundError', 'run_not_found');
  });
});

describe('the scheduling pass', () => {
  it('starts every root step with its deterministic job id, rendered input and deadline', () => {
    const definition = workflow({
      a: { topic: 'job.a', input: { v: '${input.version}', n: '${input.n + 1}' }, timeout_ms: 1_000 },
      b: { timeout_ms: 2_000 },
      c: { depends_on: ['a', 'b'] },
    });
    given(decided(start(definition, { input: { version: 'x', n: 1 } })))
      .when(schedule(T0 + 5))
      .then([
        {
          type: 'RunStepsScheduled',
          data: {
            status_before: 'PENDING',
            status_after: 'RUNNING',
            due_at: T0 + 5 + 1_000,
            changes: [
              { type: 'step_started', step_id: 'a', status: 'RUNNING', items: null },
              {
                type: 'job_scheduled',
                step_id: 'a',
                index: null,
                job_id: 'run1.a.1',
                attempt: 1,
                input: { v: 'x', n: 2 },
                run_at: null,
                deadline_at: T0 + 1_005,
              },
              { type: 'step_started', step_id: 'b' },
              { type: 'job_scheduled', job_id: 'run1.b.1', deadline_at: T0 + 2_005 },
            ],
          },
        },
      ]);
  });

  it('iterates to a fixed point: false conditions skip, condition steps settle, and their dependants start in the same pass', () => {
    const definition = workflow({
      check: { type: 'condition', condition: 'input.deploy', input: { target: '${input.target}' } },
      skipped: { condition: 'false' },
      after_skip: { depends_on: ['skipped'] },
      deploy: {
        depends_on: ['check'],
        condition: 'steps.check.output.target == "prod"',
        input: '${steps.check.output}',
      },
      never: { depends_on: ['check'], condition: '!input.deploy' },
    });
    given(decided(start(definition, { input: { deploy: true, target: 'prod' } })))
      .when(schedule())
      .then([
        {
          data: {
            changes: [
              { type: 'step_settled', step_id: 'check', status: 'SUCCEEDED', output: { target: 'prod' } },
              { type: 'step_settled', step_id: 'skipped', status: 'SKIPPED', output: null },
              { type: 'step_started', step_id: 'after_skip' },
              { type: 'job_scheduled', job_id: 'run1.after_skip.1' },
              { type: 'step_started', step_id: 'deploy' },
              { type: 'job_scheduled', job_id: 'run1.deploy.1', input: { target: 'prod' } },
              { type: 'step_settled', step_id: 'never', status: 'SKIPPED' },
            ],
          },
        },
      ]);
  });

  it('is a pure function of (definition, run, now): readySteps gives the pass without deciding anything', () => {
    const definition = workflow({ a: { condition: 'false' }, b: { depends_on: ['a'] } });
    const pending = fold(decided(start(definition)));
    if (!isLive(pending)) throw new Error('expected a live run');
    const pass = readySteps(definition, pending, T0 + 7);
    expect(pass.changes.map((change) => [change.type, change.step_id])).toEqual([
      ['step_settled', 'a'],
      ['step_started', 'b'],
      ['job_scheduled', 'b'],
    ]);
    expect(pass.outcome).toBeNull();
    expect(readySteps(definition, pending, T0 + 7)).toEqual(pass);
    expect(fold(decided(start(definition)))).toEqual(pending); // the input run is not changed
  });

  it('ends the run as soon as a pass settles every step', () => {
    const definition = workflow({
      a: { type: 'condition', condition: 'true', input: 3 },
      b: { type: 'condition', condition: 'false' },
    });
    const a = { ...definition.steps.a!, output_path: 'result.a' };
    const withPath = { ...definition, steps: { ...definition.steps, a } };
    given(decided(start(withPath)))
      .when(schedule())
      .then([
        {
          data: {
            status_after: 'SUCCEEDED',
            due_at: null,
            outcome: { status: 'SUCCEEDED', error: null, output: { result: { a: 3 } } },
          },
        },
      ]);
  });

  it('fails the step, and the run, on an expression that fails at run time, creating no job in that decision', () => {
    const definition = workflow({ a: {}, b: { condition: 'input.missing == 1' } });
    given(decided(start(definition)))
      .when(schedule())
      .then([
        {
          data: {
            status_after: 'FAILED',
            due_at: null,
            changes: [
              { type: 'step_started', step_id: 'a', status: 'RUNNING' },
              { type: 'step_settled', step_id: 'b', status: 'FAILED', error: { code: 'expression_error' } },
              { type: 'step_settled', step_id: 'a', status: 'CANCELLED', error: { code: 'run_ended' } },
            ],
            stop_jobs: [],
            outcome: { status: 'FAILED', error: { code: 'step_failed', step_id: 'b' } },
          },
        },
      ]);
  });

  it('does nothing on a run already scheduled', () => {
    const definition = workflow({ a: {} });
    given(decided(start(definition), schedule()))
      .when(schedule(T0 + 1))
      .thenNothing();
  });
});

describe('step job outcomes', () => {
  const definition = workflow({
    a: { retry: { max_retries: 2, initial_backoff_ms: 100, multiplier: 3, max_backoff_ms: 250 }, timeout_ms: 1_000 },
    b: { depends_on: ['a'], input: { got: '${steps.a.output.value}' }, output_path: 'final' },
  });
  const running = () => decided(start(definition), schedule());

  it('records a success and schedules the dependants with its output', () => {
    given(running())
      .when(outcomes(T0 + 50, succeeded('run1.a.1', { value: 42 })))
      .then([
        {
          type: 'RunStepResultsRecorded',
          data: {
            status_before: 'RUNNING',
            status_after: 'RUNNING',
            outcomes: [{ job_id: 'run1.a.1', status: 'SUCCEEDED' }],
            ignored: [],
            changes: [
              { type: 'unit_settled', step_id: 'a', status: 'SUCCEEDED', output: { value: 42 } },
              { type: 'step_settled', step_id: 'a', status: 'SUCCEEDED', output: { value: 42 } },
              { type: 'step_started', step_id: 'b' },
              { type: 'job_scheduled', job_id: 'run1.b.1', input: { got: 42 } },
            ],
          },
        },
      ]);
  });

  it('succeeds the run when the last step succeeds, with the outputs at their output_path', () => {
    const history = decided(...[start(definition), schedule()], outcomes(T0 + 50, succeeded('run1.a.1', { value: 1 })));
    given(history)
      .when(outcomes(T0 + 90, succeeded('run1.b.1', 'done')))
      .then([
        {
          data: {
            status_after: 'SUCCEEDED',
            due_at: null,
            stop_jobs: [],
            outcome: { status: 'SUCCEEDED', output: { final: 'done' } },
          },
        },
      ]);
  });

  it('retries a failure as a new job after a capped exponential backoff, then fails the step and the run', () => {
    const first = given(running()).when(outcomes(T0 + 10, failed('run1.a.1')));
    first.then([
      {
        data: {
          status_after: 'RUNNING',
          changes: [
            { type: 'job_scheduled', job_id: 'run1.a.2', attempt: 2, run_at: T0 + 110, deadline_at: T0 + 1_110 },
          ],
        },
      },
    ]);
    const second = given([...running(), ...first.events]).when(outcomes(T0 + 200, failed('run1.a.2')));
    second.then([
      { data: { changes: [{ type: 'job_scheduled', job_id: 'run1.a.3', attempt: 3, run_at: T0 + 200 + 250 }] } },
    ]);
    given([...running(), ...first.events, ...second.events])
      .when(outcomes(T0 + 500, failed('run1.a.3')))
      .then([
        {
          data: {
            status_after: 'FAILED',
            changes: [
              { type: 'unit_settled', step_id: 'a', status: 'FAILED', error: { code: 'boom' } },
              { type: 'step_settled', step_id: 'a', status: 'FAILED' },
              { type: 'step_settled', step_id: 'b', status: 'CANCELLED', error: { code: 'run_ended' } },
            ],
            outcome: {
              status: 'FAILED',
              error: { code: 'step_failed', step_id: 'a', message: 'step a FAILED: it broke' },
            },
          },
        },
      ]);
  });

  it('does not retry what retrying cannot fix: a non-retryable failure, a denial, a user cancel of the step job', () => {
    for (const [outcome, status] of [
      [failed('run1.a.1', false), 'FAILED'],
      [failed('run1.a.1', true, 'DENIED'), 'FAILED'],
      [failed('run1.a.1', true, 'CANCELLED'), 'CANCELLED'],
    ] as const) {
      given(running())
        .when(outcomes(T0 + 10, outcome))
        .then([
          {
            data: {
              status_after: 'FAILED',
              changes: [{ type: 'unit_settled', status }, { type: 'step_settled', step_id: 'a', status }, {}],
            },
          },
        ]);
    }
  });

  it('retries a job that timed out in the job pipeline', () => {
    given(running())
      .when(outcomes(T0 + 10, failed('run1.a.1', true, 'TIMEOUT')))
      .then([{ data: { changes: [{ type: 'job_scheduled', job_id: 'run1.a.2' }] } }]);
  });

  it('coalesces outcomes into one event and ignores stale, duplicate, unknown and foreign ones', () => {
    const retried = [...running(), ...given(running()).when(outcomes(T0 + 10, failed('run1.a.1'))).events];
    given(retried)
      .when(outcomes(T0 + 20, succeeded('run1.a.1')))
      .thenNothing();
    given(retried)
      .when(
        outcomes(
          T0 + 200,
          succeeded('other.a.2'),
          succeeded('run1.a.2', { value: 1 }),
          succeeded('run1.a.2'),
          succeeded('run1.zz.1'),
          succeeded('not-a-step-job'),
        ),
      )
      .then([
        {
          data: {
            outcomes: [{ job_id: 'run1.a.2' }],
            ignored: ['other.a.2', 'run1.a.2', 'run1.zz.1', 'not-a-step-job'],
            changes: [
              { type: 'unit_settled' },
              { type: 'step_settled' },
              { type: 'step_started', step_id: 'b' },
              { type: 'job_scheduled' },
            ],
          },
        },
      ]);
  });

  it('keeps a notify step from failing its run: it settles SUCCEEDED with the error kept', () => {
    const notify = workflow({ tell: { type: 'notify', topic: 'job.slack' }, next: { depends_on: ['tell'] } });
    given(decided(start(notify), schedule()))
      .when(outcomes(T0 + 5, failed('run1.tell.1', false)))
      .then([
        {
          data: {
            status_after: 'RUNNING',
            changes: [
              { type: 'unit_settled', status: 'SUCCEEDED', output: null, error: { code: 'boom' } },
              { type: 'step_settled', status: 'SUCCEEDED', error: { code: 'boom' } },
              { type: 'step_started', step_id: 'next' },
              { type: 'job_scheduled', job_id: 'run1.next.1' },
            ],
          },
        },
      ]);
  });
});
