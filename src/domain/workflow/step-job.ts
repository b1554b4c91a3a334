/**
 * The bridge between runs and the job pipeline (SPEC 2.2, 3): the job request a `job_scheduled`
 * change creates (run events first, step jobs from them, with the id the event names), and the
 * outcome a job event means for its step. Step jobs have `max_attempts: 1`: the step's `retry`
 * makes new jobs, so job and step retries never multiply; step jobs take their run's partition
 * because their id names the run (`partitionOf` in shared/stream.ts).
 */
import { DEFAULT_RETRY } from '../config/settings.ts';
import type { JobEvent } from '../job/events.ts';
import { isTerminal } from '../job/events.ts';
import type { JobRequest } from '../job/request.ts';
import type { WorkflowDefinition } from './definition.ts';
import type { JobScheduled, StepJobOutcome } from './run-events.ts';
import { findUnit, runStep, type RunData } from './run-state.ts';

/**
 * The request that creates the step job of `change` (taken from a run event), for `run` (the run's
 * state at or after that event). Labels: the step's `labels` and `route_labels` (placement), plus
 * `workflow_id`, `run_id`, `step_id` and, for a fan-out child, `foreach_index`. The scheduler adds
 * the env (ids, effective config) from `step` when it dispatches.
 */
export function stepJobRequest(definition: WorkflowDefinition, run: RunData, change: JobScheduled): JobRequest {
  const step = definition.steps[change.step_id];
  if (step === undefined || !Object.hasOwn(definition.steps, change.step_id)) {
    throw new Error(`step ${change.step_id} is not in the definition`);
  }
  const unit = findUnit(runStep(run, change.step_id), change.index);
  const timeout =
    step.timeout_ms ?? (Object.hasOwn(run.timeouts, change.step_id) ? run.timeouts[change.step_id] : undefined);
  if (timeout === undefined) throw new Error(`step ${change.step_id} has no timeout`);
  const labels: Record<string, string> = { ...step.labels, ...step.route_labels };
  labels.workflow_id = run.keys.workflow_id;
  labels.run_id = run.keys.run_id;
  labels.step_id = change.step_id;
  if (change.index !== null) labels.foreach_index = String(change.index);
  return {
    job_id: change.job_id,
    tenant: run.keys.org_id,
    topic: step.topic ?? 'job.default',
    payload: change.input,
    priority: 'batch',
    team: run.keys.team_id,
    principal: run.started_by,
    labels,
    requires: step.requires,
    capability: null,
    risk_tags: [],
    idempotency_key: null,
    trace_id: run.trace_id,
    run_at: change.run_at,
    // The step timeout bounds the attempt; the run's own timer enforces it too, at `deadline_at`.
    deadline_ms: timeout,
    retry: { ...DEFAULT_RETRY, max_attempts: 1, jitter: 0 },
    timeouts: { dispatch_ms: null, running_ms: timeout },
    step: {
      workflow_id: run.keys.workflow_id,
      run_id: run.keys.run_id,
      step_id: change.step_id,
      foreach_index: change.index,
      foreach_item: change.index === null ? null : (unit?.item ?? null),
    },
    retry_of: null,
    env: {},
  };
}

/**
 * What a step job's event means for its step: an outcome once the job is terminal (the first event
 * that makes it so), null otherwise (a retry time, a hand-off, progress, a repeated terminal event).
 */
export function stepJobOutcome(event: JobEvent): StepJobOutcome | null {
  const { keys, status_before: before, status_after: after } = event.data;
  if (!isTerminal(after) || (before !== null && isTerminal(before))) return null;
  const base = { job_id: keys.job_id, result: null, result_ptr: null, error: null, retryable: true };
  switch (event.type) {
    case 'JobSucceeded':
      return { ...base, status: 'SUCCEEDED', result: event.data.result, result_ptr: event.data.result_ptr };
    case 'JobAttemptFailed':
      return { ...base, status: 'FAILED', error: { ...event.data.error }, retryable: event.data.retryable };
    case 'JobAttemptTimedOut':
      return {
        ...base,
        status: 'TIMEOUT',
        error: { code: 'job_timed_out', message: `the step job timed out (${event.data.phase})` },
      };
    case 'JobCancelled':
      return {
        ...base,
        status: 'CANCELLED',
        error: {
          code: 'job_cancelled',
          message: event.data.reason ?? `the step job was cancelled by ${event.data.by}`,
        },
      };
    case 'JobPreempted':
      return { ...base, status: 'PREEMPTED', error: { code: 'job_preempted', message: event.data.reason } };
    case 'JobDenied':
      return {
        ...base,
        status: 'DENIED',
        error: { code: event.data.reason_code, message: event.data.safety?.reason ?? 'denied' },
        retryable: false,
      };
    case 'JobRoutingFailed':
      return { ...base, status: 'FAILED', error: { ...event.data.error }, retryable: false };
    case 'JobApprovalExpired':
    case 'JobRejected':
    case 'JobSubmitted':
    case 'JobApprovalRequired':
    case 'JobApproved':
    case 'JobSafetyReevaluated':
    case 'JobThrottled':
    case 'JobDeferred':
    case 'JobQueued':
    case 'JobScheduled':
    case 'JobDispatched':
    case 'JobDispatchFailed':
    case 'JobStarted':
    case 'JobProgressed':
    case 'JobSnapshot':
    case 'JobArchived':
      return fallbackOutcome(base, after, event.type);
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Any other event that ends a job (an approval rejected or expired, say), by the status it left. */
function fallbackOutcome(
  base: Omit<StepJobOutcome, 'status'>,
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'DENIED',
  type: string,
): StepJobOutcome {
  const error = { code: `job_${status.toLowerCase()}`, message: `the step job ended ${status} (${type})` };
  switch (status) {
    case 'SUCCEEDED':
      return { ...base, status };
    case 'FAILED':
    case 'TIMEOUT':
      return { ...base, status, error };
    case 'CANCELLED':
    case 'DENIED':
      return { ...base, status, error, retryable: false };
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}
