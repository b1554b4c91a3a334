import { describe, it } from 'vitest';
import {
  decided,
  failed,
  given,
  outcomes,
  schedule,
  start,
  succeeded,
  T0,
  timers,
  workflow,
} from '../../../support/workflow-spec.ts';

describe('timers', () => {
  const definition = workflow(
    { a: { timeout_ms: 1_000, retry: { max_retries: 1, initial_backoff_ms: 0 } }, b: { timeout_ms: 5_000 } },
    { timeout_ms: 10_000 },
  );
  const running = () => decided(start(definition), schedule());

  it('fires nothing before anything is due', () => {
    given(running())
      .when(timers(T0 + 999))
      .thenNothing();
  });

  it('times out an attempt at its deadline: the job is stopped and retried at once, then the step times out', () => {
    const first = given(running()).when(timers(T0 + 1_000));
    first.then([
      {
        type: 'RunTimersFired',
        data: {
          fired: [{ kind: 'step_timeout', step_id: 'a', index: null, job_id: 'run1.a.1' }],
          stop_jobs: [{ job_id: 'run1.a.1', step_id: 'a', index: null }],
          changes: [{ type: 'job_scheduled', job_id: 'run1.a.2', run_at: null, deadline_at: T0 + 2_000 }],
          due_at: T0 + 2_000,
        },
      },
    ]);
    given([...running(), ...first.events])
      .when(timers(T0 + 2_000))
      .then([
        {
          data: {
            fired: [{ kind: 'step_timeout', job_id: 'run1.a.2' }],
            stop_jobs: [{ job_id: 'run1.a.2' }, { job_id: 'run1.b.1' }],
            changes: [
              { type: 'unit_settled', step_id: 'a', status: 'TIMED_OUT', error: { code: 'step_timed_out' } },
              { type: 'step_settled', step_id: 'a', status: 'TIMED_OUT' },
              { type: 'step_settled', step_id: 'b', status: 'CANCELLED' },
            ],
            status_after: 'FAILED',
            outcome: { status: 'FAILED', error: { step_id: 'a' } },
          },
        },
      ]);
  });

  it('times the run out at its timeout, stopping every job in flight', () => {
    const late = decided(
      start(definition),
      schedule(),
      outcomes(T0 + 10, succeeded('run1.b.1')),
      outcomes(T0 + 900, failed('run1.a.1')),
    );
    given(late)
      .when(timers(T0 + 10_000))
      .then([
        {
          data: {
            fired: [{ kind: 'run_timeout' }],
            status_after: 'TIMED_OUT',
            due_at: null,
            stop_jobs: [{ job_id: 'run1.a.2' }],
            changes: [{ type: 'step_settled', step_id: 'a', status: 'CANCELLED' }],
            outcome: { status: 'TIMED_OUT', error: { code: 'run_timed_out', step_id: null } },
          },
        },
      ]);
  });

  it('waits durably on a delay step (the run WAITING), then starts its dependants', () => {
    const delayed = workflow({ pause: { type: 'delay', delay_ms: 3_000 }, after: { depends_on: ['pause'] } });
    const history = decided(start(delayed));
    const paused = given(history).when(schedule());
    paused.then([
      {
        data: {
          status_after: 'WAITING',
          due_at: T0 + 3_000,
          changes: [{ type: 'step_started', status: 'WAITING', wait: { reason: 'delay', until: T0 + 3_000 } }],
        },
      },
    ]);
    given([...history, ...paused.events])
      .when(timers(T0 + 2_999))
      .thenNothing();
    given([...history, ...paused.events])
      .when(timers(T0 + 3_000))
      .then([
        {
          data: {
            fired: [{ kind: 'delay_done', step_id: 'pause' }],
            status_after: 'RUNNING',
            changes: [
              { type: 'step_settled', status: 'SUCCEEDED' },
              { type: 'step_started', step_id: 'after' },
              { type: 'job_scheduled' },
            ],
          },
        },
      ]);
  });

  it('delays a job step through its job: run_at, with the deadline counted from it', () => {
    const delayed = workflow({
      a: { delay_until: 'timestamp("2030-01-01T00:00:00Z")', timeout_ms: 100 },
      b: { delay_ms: 500, timeout_ms: 100 },
    });
    const at = Date.UTC(2030, 0, 1);
    given(decided(start(delayed)))
      .when(schedule())
      .then([
        {
          data: {
            status_after: 'RUNNING',
            changes: [
              { type: 'step_started', step_id: 'a', not_before: at },
              { type: 'job_scheduled', job_id: 'run1.a.1', run_at: at, deadline_at: at + 100 },
              { type: 'step_started', step_id: 'b', not_before: T0 + 500 },
              { type: 'job_scheduled', job_id: 'run1.b.1', run_at: T0 + 500, deadline_at: T0 + 600 },
            ],
          },
        },
      ]);
  });
});
