import { describe, expect, it } from 'vitest';
import { decideRun } from '../../../../src/domain/workflow/run-decide.ts';
import { rerunCommand } from '../../../../src/domain/workflow/run-start.ts';
import {
  approve,
  cancel,
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

const DAY = 86_400_000;

describe('approval steps', () => {
  const definition = workflow({
    build: {},
    gate: { type: 'approval', depends_on: ['build'], input: { version: '${steps.build.output}' } },
    ship: { depends_on: ['gate'], input: '${steps.gate.output.by}' },
  });
  const waiting = () =>
    decided(
      start(definition, { default_timeouts: { build: 60_000, gate: DAY, ship: 60_000 } }),
      schedule(),
      outcomes(T0 + 10, succeeded('run1.build.1', '1.2.3')),
    );

  it('puts the run in WAITING until the approval expiry, with the rendered request', () => {
    expect(waiting().at(-1)).toMatchObject({
      data: {
        status_after: 'WAITING',
        due_at: T0 + 10 + DAY,
        changes: [
          {},
          {},
          {
            type: 'step_started',
            step_id: 'gate',
            status: 'WAITING',
            wait: { reason: 'approval', until: T0 + 10 + DAY, request: { version: '1.2.3' } },
          },
        ],
      },
    });
  });

  it('approve: records who and why, and the run goes on', () => {
    given(waiting())
      .when(approve('gate', T0 + 100, true, 'looks good'))
      .then([
        {
          type: 'RunStepApproved',
          data: {
            step_id: 'gate',
            by: 'alice',
            reason: 'looks good',
            status_before: 'WAITING',
            status_after: 'RUNNING',
            changes: [
              {
                type: 'step_settled',
                step_id: 'gate',
                status: 'SUCCEEDED',
                output: { approved: true, by: 'alice', reason: 'looks good' },
              },
              { type: 'step_started', step_id: 'ship' },
              { type: 'job_scheduled', job_id: 'run1.ship.1', input: 'alice' },
            ],
          },
        },
      ]);
  });

  it('reject: the step fails, and the run with it', () => {
    given(waiting())
      .when(approve('gate', T0 + 100, false, 'not today'))
      .then([
        {
          type: 'RunStepRejected',
          data: {
            by: 'alice',
            reason: 'not today',
            status_after: 'FAILED',
            changes: [
              {
                type: 'step_settled',
                step_id: 'gate',
                status: 'FAILED',
                error: { code: 'rejected', message: 'not today' },
              },
              { step_id: 'ship', status: 'CANCELLED' },
            ],
          },
        },
      ]);
  });

  it('is 409 when the step is not waiting (too early, already decided, run ended), 404 for an unknown step', () => {
    given(decided(start(definition), schedule()))
      .when(approve('gate', T0 + 1))
      .thenError('ConflictError', 'step_not_waiting');
    const approved = [...waiting(), ...given(waiting()).when(approve('gate', T0 + 100)).events];
    given(approved)
      .when(approve('gate', T0 + 200))
      .thenError('ConflictError', 'step_not_waiting');
    given([...waiting(), ...decided()])
      .when(approve('nope', T0 + 100))
      .thenError('NotFoundError', 'step_not_found');
    const cancelled = [...waiting(), ...given(waiting()).when(cancel(T0 + 50)).events];
    given(cancelled)
      .when(approve('gate', T0 + 100))
      .thenError('ConflictError', 'step_not_waiting');
  });

  it('expires: an answer at the expiry is refused, and the timer times the step (and the run) out', () => {
    given(waiting())
      .when(approve('gate', T0 + 10 + DAY))
      .thenError('ConflictError', 'approval_expired');
    given(waiting())
      .when(timers(T0 + 10 + DAY))
      .then([
        {
          data: {
            fired: [{ kind: 'approval_expired', step_id: 'gate' }],
            changes: [
              { type: 'step_settled', step_id: 'gate', status: 'TIMED_OUT', error: { code: 'approval_expired' } },
              { step_id: 'ship', status: 'CANCELLED' },
            ],
            status_after: 'FAILED',
          },
        },
      ]);
  });
});

describe('cancel', () => {
  const definition = workflow({ a: {}, b: { for_each: '[1, 2]' }, c: { depends_on: ['a'] } });
  const running = () => decided(start(definition), schedule());

  it('cancels the run and its unsettled steps, and stops every job in flight', () => {
    given(running())
      .when(cancel(T0 + 5, 'api:key9', 'wrong input'))
      .then([
        {
          type: 'RunCancelled',
          data: {
            by: 'api:key9',
            reason: 'wrong input',
            status_before: 'RUNNING',
            status_after: 'CANCELLED',
            due_at: null,
            stop_jobs: [
              { job_id: 'run1.a.1', step_id: 'a', index: null },
              { job_id: 'run1.b.0.1', step_id: 'b', index: 0 },
              { job_id: 'run1.b.1.1', step_id: 'b', index: 1 },
            ],
            changes: [
              { type: 'step_settled', step_id: 'a', status: 'CANCELLED' },
              { type: 'step_settled', step_id: 'b', status: 'CANCELLED' },
              { type: 'step_settled', step_id: 'c', status: 'CANCELLED' },
            ],
            outcome: { status: 'CANCELLED', error: { code: 'cancelled', message: 'wrong input' } },
          },
        },
      ]);
  });

  it('lists the jobs decided by the last event for pre-emption even if none was created yet', () => {
    // The decider cannot know whether the process manager created them: it lists them all.
    const afterSuccess = [...running(), ...given(running()).when(outcomes(T0 + 3, succeeded('run1.a.1'))).events];
    const cancelled = given(afterSuccess).when(cancel(T0 + 4));
    expect(cancelled.events[0]?.data.stop_jobs.map((job) => job.job_id)).toEqual([
      'run1.b.0.1',
      'run1.b.1.1',
      'run1.c.1',
    ]);
  });

  it('cancels a run that never had its first pass, with nothing to stop', () => {
    given(decided(start(definition)))
      .when(cancel(T0 + 1))
      .then([{ data: { status_before: 'PENDING', status_after: 'CANCELLED', stop_jobs: [] } }]);
  });

  it('guards the ended run: later results, timers, passes and cancels change nothing', () => {
    const cancelled = [...running(), ...given(running()).when(cancel(T0 + 5)).events];
    given(cancelled)
      .when(outcomes(T0 + 6, succeeded('run1.a.1'), succeeded('run1.b.0.1')))
      .thenNothing();
    given(cancelled)
      .when(timers(T0 + 10 * DAY))
      .thenNothing();
    given(cancelled)
      .when(schedule(T0 + 7))
      .thenNothing();
    given(cancelled)
      .when(cancel(T0 + 8))
      .thenNothing();
  });
});

describe('rerun', () => {
  const definition = workflow({
    fetch: {},
    check: { type: 'condition', condition: 'false' },
    build: { depends_on: ['fetch', 'check'], input: '${steps.fetch.output}' },
    deploy: { depends_on: ['build'] },
    docs: {},
  });
  const ended = () =>
    fold(
      decided(
        start(definition, { input: { v: 1 } }),
        schedule(),
        outcomes(T0 + 1, succeeded('run1.fetch.1', 'src'), succeeded('run1.docs.1')),
        outcomes(T0 + 2, succeeded('run1.build.1', 'bin')),
        cancel(T0 + 3),
      ),
    );

  it('starts a new run of the same version and input, reusing what from_step depends on', () => {
    const command = rerunCommand(ended(), {
      now: T0 + 10,
      run_id: 'run2',
      from_step: 'deploy',
      trace_id: 't2',
      started_by: 'bob',
    });
    if (command instanceof Error) throw command;
    expect(command).toMatchObject({
      run_id: 'run2',
      input: { v: 1 },
      workflow: { version: 1 },
      default_timeouts: { fetch: 60_000 },
    });
    const started = given([]).when(command);
    started.then([
      {
        type: 'RunStarted',
        data: {
          keys: { run_id: 'run2', workflow_id: 'wf' },
          rerun_of: { run_id: 'run1', from_step: 'deploy', reused: ['check', 'fetch', 'build'] },
          changes: [
            { type: 'step_settled', step_id: 'check', status: 'SKIPPED' },
            { type: 'step_settled', step_id: 'fetch', status: 'SUCCEEDED', output: 'src' },
            { type: 'step_settled', step_id: 'build', status: 'SUCCEEDED', output: 'bin' },
          ],
        },
      },
    ]);
    given(started.events)
      .when(schedule(T0 + 11))
      .then([
        {
          data: {
            changes: [
              { type: 'step_started', step_id: 'docs' },
              { type: 'job_scheduled', job_id: 'run2.docs.1' },
              { type: 'step_started', step_id: 'deploy' },
              { type: 'job_scheduled', job_id: 'run2.deploy.1', input: null },
            ],
          },
        },
      ]);
  });

  it('without from_step reruns everything; refuses a live run and an unknown step', () => {
    const all = rerunCommand(ended(), { now: T0, run_id: 'run3', from_step: null, trace_id: 't', started_by: 'bob' });
    expect(all).toMatchObject({ rerun: { of: 'run1', from_step: null, reused: {} } });
    const live = fold(decided(start(definition), schedule()));
    expect(rerunCommand(live, { now: T0, run_id: 'r', from_step: null, trace_id: 't', started_by: 'b' })).toMatchObject(
      { name: 'ConflictError', code: 'run_not_finished' },
    );
    expect(
      rerunCommand(ended(), { now: T0, run_id: 'r', from_step: 'zz', trace_id: 't', started_by: 'b' }),
    ).toMatchObject({ name: 'ValidationError', field: 'from_step' });
  });
});

describe('snapshots', () => {
  it('a snapshot folds to the same state, and later events apply on it', () => {
    const definition = workflow({ a: {}, b: { depends_on: ['a'] } });
    const history = decided(start(definition), schedule());
    const state = fold(history);
    const snapshot = decideRun({ type: 'SnapshotRun', now: T0 + 1 }, state);
    if (snapshot instanceof Error) throw snapshot;
    expect(snapshot).toMatchObject([
      { type: 'RunSnapshot', data: { status_before: 'RUNNING', status_after: 'RUNNING', due_at: T0 + 60_000 } },
    ]);
    const fromSnapshot = fold(snapshot);
    expect(fromSnapshot).toEqual(state);
    const next = decideRun(outcomes(T0 + 2, succeeded('run1.a.1')), fromSnapshot);
    expect(next).toEqual(decideRun(outcomes(T0 + 2, succeeded('run1.a.1')), state));
  });
});
