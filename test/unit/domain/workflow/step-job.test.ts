import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/domain/config/settings.ts';
import type { JobEvent } from '../../../../src/domain/job/events.ts';
import { parseStepJobId } from '../../../../src/domain/shared/ids.ts';
import { jobKindOf, partitionOf, streamId } from '../../../../src/domain/shared/stream.ts';
import type { JobScheduled } from '../../../../src/domain/workflow/run-events.ts';
import { resolveStepTimeouts } from '../../../../src/domain/workflow/run-start.ts';
import { stepJobOutcome, stepJobRequest } from '../../../../src/domain/workflow/step-job.ts';
import { jobIdFor, retryBackoffMs } from '../../../../src/domain/workflow/step-progress.ts';
import { decided, fold, schedule, scheduledJobs, start, T0, workflow } from '../../../support/workflow-spec.ts';

describe('the step job request', () => {
  const definition = workflow({
    fan: {
      topic: 'job.render',
      for_each: 'input.pages',
      input: { page: '${item}' },
      labels: { service: 'docs' },
      route_labels: { region: 'eu', preferred_pool: 'gpu' },
      requires: ['chromium'],
      timeout_ms: 30_000,
      delay_ms: 1_000,
    },
    single: { input: { all: '${input.pages}' } },
  });
  // Built inside each test (not while the file loads), so mutation testing credits these tests.
  function firstPass() {
    const events = decided(
      start(definition, { input: { pages: [{ n: 1 }, { n: 2 }] }, team_id: 'docs-team' }),
      schedule(),
    );
    const run = fold(events);
    if (run.status === 'NONE') throw new Error('no run');
    const [child0, , single] = scheduledJobs(events) as [JobScheduled, JobScheduled, JobScheduled];
    return { run, child0, single };
  }

  it('carries the rendered input, the step ids as labels and ref, one attempt, and the step timeout', () => {
    const { run, child0 } = firstPass();
    expect(stepJobRequest(definition, run, child0)).toEqual({
      job_id: 'run1.fan.0.1',
      tenant: 'acme',
      topic: 'job.render',
      payload: { page: { n: 1 } },
      priority: 'batch',
      team: 'docs-team',
      principal: 'api:key1',
      labels: {
        service: 'docs',
        region: 'eu',
        preferred_pool: 'gpu',
        workflow_id: 'wf',
        run_id: 'run1',
        step_id: 'fan',
        foreach_index: '0',
      },
      requires: ['chromium'],
      capability: null,
      risk_tags: [],
      idempotency_key: null,
      trace_id: 'trace1',
      run_at: T0 + 1_000,
      deadline_ms: 30_000,
      retry: { max_attempts: 1, initial_backoff_ms: 1_000, max_backoff_ms: 60_000, multiplier: 2, jitter: 0 },
      timeouts: { dispatch_ms: null, running_ms: 30_000 },
      step: { workflow_id: 'wf', run_id: 'run1', step_id: 'fan', foreach_index: 0, foreach_item: { n: 1 } },
      retry_of: null,
      env: {},
    });
  });

  it('leaves the fan-out fields empty for a step that is its own single job, and takes the config timeout', () => {
    const { run, single } = firstPass();
    const request = stepJobRequest(definition, run, single);
    expect(request).toMatchObject({
      job_id: 'run1.single.1',
      topic: 'job.default',
      payload: { all: [{ n: 1 }, { n: 2 }] },
      run_at: null,
      deadline_ms: 60_000,
    });
    expect(request.labels).toEqual({ workflow_id: 'wf', run_id: 'run1', step_id: 'single' });
    expect(request.step).toMatchObject({ foreach_index: null, foreach_item: null });
  });

  it('throws on a change for a step the definition does not have, or one with no timeout (a bug, not input)', () => {
    const { run, single } = firstPass();
    for (const stepId of ['nope', 'constructor', 'toString']) {
      expect(() => stepJobRequest(definition, run, { ...single, step_id: stepId })).toThrow(/not in the definition/);
    }
    expect(() => stepJobRequest(definition, { ...run, timeouts: {} }, single)).toThrow(/single has no timeout/);
  });
});

describe('step job ids and partitions', () => {
  it('are <run>.<step>.<n> and <run>.<step>.<i>.<n>, parse back, are workflow-kind, and sit in their run partition', () => {
    for (const [index, n] of [
      [null, 1],
      [0, 1],
      [7, 3],
    ] as const) {
      const jobId = jobIdFor('01J9ZQ4V', 'deploy', index, n);
      expect(jobId).toBe(index === null ? `01J9ZQ4V.deploy.${n}` : `01J9ZQ4V.deploy.${index}.${n}`);
      expect(parseStepJobId(jobId)).toEqual({ runId: '01J9ZQ4V', stepId: 'deploy', index, n });
      expect(jobKindOf(jobId)).toBe('w');
      for (const partitions of [4, 16, 64]) {
        expect(partitionOf(streamId('job', 'acme', jobId), partitions)).toBe(
          partitionOf(streamId('run', 'acme', '01J9ZQ4V'), partitions),
        );
      }
    }
  });

  it('back off exponentially between step attempts, capped', () => {
    const retry = { max_retries: 5, initial_backoff_ms: 100, max_backoff_ms: 1_000, multiplier: 3 };
    expect([1, 2, 3, 4].map((attempt) => retryBackoffMs(retry, attempt))).toEqual([100, 300, 900, 1_000]);
  });
});

describe('the outcome of a step job event', () => {
  const keys = {
    job_id: 'run1.a.1',
    topic: 'job.default',
    team: null,
    trace_id: 't',
    workflow_id: 'wf',
    run_id: 'run1',
    priority: 'batch' as const,
    created_at: T0,
  };
  const transition = (before: string, after: string) => ({
    keys,
    status_before: before,
    status_after: after,
    due_at: null,
    deadline_at: null,
  });
  const event = (type: string, before: string, after: string, extra: Record<string, unknown> = {}) =>
    ({ type, data: { ...transition(before, after), ...extra } }) as unknown as JobEvent;
  const error = { code: 'exit_1', message: 'exit 1' };

  const outcome = (over: Record<string, unknown>) => ({
    job_id: 'run1.a.1',
    result: null,
    result_ptr: null,
    error: null,
    retryable: true,
    ...over,
  });

  it.each([
    [
      event('JobSucceeded', 'RUNNING', 'SUCCEEDED', { result: { ok: 1 }, result_ptr: null }),
      outcome({ status: 'SUCCEEDED', result: { ok: 1 } }),
    ],
    [
      event('JobSucceeded', 'RUNNING', 'SUCCEEDED', { result: null, result_ptr: 'obj/1' }),
      outcome({ status: 'SUCCEEDED', result_ptr: 'obj/1' }),
    ],
    [
      event('JobAttemptFailed', 'RUNNING', 'FAILED', { error, retryable: false, outcome: { final: 'FAILED' } }),
      outcome({ status: 'FAILED', error, retryable: false }),
    ],
    [
      event('JobAttemptTimedOut', 'DISPATCHED', 'TIMEOUT', { phase: 'dispatch', outcome: { final: 'TIMEOUT' } }),
      outcome({ status: 'TIMEOUT', error: { code: 'job_timed_out', message: 'the step job timed out (dispatch)' } }),
    ],
    [
      event('JobCancelled', 'RUNNING', 'CANCELLED', { by: 'api:k', reason: null }),
      outcome({
        status: 'CANCELLED',
        error: { code: 'job_cancelled', message: 'the step job was cancelled by api:k' },
      }),
    ],
    [
      event('JobCancelled', 'RUNNING', 'CANCELLED', { by: 'api:k', reason: 'not needed' }),
      outcome({ status: 'CANCELLED', error: { code: 'job_cancelled', message: 'not needed' } }),
    ],
    [
      event('JobPreempted', 'PENDING', 'CANCELLED', { reason: 'run cancelled' }),
      outcome({ status: 'PREEMPTED', error: { code: 'job_preempted', message: 'run cancelled' } }),
    ],
    [
      event('JobDenied', 'PENDING', 'DENIED', { reason_code: 'safety_unavailable', safety: null }),
      outcome({ status: 'DENIED', error: { code: 'safety_unavailable', message: 'denied' }, retryable: false }),
    ],
    [
      event('JobDenied', 'PENDING', 'DENIED', { reason_code: 'safety_denied', safety: { reason: 'pii' } }),
      outcome({ status: 'DENIED', error: { code: 'safety_denied', message: 'pii' }, retryable: false }),
    ],
    [
      event('JobRoutingFailed', 'PENDING', 'FAILED', {
        error: { code: 'no_pool_mapping', message: 'no pool' },
        safety: null,
      }),
      outcome({ status: 'FAILED', error: { code: 'no_pool_mapping', message: 'no pool' }, retryable: false }),
    ],
    [
      event('JobRejected', 'APPROVAL_REQUIRED', 'DENIED', { by: 'x', reason: null, request_hash: 'h' }),
      outcome({
        status: 'DENIED',
        error: { code: 'job_denied', message: 'the step job ended DENIED (JobRejected)' },
        retryable: false,
      }),
    ],
    [
      event('JobApprovalExpired', 'APPROVAL_REQUIRED', 'DENIED'),
      outcome({
        status: 'DENIED',
        error: { code: 'job_denied', message: 'the step job ended DENIED (JobApprovalExpired)' },
        retryable: false,
      }),
    ],
    // Hand-made: no decider ends a job with these, but an outcome follows the status the event left.
    [
      event('JobApprovalExpired', 'APPROVAL_REQUIRED', 'TIMEOUT'),
      outcome({ status: 'TIMEOUT', error: expect.anything() }),
    ],
    [event('JobSnapshot', 'RUNNING', 'SUCCEEDED', { state: {} }), outcome({ status: 'SUCCEEDED' })],
    [
      event('JobSnapshot', 'RUNNING', 'FAILED', { state: {} }),
      outcome({ status: 'FAILED', error: { code: 'job_failed', message: 'the step job ended FAILED (JobSnapshot)' } }),
    ],
    [
      event('JobSnapshot', 'RUNNING', 'CANCELLED', { state: {} }),
      outcome({
        status: 'CANCELLED',
        error: { code: 'job_cancelled', message: 'the step job ended CANCELLED (JobSnapshot)' },
        retryable: false,
      }),
    ],
  ])('maps %# to its outcome', (jobEvent, expected) => {
    expect(stepJobOutcome(jobEvent)).toEqual(expected);
  });

  it('is null for events that do not end the job, and for a repeated terminal event', () => {
    expect(
      stepJobOutcome(
        event('JobAttemptFailed', 'RUNNING', 'PENDING', { error, retryable: true, outcome: { retry_at: T0 } }),
      ),
    ).toBeNull();
    expect(
      stepJobOutcome(event('JobDispatched', 'SCHEDULED', 'RUNNING', { attempt: 1, worker_id: 'w', started_at: T0 })),
    ).toBeNull();
    expect(stepJobOutcome(event('JobSnapshot', 'SUCCEEDED', 'SUCCEEDED', { state: {} }))).toBeNull();
  });
});

describe('step timeouts from config', () => {
  it('gives job steps their topic dispatch + running timeout, approval steps the approval expiry, and keeps explicit ones out', () => {
    const definition = workflow({
      build: { topic: 'job.build' },
      test: {},
      gate: { type: 'approval' },
      own: { timeout_ms: 5 },
      pause: { type: 'delay', delay_ms: 5 },
      check: { type: 'condition', condition: 'true' },
    });
    const forStep = (stepId: string): Settings => ({
      ...DEFAULT_SETTINGS,
      timeouts: { dispatch_ms: 1_000, running_ms: 10_000, topics: { 'job.build': { running_ms: 99_000 } } },
      safety: { ...DEFAULT_SETTINGS.safety, approval_ttl_ms: stepId === 'gate' ? 123 : 0 },
    });
    expect(resolveStepTimeouts(definition, forStep)).toEqual({ build: 100_000, test: 11_000, gate: 123 });
  });
});
