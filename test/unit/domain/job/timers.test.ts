/** SPEC 1.7: dispatch, running and overall timeouts; each consumes the attempt or ends the job. */
import { describe, expect, it } from 'vitest';
import {
  accepted,
  dispatched,
  historyOf,
  jobSpec,
  keysOf,
  RETRY_3,
  report,
  running,
  schedule,
  scheduled,
  submit,
  submitted,
  T0,
  timers,
} from '../../../support/job-fixtures.ts';

const DISPATCH_DUE = T0 + 60_000;
const RUNNING_DUE = T0 + 5 + 900_000;

describe('CheckTimers: dispatch timeout', () => {
  it('consumes the attempt, stops the chosen worker, and retries when attempts are left', () => {
    const { state } = jobSpec
      .given(scheduled({ retry: RETRY_3 }))
      .when(timers(DISPATCH_DUE))
      .then([
        {
          type: 'JobAttemptTimedOut',
          data: {
            keys: keysOf(),
            status_before: 'SCHEDULED',
            status_after: 'PENDING',
            due_at: DISPATCH_DUE + 1_000,
            deadline_at: null,
            attempt: 1,
            phase: 'dispatch',
            stop: { kind: 'worker', worker_id: 'w1', attempt: 1 },
            outcome: { retry_at: DISPATCH_DUE + 1_000 },
          },
        },
      ]);
    expect(state).toMatchObject({
      status: 'PENDING',
      hold: { kind: 'due' },
      attempts: 1,
      last_error: { code: 'timeout', message: 'dispatch timeout (attempt 1)' },
    });
    const timedOut = historyOf(submit({ retry: RETRY_3 }), schedule(), timers(DISPATCH_DUE));
    jobSpec
      .given(timedOut)
      .when(schedule({ now: DISPATCH_DUE + 1_000, token: 'tok-2', safety: { kind: 'recorded' } }))
      .then([expect.objectContaining({ data: expect.objectContaining({ attempt: 2 }) })]);
  });

  it('is not due a millisecond early', () => {
    jobSpec
      .given(scheduled())
      .when(timers(DISPATCH_DUE - 1))
      .then({ ignored: 'nothing_due' });
    jobSpec
      .given(dispatched())
      .when(timers(DISPATCH_DUE - 1))
      .then({ ignored: 'nothing_due' });
  });

  it('stops the pool of an unaccepted topic-queue hand-off', () => {
    jobSpec
      .given(historyOf(submit(), schedule({ placement: { kind: 'queue', pool: 'gpu' } })))
      .when(timers(DISPATCH_DUE))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            stop: { kind: 'pool', pool: 'gpu', attempt: 1 },
            outcome: { final: 'TIMEOUT' },
          }),
        }),
      ]);
  });

  it('stops the holder of a dispatched job that never started; final TIMEOUT on the last attempt', () => {
    const { state } = jobSpec
      .given(dispatched())
      .when(timers(DISPATCH_DUE))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            status_after: 'TIMEOUT',
            due_at: null,
            stop: { kind: 'worker', worker_id: 'w1', attempt: 1 },
            outcome: { final: 'TIMEOUT' },
          }),
        }),
      ]);
    expect(state).toMatchObject({ status: 'TIMEOUT', attempts: 1, error: { code: 'timeout' } });
  });
});

describe('CheckTimers: running timeout', () => {
  it('times the attempt out at its running deadline, not before', () => {
    jobSpec
      .given(running())
      .when(timers(RUNNING_DUE - 1))
      .then({ ignored: 'nothing_due' });
    jobSpec
      .given(running())
      .when(timers(RUNNING_DUE))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ phase: 'running', status_before: 'RUNNING', status_after: 'TIMEOUT' }),
        }),
      ]);
  });

  it('retries with the jittered backoff when attempts are left', () => {
    jobSpec
      .given(running({ retry: { ...RETRY_3, jitter: 1 } }))
      .when(timers(RUNNING_DUE, 0.5))
      .then([expect.objectContaining({ data: expect.objectContaining({ outcome: { retry_at: RUNNING_DUE + 500 } }) })]);
  });

  it('then ignores the late result and stops its sender', () => {
    const lateRetry = historyOf(submit({ retry: RETRY_3 }), schedule(), accepted('w1', T0 + 4), timers(RUNNING_DUE));
    jobSpec
      .given(lateRetry)
      .when(report({ now: RUNNING_DUE + 1 }))
      .then({ ignored: 'no_attempt_in_flight', stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } });
    const lateFinal = historyOf(submit(), schedule(), accepted('w1', T0 + 4), timers(RUNNING_DUE));
    jobSpec
      .given(lateFinal)
      .when(report({ now: RUNNING_DUE + 1 }))
      .then({ ignored: 'terminal', stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } });
  });
});

describe('CheckTimers: the overall deadline', () => {
  it('ends a running job with TIMEOUT even with attempts left', () => {
    jobSpec
      .given(running({ retry: RETRY_3, deadline_ms: 30_000 }))
      .when(timers(T0 + 30_000))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            phase: 'deadline',
            status_after: 'TIMEOUT',
            stop: { kind: 'worker', worker_id: 'w1', attempt: 1 },
            outcome: { final: 'TIMEOUT' },
          }),
        }),
      ]);
  });

  it('ends a pending job waiting for run_at, with nobody to stop', () => {
    const later = historyOf(submit({ run_at: T0 + 10_000, deadline_ms: 5_000 }));
    jobSpec
      .given(later)
      .when(timers(T0 + 14_999))
      .then({ ignored: 'nothing_due' });
    jobSpec
      .given(later)
      .when(timers(T0 + 15_000))
      .then([
        {
          type: 'JobAttemptTimedOut',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'TIMEOUT',
            due_at: null,
            deadline_at: T0 + 15_000,
            attempt: 0,
            phase: 'deadline',
            stop: null,
            outcome: { final: 'TIMEOUT' },
          },
        },
      ]);
  });

  it('keeps a retry’s due time within the deadline', () => {
    const history = historyOf(
      submit({ retry: { ...RETRY_3, initial_backoff_ms: 10_000 }, deadline_ms: 61_000 }),
      schedule(),
      timers(DISPATCH_DUE),
    );
    expect(history.at(-1)).toMatchObject({
      data: { status_after: 'PENDING', due_at: T0 + 61_000, outcome: { retry_at: DISPATCH_DUE + 10_000 } },
    });
  });
});

describe('CheckTimers: nothing to do', () => {
  it('leaves a pending job that is merely due to the scheduler', () => {
    jobSpec
      .given(submitted())
      .when(timers(T0 + 999_999))
      .then({ ignored: 'nothing_due' });
  });

  it('ignores a finished job and refuses an unknown one', () => {
    const done = historyOf(submit(), schedule(), accepted('w1', T0 + 4), report());
    jobSpec
      .given(done)
      .when(timers(RUNNING_DUE * 2))
      .then({ ignored: 'terminal' });
    jobSpec.given([]).when(timers(T0)).then({ error: 'NotFoundError' });
  });
});
