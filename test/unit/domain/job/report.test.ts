/** SPEC 1.8: started notices, results and their mapping, retries, and reports that do not count. */
import { describe, expect, it } from 'vitest';
import {
  accepted,
  cancel,
  dispatched,
  failed,
  historyOf,
  jobSpec,
  keysOf,
  RETRY_3,
  report,
  running,
  schedule,
  scheduled,
  started,
  submit,
  T0,
} from '../../../support/job-fixtures.ts';

const stopW = (worker_id: string, attempt = 1) => ({ kind: 'worker', worker_id, attempt });

describe('RecordReport: started', () => {
  it('makes a dispatched job RUNNING, due at its running deadline', () => {
    const { state } = jobSpec
      .given(dispatched())
      .when(started())
      .then([
        {
          type: 'JobStarted',
          data: {
            keys: keysOf(),
            status_before: 'DISPATCHED',
            status_after: 'RUNNING',
            due_at: T0 + 6 + 900_000,
            deadline_at: null,
            attempt: 1,
            worker_id: 'w1',
            started_at: T0 + 6,
            running_deadline_at: T0 + 6 + 900_000,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'RUNNING', worker_id: 'w1' });
  });

  it('is accepted before the hand-off is recorded (a fast worker)', () => {
    jobSpec
      .given(scheduled())
      .when(started())
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ status_before: 'SCHEDULED', status_after: 'RUNNING' }),
        }),
      ]);
  });

  it('is a harmless duplicate once running', () => {
    jobSpec.given(running()).when(started()).then({ ignored: 'duplicate', stop: undefined });
  });
});

describe('RecordReport: success', () => {
  it('ends the job SUCCEEDED with its result', () => {
    const { state } = jobSpec
      .given(running())
      .when(report())
      .then([
        {
          type: 'JobSucceeded',
          data: {
            keys: keysOf(),
            status_before: 'RUNNING',
            status_after: 'SUCCEEDED',
            due_at: null,
            deadline_at: null,
            attempt: 1,
            worker_id: 'w1',
            result: { ok: true },
            result_ptr: null,
            execution_ms: 7,
            reported_status: 'SUCCEEDED',
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'SUCCEEDED', result: { ok: true }, attempts: 1, error: null });
  });

  it.each(['COMPLETED', 'completed', 'Succeeded'])('treats %s as success', (status) => {
    jobSpec
      .given(running())
      .when(report({ status }))
      .then([
        expect.objectContaining({ type: 'JobSucceeded', data: expect.objectContaining({ reported_status: status }) }),
      ]);
  });

  it('records a result the worker left out as null (the event is JSON)', () => {
    const { state } = jobSpec
      .given(running())
      .when(report({ result: undefined }))
      .then([expect.objectContaining({ data: expect.objectContaining({ result: null }) })]);
    expect(state).toMatchObject({ status: 'SUCCEEDED', result: null });
  });

  it('keeps a result pointer for a large result', () => {
    const { state } = jobSpec
      .given(running())
      .when(report({ result: null, result_ptr: 'obj://results/job-1' }))
      .then([expect.objectContaining({ type: 'JobSucceeded' })]);
    expect(state).toMatchObject({ result: null, result_ptr: 'obj://results/job-1' });
  });

  it('accepts a result before the hand-off is recorded, from the chosen worker', () => {
    jobSpec
      .given(scheduled())
      .when(report())
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ status_before: 'SCHEDULED', status_after: 'SUCCEEDED' }),
        }),
      ]);
  });

  it('makes the first reporter of a topic-queue hand-off its holder', () => {
    const viaQueue = historyOf(submit(), schedule({ placement: { kind: 'queue', pool: 'default' } }));
    const { state } = jobSpec
      .given(viaQueue)
      .when(report({ worker_id: 'w9' }))
      .then([expect.objectContaining({ type: 'JobSucceeded', data: expect.objectContaining({ worker_id: 'w9' }) })]);
    expect(state).toMatchObject({ worker_id: 'w9' });
    const startedByW9 = historyOf(
      submit(),
      schedule({ placement: { kind: 'queue', pool: 'default' } }),
      started({ worker_id: 'w9' }),
    );
    jobSpec
      .given(startedByW9)
      .when(report({ worker_id: 'w8' }))
      .then({ ignored: 'not_holder', stop: stopW('w8') });
  });
});

describe('RecordReport: failed attempts', () => {
  const retrying = () => running({ retry: RETRY_3 });

  it('retries a failed attempt with attempts left, in the same event', () => {
    const { state } = jobSpec
      .given(retrying())
      .when(failed())
      .then([
        {
          type: 'JobAttemptFailed',
          data: {
            keys: keysOf(),
            status_before: 'RUNNING',
            status_after: 'PENDING',
            due_at: T0 + 10 + 1_000,
            deadline_at: null,
            attempt: 1,
            worker_id: 'w1',
            error: { code: 'boom', message: 'it broke' },
            retryable: true,
            reported_status: 'FAILED',
            execution_ms: 7,
            outcome: { retry_at: T0 + 10 + 1_000 },
          },
        },
      ]);
    expect(state).toMatchObject({
      status: 'PENDING',
      hold: { kind: 'due' },
      attempts: 1,
      last_error: { code: 'boom' },
    });
  });

  it('backs off by initial × multiplier^(attempt−1) and fails for good after the last attempt', () => {
    const second = historyOf(
      submit({ retry: RETRY_3 }),
      schedule(),
      accepted('w1', T0 + 4),
      failed(),
      schedule({ now: T0 + 1_010, token: 'tok-2', safety: { kind: 'recorded' } }),
      accepted('w1', T0 + 1_011, { attempt: 2, token: 'tok-2', now: T0 + 1_011 }),
    );
    jobSpec
      .given(second)
      .when(failed({ attempt: 2, token: 'tok-2', now: T0 + 2_000 }))
      .then([expect.objectContaining({ data: expect.objectContaining({ outcome: { retry_at: T0 + 4_000 } }) })]);
    const third = historyOf(
      submit({ retry: RETRY_3 }),
      schedule(),
      accepted('w1', T0 + 4),
      failed(),
      schedule({ now: T0 + 1_010, token: 'tok-2', safety: { kind: 'recorded' } }),
      accepted('w1', T0 + 1_011, { attempt: 2, token: 'tok-2', now: T0 + 1_011 }),
      failed({ attempt: 2, token: 'tok-2', now: T0 + 2_000 }),
      schedule({ now: T0 + 4_000, token: 'tok-3', safety: { kind: 'recorded' } }),
      accepted('w1', T0 + 4_001, { attempt: 3, token: 'tok-3', now: T0 + 4_001 }),
    );
    const { state } = jobSpec
      .given(third)
      .when(failed({ attempt: 3, token: 'tok-3', now: T0 + 5_000 }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ status_after: 'FAILED', due_at: null, outcome: { final: 'FAILED' } }),
        }),
      ]);
    expect(state).toMatchObject({ status: 'FAILED', attempts: 3, error: { code: 'boom' } });
  });

  it('caps the backoff and applies the jitter draw', () => {
    const capped = running({ retry: { ...RETRY_3, initial_backoff_ms: 8_000, max_backoff_ms: 8_000, jitter: 0.5 } });
    jobSpec
      .given(capped)
      .when(failed({ jitter: 0.5 }))
      .then([expect.objectContaining({ data: expect.objectContaining({ outcome: { retry_at: T0 + 10 + 6_000 } }) })]);
  });

  it('fails for good when the worker says the failure is not retryable', () => {
    jobSpec
      .given(retrying())
      .when(failed({ retryable: false }))
      .then([
        expect.objectContaining({ data: expect.objectContaining({ retryable: false, outcome: { final: 'FAILED' } }) }),
      ]);
  });

  it('fails for good with a single attempt (the default)', () => {
    jobSpec
      .given(running())
      .when(failed())
      .then([expect.objectContaining({ data: expect.objectContaining({ status_after: 'FAILED' }) })]);
  });

  it.each([
    ['TIMEOUT', 'worker_timeout'],
    ['CANCELLED', 'worker_cancelled'],
    ['DENIED', 'worker_denied'],
    ['cancelled', 'worker_cancelled'],
  ])('maps a worker-reported %s to a failed attempt %s, retried like any failure', (status, code) => {
    jobSpec
      .given(retrying())
      .when(report({ status, error_code: null, error_message: null }))
      .then([
        expect.objectContaining({
          type: 'JobAttemptFailed',
          data: expect.objectContaining({
            error: expect.objectContaining({ code }),
            outcome: { retry_at: T0 + 1_010 },
          }),
        }),
      ]);
  });

  it('keeps the worker’s own message for a status it reported, and says which status it was without one', () => {
    jobSpec
      .given(running())
      .when(report({ status: 'timeout', error_code: null, error_message: 'gave up' }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ error: { code: 'worker_timeout', message: 'gave up' } }),
        }),
      ]);
    jobSpec
      .given(running())
      .when(report({ status: 'timeout', error_code: null, error_message: null }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ error: { code: 'worker_timeout', message: 'the worker reported TIMEOUT' } }),
        }),
      ]);
  });

  it('quotes an unknown status in the error, cut to 64 characters (it is the worker’s text)', () => {
    const status = `W${'x'.repeat(99)}`;
    jobSpec
      .given(running())
      .when(report({ status }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            error: {
              code: 'unknown_status',
              message: `the worker reported an unknown status: ${status.slice(0, 64)}`,
            },
            reported_status: status,
          }),
        }),
      ]);
  });

  it('records a missing status as the empty string it was read as', () => {
    jobSpec
      .given(running())
      .when(report({ status: null }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            reported_status: '',
            error: { code: 'unknown_status', message: 'the worker reported an unknown status: ' },
          }),
        }),
      ]);
  });

  it.each([['WEIRD'], ['PARTIAL'], [null]])('maps status %s to unknown_status', (status) => {
    jobSpec
      .given(running())
      .when(report({ status }))
      .then([
        expect.objectContaining({
          type: 'JobAttemptFailed',
          data: expect.objectContaining({ error: expect.objectContaining({ code: 'unknown_status' }) }),
        }),
      ]);
  });

  it('names a FAILED without an error code plainly', () => {
    jobSpec
      .given(running())
      .when(failed({ error_code: null, error_message: null }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ error: { code: 'failed', message: 'the worker reported FAILED' } }),
        }),
      ]);
  });
});

describe('RecordReport: reports that do not count', () => {
  it('stops the sender of a report for an old attempt', () => {
    const secondAttempt = historyOf(
      submit({ retry: RETRY_3 }),
      schedule(),
      accepted('w1', T0 + 4),
      failed(),
      schedule({ now: T0 + 1_010, token: 'tok-2', safety: { kind: 'recorded' } }),
    );
    jobSpec
      .given(secondAttempt)
      .when(report({ now: T0 + 1_020 }))
      .then({ ignored: 'stale_attempt', stop: stopW('w1', 1) });
  });

  it('stops a worker that does not hold the attempt', () => {
    jobSpec
      .given(running())
      .when(report({ worker_id: 'w2' }))
      .then({ ignored: 'not_holder', stop: stopW('w2') });
    jobSpec
      .given(scheduled())
      .when(started({ worker_id: 'w2' }))
      .then({ ignored: 'not_holder', stop: stopW('w2') });
  });

  it('stops a report with the wrong token from another worker', () => {
    jobSpec
      .given(historyOf(submit(), schedule({ placement: { kind: 'queue', pool: 'default' } })))
      .when(report({ worker_id: 'w5', token: 'forged' }))
      .then({ ignored: 'wrong_token', stop: stopW('w5') });
  });

  it('changes nothing for a finished job, and stops the sender (a late result)', () => {
    const cancelled = historyOf(submit(), schedule(), accepted('w1', T0 + 4), cancel());
    jobSpec
      .given(cancelled)
      .when(report())
      .then({ ignored: 'terminal', stop: stopW('w1') });
    // A worker-reported CANCELLED for a job Coretex cancelled is not a failure either.
    jobSpec
      .given(cancelled)
      .when(report({ status: 'CANCELLED' }))
      .then({ ignored: 'terminal', stop: stopW('w1') });
    const succeeded = historyOf(submit(), schedule(), accepted('w1', T0 + 4), report());
    jobSpec.given(succeeded).when(report()).then({ ignored: 'terminal' });
  });

  it('changes nothing for an unknown job, and stops the sender', () => {
    jobSpec
      .given([])
      .when(report())
      .then({ ignored: 'unknown_job', stop: stopW('w1') });
  });

  it('stops a report for a job that is waiting for its next attempt', () => {
    const waiting = historyOf(submit({ retry: RETRY_3 }), schedule(), accepted('w1', T0 + 4), failed());
    jobSpec
      .given(waiting)
      .when(report())
      .then({ ignored: 'no_attempt_in_flight', stop: stopW('w1') });
  });
});
