/**
 * Arbitrary job events: well-typed, but with any values, in any order, for "evolve is total". Snapshot
 * events mostly carry a status consistent with their state, so that they do get installed.
 */
import fc from 'fast-check';
import type { JobEvent, JobStatus } from '../../src/domain/job/events.ts';
import { JOB_STATUSES } from '../../src/domain/job/events.ts';
import type { JobRequest } from '../../src/domain/job/request.ts';
import { arbSafetyDecision, WORKERS } from './job-arbitraries.ts';
import { keysOf, T0 } from './job-fixtures.ts';

const arbWorker = fc.constantFrom<string>(...WORKERS);
const arbStatus = fc.constantFrom<JobStatus>(...JOB_STATUSES);
const arbTime = fc.integer({ min: T0 - 1_000, max: T0 + 1_000_000 });
const arbText = fc.string({ maxLength: 8 });

const REQUEST: JobRequest = {
  job_id: 'job-1',
  tenant: 'acme',
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
  trace_id: 'trace-1',
  run_at: null,
  deadline_ms: null,
  retry: { max_attempts: 2, initial_backoff_ms: 10, max_backoff_ms: 100, multiplier: 2, jitter: 0 },
  timeouts: { dispatch_ms: null, running_ms: null },
  step: null,
  retry_of: null,
  env: {},
};

const arbTransition = fc.record({
  keys: fc.constant(keysOf()),
  status_before: fc.option(arbStatus, { nil: null }),
  status_after: arbStatus,
  due_at: fc.option(arbTime, { nil: null }),
  deadline_at: fc.option(arbTime, { nil: null }),
});

const arbTarget = fc.oneof(
  arbWorker.map((worker_id) => ({ kind: 'worker' as const, worker_id, pool: 'default' })),
  fc.constant({ kind: 'queue' as const, pool: 'default' }),
);
const arbLimits = fc.record({
  dispatch_ms: fc.integer({ min: 1, max: 10_000 }),
  running_ms: fc.integer({ min: 1, max: 10_000 }),
  max_attempts: fc.integer({ min: 1, max: 5 }),
});
const arbStop = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('worker' as const), worker_id: arbWorker, attempt: fc.nat(5) }),
    fc.record({ kind: fc.constant('pool' as const), pool: fc.constant('default'), attempt: fc.nat(5) }),
  ),
  { nil: null },
);
const arbError = fc.record({ code: arbText, message: arbText });

function eventOf<T extends JobEvent['type']>(type: T, extra: fc.Arbitrary<object>): fc.Arbitrary<JobEvent> {
  return fc
    .tuple(arbTransition, extra)
    .map(([transition, fields]) => ({ type, data: { ...transition, ...fields } }) as JobEvent);
}

/** Any event of the catalogue, its snapshot state drawn from `states` (reachable) or from anything. */
export function arbJobEvent(states: fc.Arbitrary<unknown>): fc.Arbitrary<JobEvent> {
  const attempt = fc.nat(5);
  return fc.oneof(
    eventOf('JobSubmitted', fc.constant({ request: REQUEST })),
    eventOf('JobPreempted', fc.record({ reason: arbText })),
    eventOf(
      'JobApprovalRequired',
      fc.record({ safety: arbSafetyDecision, request_hash: arbText, expires_at: arbTime }),
    ),
    eventOf(
      'JobApproved',
      fc.record({ by: arbText, reason: fc.option(arbText, { nil: null }), request_hash: arbText }),
    ),
    eventOf(
      'JobRejected',
      fc.record({ by: arbText, reason: fc.option(arbText, { nil: null }), request_hash: arbText }),
    ),
    eventOf('JobApprovalExpired', fc.constant({})),
    eventOf(
      'JobSafetyReevaluated',
      fc.record({
        safety: arbSafetyDecision,
        request_hash: fc.option(arbText, { nil: null }),
        expires_at: fc.option(arbTime, { nil: null }),
      }),
    ),
    eventOf(
      'JobDenied',
      fc.record({
        safety: fc.option(arbSafetyDecision, { nil: null }),
        reason_code: fc.constantFrom('safety_denied' as const, 'safety_unavailable' as const),
      }),
    ),
    eventOf('JobThrottled', fc.record({ safety: arbSafetyDecision })),
    eventOf('JobDeferred', fc.record({ reason: arbText })),
    eventOf(
      'JobQueued',
      fc.record({
        queue: fc.constantFrom('tenant_limit' as const, 'capacity' as const, 'paused' as const),
        safety: fc.option(arbSafetyDecision, { nil: null }),
      }),
    ),
    eventOf('JobRoutingFailed', fc.record({ safety: fc.option(arbSafetyDecision, { nil: null }), error: arbError })),
    eventOf(
      'JobScheduled',
      fc.record({
        attempt,
        target: arbTarget,
        token: arbText,
        safety: fc.option(arbSafetyDecision, { nil: null }),
        limits: arbLimits,
        dispatch_deadline_at: arbTime,
      }),
    ),
    eventOf(
      'JobDispatched',
      fc.record({
        attempt,
        worker_id: arbWorker,
        started_at: fc.option(arbTime, { nil: null }),
        running_deadline_at: fc.option(arbTime, { nil: null }),
      }),
    ),
    eventOf(
      'JobDispatchFailed',
      fc.record({
        attempt,
        reason: fc.constantFrom('refused' as const, 'no_responders' as const),
        worker_id: fc.option(arbWorker, { nil: null }),
        retry_at: arbTime,
        failures: fc.nat(10),
      }),
    ),
    eventOf(
      'JobStarted',
      fc.record({ attempt, worker_id: arbWorker, started_at: arbTime, running_deadline_at: arbTime }),
    ),
    eventOf(
      'JobProgressed',
      fc.record({ attempt, worker_id: arbWorker, progress: fc.jsonValue(), running_deadline_at: arbTime }),
    ),
    eventOf(
      'JobSucceeded',
      fc.record({
        attempt,
        worker_id: arbWorker,
        result: fc.jsonValue(),
        result_ptr: fc.option(arbText, { nil: null }),
        execution_ms: fc.option(fc.nat(), { nil: null }),
        reported_status: arbText,
      }),
    ),
    eventOf(
      'JobAttemptFailed',
      fc.record({
        attempt,
        worker_id: arbWorker,
        error: arbError,
        retryable: fc.boolean(),
        reported_status: arbText,
        execution_ms: fc.option(fc.nat(), { nil: null }),
        outcome: fc.oneof(
          arbTime.map((retry_at) => ({ retry_at })),
          fc.constant({ final: 'FAILED' as const }),
        ),
      }),
    ),
    eventOf(
      'JobAttemptTimedOut',
      fc.record({
        attempt,
        phase: fc.constantFrom('dispatch' as const, 'running' as const, 'deadline' as const),
        stop: arbStop,
        outcome: fc.oneof(
          arbTime.map((retry_at) => ({ retry_at })),
          fc.constant({ final: 'TIMEOUT' as const }),
        ),
      }),
    ),
    eventOf('JobCancelled', fc.record({ by: arbText, reason: fc.option(arbText, { nil: null }), stop: arbStop })),
    // Mostly consistent snapshots (status_after = the state's status), so they do get installed.
    fc
      .tuple(eventOf('JobSnapshot', fc.record({ state: fc.oneof(states, fc.anything()) })), fc.boolean(), fc.boolean())
      .map(([event, consistent, again]) => {
        const state = (event.data as { state: unknown }).state as { status?: unknown } | null;
        const status = typeof state === 'object' && state !== null ? state.status : undefined;
        if (!(consistent || again) || typeof status !== 'string' || status === 'NONE') return event;
        return { ...event, data: { ...event.data, status_after: status } } as JobEvent;
      }),
    eventOf('JobArchived', fc.record({ archive_ref: arbText })),
  );
}
