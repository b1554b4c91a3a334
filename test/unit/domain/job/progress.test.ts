/** SPEC 1.7: progress extends the running deadline, at most once per quarter of the running timeout. */
import { describe, expect, it } from 'vitest';
import {
  accepted,
  dispatched,
  historyOf,
  jobSpec,
  keysOf,
  progress,
  running,
  schedule,
  submit,
  T0,
} from '../../../support/job-fixtures.ts';

const stopW = (worker_id: string, attempt = 1) => ({ kind: 'worker', worker_id, attempt });

describe('RecordProgress', () => {
  // running_ms 40 s: progress extends the deadline at most every 10 s.
  const slow = () => running({ timeouts: { running_ms: 40_000 } });
  const startedAt = T0 + 5;

  it('extends the running deadline after a quarter of the running timeout', () => {
    const { state } = jobSpec
      .given(slow())
      .when(progress({ now: startedAt + 10_000 }))
      .then([
        {
          type: 'JobProgressed',
          data: {
            keys: keysOf(),
            status_before: 'RUNNING',
            status_after: 'RUNNING',
            due_at: startedAt + 50_000,
            deadline_at: null,
            attempt: 1,
            worker_id: 'w1',
            progress: { pct: 50 },
            running_deadline_at: startedAt + 50_000,
          },
        },
      ]);
    expect(state).toMatchObject({ running_deadline_at: startedAt + 50_000, due_at: startedAt + 50_000 });
  });

  it('records a report without a progress value as null (the event is JSON)', () => {
    jobSpec
      .given(slow())
      .when(progress({ now: startedAt + 10_000, progress: undefined }))
      .then([expect.objectContaining({ data: expect.objectContaining({ progress: null }) })]);
  });

  it('records nothing more often than once per quarter, counted from the last extension', () => {
    jobSpec
      .given(slow())
      .when(progress({ now: startedAt + 9_999 }))
      .then({ ignored: 'progress_too_soon', stop: undefined });
    const extended = historyOf(
      submit({ timeouts: { running_ms: 40_000 } }),
      schedule(),
      accepted('w1', T0 + 4),
      progress({ now: startedAt + 10_000 }),
    );
    jobSpec
      .given(extended)
      .when(progress({ now: startedAt + 19_999 }))
      .then({ ignored: 'progress_too_soon' });
    jobSpec
      .given(extended)
      .when(progress({ now: startedAt + 20_000 }))
      .then([expect.objectContaining({ data: expect.objectContaining({ running_deadline_at: startedAt + 60_000 }) })]);
  });

  it('cannot revive an attempt past its running deadline', () => {
    jobSpec
      .given(slow())
      .when(progress({ now: startedAt + 40_000 }))
      .then({ ignored: 'running_deadline_passed' });
  });

  it('never extends the due time past the overall deadline', () => {
    const bounded = running({ timeouts: { running_ms: 40_000 }, deadline_ms: 45_000 });
    jobSpec
      .given(bounded)
      .when(progress({ now: startedAt + 10_000 }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ due_at: T0 + 45_000, running_deadline_at: startedAt + 50_000 }),
        }),
      ]);
  });

  it('is not recorded before the job runs, and stops a non-holder', () => {
    jobSpec
      .given(dispatched())
      .when(progress({ now: T0 + 20_000 }))
      .then({ ignored: 'not_running', stop: undefined });
    jobSpec
      .given(slow())
      .when(progress({ worker_id: 'w2', now: startedAt + 10_000 }))
      .then({ ignored: 'not_holder', stop: stopW('w2') });
  });
});
