/** SPEC 1.10: a DLQ retry resubmits the full original request, minus its idempotency key, with retry_of. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDlq } from '../../../../src/domain/dlq/decide.ts';
import type { DlqEvent } from '../../../../src/domain/dlq/events.ts';
import { foldDlq } from '../../../../src/domain/dlq/evolve.ts';
import { retrySubmissionOf } from '../../../../src/domain/dlq/retry.ts';
import { decide } from '../../../../src/domain/job/decide.ts';
import { fold } from '../../../../src/domain/job/evolve.ts';
import type { JobRequest } from '../../../../src/domain/job/request.ts';
import { NO_JOB } from '../../../../src/domain/job/state.ts';
import { addEntry, DLQ_AT } from '../../../support/dlq-fixtures.ts';
import { arbSubmission } from '../../../support/job-arbitraries.ts';
import { JOB_ID, submit, T0 } from '../../../support/job-fixtures.ts';

function entryOf(request: JobRequest, retried: boolean) {
  const events: DlqEvent[] = [];
  const added = decideDlq(addEntry({ request, job_id: request.job_id }), foldDlq(events));
  if (added instanceof Error) throw added;
  events.push(...added.events);
  if (retried) {
    const result = decideDlq({ type: 'RetryDlqEntry', by: 'ops', now: DLQ_AT + 1 }, foldDlq(events));
    if (result instanceof Error) throw result;
    events.push(...result.events);
  }
  const entry = foldDlq(events);
  if (entry.status === 'NONE') throw new Error('expected an entry');
  return entry;
}

/** Submits `input` as a fresh client job and returns the normalised request. */
function requestOf(input: Parameters<typeof submit>[0]): JobRequest {
  const result = decide(submit(input), NO_JOB);
  if (result instanceof Error) throw result;
  const state = fold(result.events);
  if (state.status !== 'PENDING') throw new Error('not submitted');
  return state.request;
}

/** Submits the retry as the API would, once the entry recorded it. */
function submitRetry(request: JobRequest, now = DLQ_AT + 2): JobRequest {
  const submission = retrySubmissionOf(entryOf(request, true));
  if (submission === null) throw new Error('no submission for a retried entry');
  const result = decide(
    submit(submission.input, {
      job_id: submission.job_id,
      id_source: submission.id_source,
      tenant: submission.tenant,
      now,
      fresh_trace_id: 'fresh',
    }),
    NO_JOB,
  );
  if (result instanceof Error) throw result;
  const state = fold(result.events);
  if (state.status !== 'PENDING') throw new Error('retry not submitted');
  return state.request;
}

describe('retrySubmissionOf', () => {
  it('is null until the retry is recorded', () => {
    expect(retrySubmissionOf(entryOf(requestOf({}), false))).toBeNull();
  });

  it('resubmits everything but the idempotency key and run_at, under <job_id>.r1 with retry_of', () => {
    const original = requestOf({
      topic: 'job.images.resize',
      payload: { url: 'x', sizes: [1, 2] },
      priority: 'critical',
      team: 'media',
      principal: 'user:1',
      labels: { region: 'eu' },
      requires: ['cuda'],
      capability: 'resize',
      risk_tags: ['pii'],
      idempotency_key: 'idem-1',
      trace_id: 'trace-original',
      run_at: T0 + 10,
      deadline_ms: 60_000,
      retry: { max_attempts: 3, initial_backoff_ms: 10, max_backoff_ms: 100, multiplier: 2, jitter: 0 },
      timeouts: { dispatch_ms: 1_000, running_ms: 2_000 },
      env: { TRACEPARENT: '00-1' },
    });
    expect(submitRetry(original)).toEqual({
      ...original,
      job_id: `${JOB_ID}.r1`,
      idempotency_key: null,
      run_at: null,
      retry_of: JOB_ID,
    });
  });

  it('round-trips any valid submission', () => {
    fc.assert(
      fc.property(arbSubmission, (input) => {
        const original = requestOf({ ...input, idempotency_key: 'k' });
        expect(submitRetry(original)).toEqual({
          ...original,
          job_id: `${JOB_ID}.r1`,
          idempotency_key: null,
          run_at: null,
          retry_of: JOB_ID,
        });
      }),
      { numRuns: 200 },
    );
  });
});
