/** SPEC 1.1, 1.3: submitting a job, its validation, and ids that are already taken. */
import { describe, expect, it } from 'vitest';
import type { JobSubmitted } from '../../../../src/domain/job/events.ts';
import type { JobRequest } from '../../../../src/domain/job/request.ts';
import type { JobSubmissionInput } from '../../../../src/domain/job/submission.ts';
import { DEFAULT_RETRY_POLICY } from '../../../../src/domain/job/submission.ts';
import {
  archive,
  cancel,
  historyOf,
  JOB_ID,
  jobSpec,
  keysOf,
  preempt,
  submit,
  submitted,
  T0,
  TENANT,
  TRACE,
} from '../../../support/job-fixtures.ts';

function requestOf(over: Partial<JobRequest> = {}): JobRequest {
  return {
    job_id: JOB_ID,
    tenant: TENANT,
    topic: 'job.default',
    payload: null,
    priority: 'batch',
    team: null,
    principal: null,
    labels: {},
    requires: [],
    capability: null,
    risk_tags: [],
    idempotency_key: null,
    trace_id: TRACE,
    run_at: null,
    deadline_ms: null,
    retry: DEFAULT_RETRY_POLICY,
    timeouts: { dispatch_ms: null, running_ms: null },
    step: null,
    retry_of: null,
    env: {},
    ...over,
  };
}

describe('SubmitJob', () => {
  it('records a minimal submission as PENDING, due now, with every default filled in', () => {
    const expected: JobSubmitted = {
      type: 'JobSubmitted',
      data: {
        keys: keysOf(),
        status_before: null,
        status_after: 'PENDING',
        due_at: T0,
        deadline_at: null,
        request: requestOf(),
      },
    };
    const { state } = jobSpec.given([]).when(submit()).then([expected]);
    expect(state).toMatchObject({ status: 'PENDING', hold: { kind: 'due' }, due_at: T0, attempts: 0 });
  });

  it('keeps every field of a full request', () => {
    const input: JobSubmissionInput = {
      topic: 'job.images.resize',
      payload: { url: 'https://x/y.png', sizes: [1, 2] },
      priority: 'critical',
      team: 'media',
      principal: 'user:42',
      labels: { region: 'eu', 'placement.zone': 'a' },
      requires: ['cuda'],
      capability: 'resize',
      risk_tags: ['pii'],
      idempotency_key: 'idem-1',
      trace_id: 'client-trace',
      timeouts: { dispatch_ms: 5_000, running_ms: 60_000 },
      env: { TRACEPARENT: '00-abc' },
    };
    jobSpec
      .given([])
      .when(submit(input))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            keys: keysOf({ topic: 'job.images.resize', team: 'media', trace_id: 'client-trace', priority: 'critical' }),
            request: requestOf({
              topic: 'job.images.resize',
              payload: { url: 'https://x/y.png', sizes: [1, 2] },
              priority: 'critical',
              team: 'media',
              principal: 'user:42',
              labels: { region: 'eu', 'placement.zone': 'a' },
              requires: ['cuda'],
              capability: 'resize',
              risk_tags: ['pii'],
              idempotency_key: 'idem-1',
              trace_id: 'client-trace',
              timeouts: { dispatch_ms: 5_000, running_ms: 60_000 },
              env: { TRACEPARENT: '00-abc' },
            }),
          }),
        }),
      ]);
  });

  it('is due at run_at, with the deadline counted from run_at', () => {
    const runAt = T0 + 3_600_000;
    jobSpec
      .given([])
      .when(submit({ run_at: runAt, deadline_ms: 60_000 }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ due_at: runAt, deadline_at: runAt + 60_000 }),
        }),
      ]);
  });

  it('counts the deadline from submission when there is no run_at', () => {
    jobSpec
      .given([])
      .when(submit({ deadline_ms: 30_000 }))
      .then([expect.objectContaining({ data: expect.objectContaining({ due_at: T0, deadline_at: T0 + 30_000 }) })]);
  });

  it('merges a partial retry policy over the configured defaults', () => {
    const defaults = { max_attempts: 2, initial_backoff_ms: 100, max_backoff_ms: 5_000, multiplier: 3, jitter: 0.5 };
    const { state } = jobSpec
      .given([])
      .when(submit({ retry: { max_attempts: 5, jitter: 0 } }, { defaults }))
      .then([expect.objectContaining({ type: 'JobSubmitted' })]);
    expect(state.status === 'PENDING' && state.request.retry).toEqual({ ...defaults, max_attempts: 5, jitter: 0 });
  });

  it('accepts a derived id with its retry_of (a DLQ retry)', () => {
    jobSpec
      .given([])
      .when(submit({ retry_of: JOB_ID }, { job_id: `${JOB_ID}.r1`, id_source: 'derived' }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ request: requestOf({ job_id: `${JOB_ID}.r1`, retry_of: JOB_ID }) }),
        }),
      ]);
  });

  it('accepts a generated ULID', () => {
    jobSpec
      .given([])
      .when(submit({}, { job_id: '01HZX3K9Q4V6T8W2Y5B7C9D1EF', id_source: 'generated' }))
      .then([expect.objectContaining({ type: 'JobSubmitted' })]);
  });

  it('indexes a workflow step job under its workflow and run', () => {
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build', foreach_index: null, foreach_item: null };
    jobSpec
      .given([])
      .when(submit({ step }, { job_id: 'run-1.build.1', id_source: 'derived' }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            keys: keysOf({ job_id: 'run-1.build.1', workflow_id: 'wf-1', run_id: 'run-1' }),
          }),
        }),
      ]);
  });

  it('accepts a payload of exactly the size limit and refuses one byte more', () => {
    const limit = 1_000;
    const limits = { ...submit().limits, max_payload_bytes: limit };
    const exactly = 'x'.repeat(limit - 2); // JSON adds the two quotes
    jobSpec
      .given([])
      .when(submit({ payload: exactly }, { limits }))
      .then([expect.objectContaining({ type: 'JobSubmitted' })]);
    jobSpec
      .given([])
      .when(submit({ payload: `${exactly}x` }, { limits }))
      .then({ error: 'ValidationError', field: 'payload', code: 'payload_too_large' });
  });

  it('refuses a payload over the default 256 KiB', () => {
    jobSpec
      .given([])
      .when(submit({ payload: 'x'.repeat(256 * 1024) }))
      .then({ error: 'ValidationError', field: 'payload', code: 'payload_too_large' });
  });

  it('accepts 50 labels and refuses 51', () => {
    const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    jobSpec
      .given([])
      .when(submit({ labels: labels(50) }))
      .then([expect.objectContaining({ type: 'JobSubmitted' })]);
    jobSpec
      .given([])
      .when(submit({ labels: labels(51) }))
      .then({ error: 'ValidationError', field: 'labels', code: 'too_many_labels' });
  });

  const far = T0 + 400 * 86_400_000;
  const invalid: Array<[string, JobSubmissionInput, string, string?]> = [
    ['a topic outside job.*', { topic: 'jobs.x' }, 'topic'],
    ['an empty topic name', { topic: 'job.' }, 'topic'],
    ['an upper-case topic name', { topic: 'job.Images' }, 'topic'],
    ['a bare job topic', { topic: 'job' }, 'topic'],
    ['a topic that is not a string', { topic: 42 }, 'topic'],
    ['an unknown priority', { priority: 'urgent' }, 'priority'],
    ['labels that are not an object', { labels: ['a'] }, 'labels'],
    ['a label value that is not a string', { labels: { a: 1 } }, 'labels.a'],
    ['a label key that is too long', { labels: { ['k'.repeat(129)]: 'v' } }, 'labels'],
    ['requires that is not an array', { requires: 'cuda' }, 'requires'],
    ['a requires entry that is not a string', { requires: ['cuda', 3] }, 'requires'],
    ['a risk tag that is empty', { risk_tags: [''] }, 'risk_tags'],
    ['zero max_attempts', { retry: { max_attempts: 0 } }, 'retry.max_attempts', 'out_of_range'],
    ['fractional max_attempts', { retry: { max_attempts: 1.5 } }, 'retry.max_attempts', 'out_of_range'],
    ['max_attempts over the cap', { retry: { max_attempts: 101 } }, 'retry.max_attempts', 'out_of_range'],
    ['a negative backoff', { retry: { initial_backoff_ms: -1 } }, 'retry.initial_backoff_ms', 'out_of_range'],
    ['max backoff under initial', { retry: { initial_backoff_ms: 500, max_backoff_ms: 100 } }, 'retry.max_backoff_ms'],
    ['a multiplier under 1', { retry: { multiplier: 0.5 } }, 'retry.multiplier', 'out_of_range'],
    ['jitter over 1', { retry: { jitter: 1.5 } }, 'retry.jitter', 'out_of_range'],
    ['negative jitter', { retry: { jitter: -0.1 } }, 'retry.jitter', 'out_of_range'],
    ['a zero dispatch timeout', { timeouts: { dispatch_ms: 0 } }, 'timeouts.dispatch_ms', 'out_of_range'],
    ['a negative running timeout', { timeouts: { running_ms: -5 } }, 'timeouts.running_ms', 'out_of_range'],
    ['a running timeout over the bound', { timeouts: { running_ms: 8 * 86_400_000 } }, 'timeouts.running_ms'],
    ['a textual timeout', { timeouts: { dispatch_ms: '5s' } }, 'timeouts.dispatch_ms'],
    ['a NaN run_at', { run_at: Number.NaN }, 'run_at'],
    ['an infinite run_at', { run_at: Number.POSITIVE_INFINITY }, 'run_at'],
    ['a textual run_at', { run_at: 'tomorrow' }, 'run_at'],
    ['a run_at more than a year ahead', { run_at: far }, 'run_at', 'out_of_range'],
    ['a zero deadline', { deadline_ms: 0 }, 'deadline_ms', 'out_of_range'],
    ['a negative deadline', { deadline_ms: -1 }, 'deadline_ms', 'out_of_range'],
    ['an empty team', { team: '' }, 'team'],
    ['an env name that is not a variable name', { env: { 'A-B': 'x' } }, 'env'],
    ['a retry_of on a client id', { retry_of: 'other' }, 'retry_of', 'not_allowed'],
    [
      'a step reference on an ad-hoc job',
      { step: { workflow_id: 'w', run_id: 'r', step_id: 's' } },
      'step',
      'not_allowed',
    ],
  ];
  it.each(invalid)('refuses %s, naming the field', (_label, input, field, code) => {
    jobSpec
      .given([])
      .when(submit(input))
      .then({ error: 'ValidationError', field, ...(code === undefined ? {} : { code }) });
  });

  const badIds: Array<[string, string, 'client' | 'generated' | 'derived']> = [
    ['a client id with a dot (ids with dots are Coretex’s)', 'my.job', 'client'],
    ['a client id of 65 characters', 'a'.repeat(65), 'client'],
    ['an empty client id', '', 'client'],
    ['a client id with a space', 'my job', 'client'],
    ['a generated id that is not a ULID', 'not-a-ulid', 'generated'],
    ['a derived id without a dot', 'plain', 'derived'],
    ['a derived id with an empty segment', 'job-1..r1', 'derived'],
  ];
  it.each(badIds)('refuses %s', (_label, jobId, source) => {
    jobSpec
      .given([])
      .when(submit({}, { job_id: jobId, id_source: source }))
      .then({ error: 'ValidationError', field: 'job_id' });
  });

  it('refuses a tenant that cannot be one', () => {
    jobSpec
      .given([])
      .when(submit({}, { tenant: 'a:b' }))
      .then({ error: 'ValidationError', field: 'tenant' });
  });

  it('requires the step reference of a step job id, and that it matches the id', () => {
    jobSpec
      .given([])
      .when(submit({}, { job_id: 'run-1.build.1', id_source: 'derived' }))
      .then({ error: 'ValidationError', field: 'step', code: 'required' });
    const other = { workflow_id: 'wf-1', run_id: 'run-2', step_id: 'build' };
    jobSpec
      .given([])
      .when(submit({ step: other }, { job_id: 'run-1.build.1', id_source: 'derived' }))
      .then({ error: 'ValidationError', field: 'step', code: 'mismatch' });
  });

  it('refuses an id already used, however the job ended, archived included', () => {
    jobSpec.given(submitted()).when(submit()).then({ error: 'ConflictError', code: 'job_exists' });
    const archived = historyOf(submit(), cancel(), archive());
    jobSpec.given(archived).when(submit()).then({ error: 'ConflictError', code: 'job_exists' });
  });

  it('refuses the id of a step job that was preempted before its creation', () => {
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build' };
    jobSpec
      .given(historyOf(preempt()))
      .when(submit({ step }, { job_id: 'run-1.build.1', id_source: 'derived' }))
      .then({ error: 'ConflictError', code: 'job_preempted' });
  });
});
