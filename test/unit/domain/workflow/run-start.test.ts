/**
 * Starting a run and rerunning one (run-start.ts, SPEC 2.2), and what replaying the first events
 * builds (run-evolve.ts): step timeouts, the team, reused steps, and the run decider's plainer paths
 * (messages of the outcomes it writes, snapshots, approvals of steps that do not wait for one).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/domain/config/settings.ts';
import { decideRun } from '../../../../src/domain/workflow/run-decide.ts';
import { evolveRun } from '../../../../src/domain/workflow/run-evolve.ts';
import { initialRunState, runStep } from '../../../../src/domain/workflow/run-state.ts';
import { rerunCommand, resolveStepTimeouts } from '../../../../src/domain/workflow/run-start.ts';
import {
  approve,
  cancel,
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

describe('starting a run', () => {
  it('takes a whole number of at least 1 ms as a step’s default timeout, and refuses anything else', () => {
    const definition = workflow({ a: {} });
    given([])
      .when(start(definition, { default_timeouts: { a: 1 } }))
      .then([{ data: { timeouts: { a: 1 } } }]);
    for (const bad of [0, 1.5, Number.NaN]) {
      given([])
        .when(start(definition, { default_timeouts: { a: bad } }))
        .thenError('ValidationError', 'invalid_field', 'default_timeouts.a');
    }
  });

  it('belongs to the team the start names, else to the workflow’s team', () => {
    const definition = workflow({ a: {} }, { team_id: 'platform' });
    given([])
      .when(start(definition, { team_id: 'docs' }))
      .then([{ data: { keys: { team_id: 'docs' } } }]);
    given([])
      .when(start(definition))
      .then([{ data: { keys: { team_id: 'platform' } } }]);
  });

  it('refuses to reuse a step the workflow does not have', () => {
    const definition = workflow({ a: {} });
    const reused = { zz: { status: 'SUCCEEDED' as const, output: 1, output_ptr: null } };
    given([])
      .when(start(definition, { rerun: { of: 'run0', from_step: 'a', reused } }))
      .thenError('ValidationError', 'invalid_field', 'from_step');
  });

  it('gives a step without a topic the timeouts of job.default', () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      timeouts: { dispatch_ms: 1_000, running_ms: 10_000, topics: { 'job.default': { running_ms: 2_000 } } },
    };
    expect(resolveStepTimeouts(workflow({ a: {} }), () => settings)).toEqual({ a: 3_000 });
  });
});

describe('rerunning a run', () => {
  const definition = workflow({ a: {}, b: { depends_on: ['a'] }, c: { depends_on: ['b'] } });

  it('reuses only the ancestors that succeeded or were skipped, and marks them reused once replayed', () => {
    const ended = fold(
      decided(
        start(definition),
        schedule(),
        outcomes(T0 + 1, succeeded('run1.a.1', 'A')),
        outcomes(T0 + 2, failed('run1.b.1', false)),
      ),
    );
    expect(ended.status).toBe('FAILED');
    const command = rerunCommand(ended, {
      now: T0 + 10,
      run_id: 'run2',
      from_step: 'c',
      trace_id: 't',
      started_by: 'b',
    });
    if (command instanceof Error) throw command;
    expect(command.rerun?.reused).toEqual({ a: { status: 'SUCCEEDED', output: 'A', output_ptr: null } });
    const rerun = fold(decided(command));
    if (rerun.status === 'NONE') throw new Error('no run');
    expect(runStep(rerun, 'a')).toMatchObject({ status: 'SUCCEEDED', output: 'A', reused: true });
    expect(runStep(rerun, 'b')).toMatchObject({ status: 'PENDING', reused: false });
  });

  it('says which run is not finished, or which step is not in the workflow', () => {
    const live = fold(decided(start(definition), schedule()));
    const request = { now: T0, run_id: 'r', from_step: null, trace_id: 't', started_by: 'b' };
    expect(rerunCommand(live, request)).toMatchObject({
      code: 'run_not_finished',
      message: expect.stringContaining('run run1 is RUNNING'),
    });
    const ended = fold(decided(start(definition), cancel(T0 + 1)));
    expect(rerunCommand(ended, { ...request, from_step: 'zz' })).toMatchObject({
      field: 'from_step',
      message: expect.stringContaining('step zz'),
    });
  });

  it('answers 404 for a run that does not exist', () => {
    expect(
      rerunCommand(initialRunState, { now: T0, run_id: 'r', from_step: null, trace_id: 't', started_by: 'b' }),
    ).toMatchObject({ name: 'NotFoundError', code: 'run_not_found', message: expect.stringMatching(/./) });
  });
});

describe('replaying run events', () => {
  it('ignores a later event when there is no run (a history that does not start with RunStarted)', () => {
    const [, scheduled] = decided(start(workflow({ a: {} })), schedule());
    if (scheduled === undefined) throw new Error('no pass');
    expect(evolveRun(initialRunState, scheduled)).toBe(initialRunState);
  });

  it('gives a waiting step no units, and cancels the running children of a step that settles', () => {
    const waiting = fold(decided(start(workflow({ gate: { type: 'approval' } })), schedule()));
    expect(waiting.status !== 'NONE' && runStep(waiting, 'gate')).toMatchObject({ status: 'WAITING', units: [] });
    const fan = workflow({ fan: { for_each: '[1, 2]' } });
    const failedChild = fold(decided(start(fan), schedule(), outcomes(T0 + 1, failed('run1.fan.0.1', false))));
    expect(failedChild.status !== 'NONE' && runStep(failedChild, 'fan').units.map((unit) => unit.status)).toEqual([
      'FAILED',
      'CANCELLED',
    ]);
  });
});

describe('the run decider’s plainer paths', () => {
  it('says who cancelled the run when no reason is given', () => {
    given(decided(start(workflow({ a: {} })), schedule()))
      .when(cancel(T0 + 5))
      .then([
        { data: { outcome: { status: 'CANCELLED', error: { code: 'cancelled', message: 'cancelled by api:key1' } } } },
      ]);
  });

  it('says the run timed out, in so many words', () => {
    given(decided(start(workflow({ a: {} }, { timeout_ms: 1_000 })), schedule()))
      .when(timers(T0 + 1_000))
      .then([
        {
          data: {
            fired: [{ kind: 'run_timeout' }],
            outcome: {
              status: 'TIMED_OUT',
              error: { code: 'run_timed_out', message: 'the run did not finish within its timeout' },
            },
          },
        },
      ]);
  });

  it('says who rejected a step when no reason is given', () => {
    const rejected = given(decided(start(workflow({ gate: { type: 'approval' } })), schedule())).when(
      approve('gate', T0 + 5, false),
    );
    rejected.then([{ type: 'RunStepRejected' }]);
    expect(rejected.after.status === 'FAILED' && runStep(rejected.after, 'gate').error).toEqual({
      code: 'rejected',
      message: 'rejected by alice',
    });
  });

  it('leaves attempt deadlines to the timers: a scheduling pass past one changes nothing', () => {
    given(decided(start(workflow({ a: { timeout_ms: 1_000 } })), schedule()))
      .when(schedule(T0 + 5_000))
      .thenNothing();
  });

  it('refuses to approve a step that waits for something else, or runs a job', () => {
    const steps = { pause: { type: 'delay', delay_ms: 60_000 }, work: {} };
    const history = decided(start(workflow(steps)), schedule());
    for (const stepId of ['pause', 'work']) {
      given(history)
        .when(approve(stepId, T0 + 5))
        .thenError('ConflictError', 'step_not_waiting');
    }
  });

  it('snapshots with no changes and no jobs to stop', () => {
    const state = fold(decided(start(workflow({ a: {} })), schedule()));
    expect(decideRun({ type: 'SnapshotRun', now: T0 + 1 }, state)).toMatchObject([
      { type: 'RunSnapshot', data: { changes: [], stop_jobs: [], outcome: null, at: T0 + 1, state } },
    ]);
  });
});
