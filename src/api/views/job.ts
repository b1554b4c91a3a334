/**
 * A job's state as clients see it (`GET /api/v1/jobs/{id}`): one flat JSON object whatever the
 * state, times as ISO 8601. Fields a state does not have are null rather than absent, so clients read
 * every job the same way.
 */
import type { SafetyDecision } from '../../domain/job/events.ts';
import type { JobState } from '../../domain/job/state.ts';
import { isInFlight } from '../../domain/job/state.ts';
import { formatPositionToken, type StoredEvent } from '../../domain/shared/events.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : iso(ms);

export function safetyView(safety: SafetyDecision | null) {
  if (safety === null) return null;
  return {
    decision: safety.decision,
    reason: safety.reason,
    source: safety.source,
    policy_version: safety.policy_version,
    constraints: safety.constraints === null ? null : { ...safety.constraints },
  };
}

/** The view of a job that exists; `last` is its latest event (for `updated_at`). */
export function jobView(
  state: Exclude<JobState, { status: 'NONE' }>,
  tenant: string,
  position: number,
  last: StoredEvent | undefined,
) {
  const keys = state.keys;
  const updatedAt = last === undefined ? iso(keys.created_at) : last.time;
  const common = {
    job_id: keys.job_id,
    tenant,
    topic: keys.topic,
    state: state.status,
    priority: keys.priority,
    team: keys.team,
    created_at: iso(keys.created_at),
    updated_at: updatedAt,
    due_at: isoOrNull(state.due_at),
    deadline_at: isoOrNull(state.deadline_at),
    trace_id: keys.trace_id,
    workflow_id: keys.workflow_id,
    run_id: keys.run_id,
    position: formatPositionToken({ stream: 'job', position }),
  };
  if ('preempted' in state && state.preempted) {
    // A workflow step cancelled before its job was created: it never had a request.
    return {
      ...common,
      principal: null,
      labels: {},
      requires: [],
      risk_tags: [],
      payload: null,
      attempt: 0,
      max_attempts: null,
      worker_id: null,
      run_at: null,
      safety: null,
      approval_request: null,
      result: null,
      result_ptr: null,
      execution_ms: null,
      error: { code: 'preempted', message: state.reason },
      cancellation: null,
      idempotency_key: null,
      step_id: null,
      retry_of: null,
    };
  }
  const request = state.request;
  const fromRequest = {
    principal: request.principal,
    labels: { ...request.labels },
    requires: [...request.requires],
    risk_tags: [...request.risk_tags],
    payload: request.payload,
    run_at: isoOrNull(request.run_at),
    idempotency_key: request.idempotency_key,
    step_id: request.step?.step_id ?? null,
    retry_of: request.retry_of,
    max_attempts: state.max_attempts,
    worker_id: state.worker_id,
    safety: safetyView(state.safety),
  };
  if ('preempted' in state) {
    return {
      ...common,
      ...fromRequest,
      attempt: state.attempts,
      approval_request: null,
      result: state.result ?? null,
      result_ptr: state.result_ptr,
      execution_ms: state.execution_ms,
      error: state.error,
      cancellation: state.cancellation,
    };
  }
  const waiting = state.status === 'APPROVAL_REQUIRED' ? state.approval_request : null;
  return {
    ...common,
    ...fromRequest,
    attempt: isInFlight(state) ? state.attempt : state.attempts,
    approval_request:
      waiting === null
        ? null
        : {
            request_hash: waiting.request_hash,
            policy_version: waiting.safety.policy_version,
            expires_at: iso(waiting.expires_at),
            reason: waiting.safety.reason,
          },
    result: null,
    result_ptr: null,
    execution_ms: null,
    error: state.last_error,
    cancellation: null,
  };
}

export type JobViewBody = ReturnType<typeof jobView>;

/** One event of a job's history as clients see it. */
export function eventView(event: StoredEvent) {
  const stream = event.stream_id.slice(0, event.stream_id.indexOf(':'));
  return {
    id: event.id,
    type: event.type,
    time: event.time,
    position: `${stream}:${event.position}`,
    actor: event.actor,
    trace_id: event.trace_id,
    causation_id: event.causation_id,
    correlation_id: event.correlation_id,
    data: event.data,
  };
}
