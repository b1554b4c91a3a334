/**
 * `evolve(state, event) → state` for jobs: total and pure. The only place that builds job states. An
 * event that does not apply to the state it meets (only a corrupt or hand-made history does that)
 * leaves the state as it is rather than throwing; a terminal job only ever takes `JobArchived`.
 * Each new state is built field by field from the job's core, so no field of a previous status leaks in.
 */
import type { Hold, JobErrorInfo, JobEvent, TerminalStatus } from './events.ts';
import type {
  ApprovalRequiredJob,
  FinishedJob,
  JobState,
  LiveCore,
  LiveJob,
  PendingJob,
  RunningJob,
  ScheduledJob,
} from './state.ts';
import { isInFlight, isLive, isTerminalState, looksLikeJobState } from './state.ts';

export function evolve(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'JobSubmitted': {
      if (state.status !== 'NONE') return state;
      const { data } = event;
      return {
        status: 'PENDING',
        hold: { kind: 'due' },
        keys: data.keys,
        request: data.request,
        due_at: data.due_at ?? data.keys.created_at,
        deadline_at: data.deadline_at,
        attempts: 0,
        max_attempts: null,
        safety: null,
        approval: null,
        dispatch_failures: 0,
        last_error: null,
        worker_id: null,
      };
    }
    case 'JobPreempted':
      if (state.status !== 'NONE') return state;
      return {
        status: 'CANCELLED',
        preempted: true,
        keys: event.data.keys,
        due_at: null,
        deadline_at: null,
        reason: event.data.reason,
        archive_ref: null,
      };
    case 'JobApprovalRequired': {
      if (state.status !== 'PENDING') return state;
      const { data } = event;
      const next: ApprovalRequiredJob = {
        ...core(state, data.due_at),
        status: 'APPROVAL_REQUIRED',
        approval_request: { safety: data.safety, request_hash: data.request_hash, expires_at: data.expires_at },
      };
      return next;
    }
    case 'JobApproved': {
      if (state.status !== 'APPROVAL_REQUIRED') return state;
      const { data } = event;
      return pending(
        { ...core(state, data.due_at), safety: state.approval_request.safety },
        { kind: 'due' },
        { approval: { by: data.by, reason: data.reason, request_hash: data.request_hash } },
      );
    }
    case 'JobRejected':
      if (state.status !== 'APPROVAL_REQUIRED') return state;
      return finish(state, 'DENIED', {
        safety: state.approval_request.safety,
        error: { code: 'approval_rejected', message: event.data.reason ?? 'the approval was rejected' },
      });
    case 'JobApprovalExpired':
      if (state.status !== 'APPROVAL_REQUIRED') return state;
      return finish(state, 'DENIED', {
        safety: state.approval_request.safety,
        error: { code: 'approval_expired', message: 'the approval request expired' },
      });
    case 'JobSafetyReevaluated':
      return reevaluated(state, event);
    case 'JobDenied': {
      if (state.status !== 'PENDING') return state;
      const { data } = event;
      const message =
        data.safety?.reason ??
        (data.reason_code === 'safety_denied' ? 'denied by the safety policy' : 'the safety kernel is unavailable');
      return finish(state, 'DENIED', { safety: data.safety, error: { code: data.reason_code, message } });
    }
    case 'JobThrottled':
      if (state.status !== 'PENDING') return state;
      return pending(core(state, event.data.due_at), { kind: 'throttled' });
    case 'JobDeferred':
      if (state.status !== 'PENDING') return state;
      return pending(core(state, event.data.due_at), { kind: 'queue', queue: 'deferred' });
    case 'JobQueued':
      if (state.status !== 'PENDING') return state;
      return pending(
        { ...core(state, event.data.due_at), safety: event.data.safety ?? state.safety },
        { kind: 'queue', queue: event.data.queue },
      );
    case 'JobRoutingFailed':
      if (state.status !== 'PENDING') return state;
      return finish(state, 'FAILED', { safety: event.data.safety ?? state.safety, error: event.data.error });
    case 'JobScheduled': {
      if (state.status !== 'PENDING') return state;
      const { data } = event;
      const next: ScheduledJob = {
        ...core(state, data.due_at),
        status: 'SCHEDULED',
        safety: data.safety ?? state.safety,
        max_attempts: data.limits.max_attempts,
        worker_id: data.target.kind === 'worker' ? data.target.worker_id : null,
        attempt: data.attempt,
        target: data.target,
        token: data.token,
        limits: data.limits,
        dispatch_deadline_at: data.dispatch_deadline_at,
      };
      return next;
    }
    case 'JobDispatched': {
      if (state.status !== 'SCHEDULED') return state;
      const { data } = event;
      const accepted = { ...state, ...core(state, data.due_at), dispatch_failures: 0, worker_id: data.worker_id };
      if (data.started_at === null) return { ...accepted, status: 'DISPATCHED' };
      const next: RunningJob = {
        ...accepted,
        status: 'RUNNING',
        started_at: data.started_at,
        running_deadline_at: data.running_deadline_at ?? accepted.due_at,
      };
      return next;
    }
    case 'JobDispatchFailed':
      if (state.status !== 'SCHEDULED') return state;
      return pending(
        { ...core(state, event.data.due_at), dispatch_failures: event.data.failures },
        { kind: 'dispatch_backoff', failures: event.data.failures },
      );
    case 'JobStarted': {
      if (state.status !== 'SCHEDULED' && state.status !== 'DISPATCHED') return state;
      const { data } = event;
      const next: RunningJob = {
        ...state,
        ...core(state, data.due_at),
        status: 'RUNNING',
        dispatch_failures: 0,
        worker_id: data.worker_id,
        started_at: data.started_at,
        running_deadline_at: data.running_deadline_at,
      };
      return next;
    }
    case 'JobProgressed':
      if (state.status !== 'RUNNING') return state;
      return {
        ...state,
        due_at: event.data.due_at ?? state.due_at,
        running_deadline_at: event.data.running_deadline_at,
      };
    case 'JobSucceeded': {
      if (!isInFlight(state)) return state;
      const { data } = event;
      return finish(state, 'SUCCEEDED', {
        attempts: data.attempt,
        worker_id: data.worker_id,
        result: data.result,
        result_ptr: data.result_ptr,
        execution_ms: data.execution_ms,
      });
    }
    case 'JobAttemptFailed': {
      if (!isInFlight(state)) return state;
      const { data } = event;
      if ('final' in data.outcome) {
        return finish(state, 'FAILED', {
          attempts: data.attempt,
          worker_id: data.worker_id,
          error: data.error,
          execution_ms: data.execution_ms,
        });
      }
      return pending(
        {
          ...core(state, data.due_at),
          attempts: data.attempt,
          dispatch_failures: 0,
          last_error: data.error,
          worker_id: data.worker_id,
        },
        { kind: 'due' },
      );
    }
    case 'JobAttemptTimedOut': {
      if (!isLive(state)) return state;
      const { data } = event;
      const attempts = Math.max(state.attempts, data.attempt);
      const error: JobErrorInfo = { code: 'timeout', message: `${data.phase} timeout (attempt ${data.attempt})` };
      if ('final' in data.outcome) return finish(state, 'TIMEOUT', { attempts, error });
      return pending(
        { ...core(state, data.due_at), attempts, dispatch_failures: 0, last_error: error },
        { kind: 'due' },
      );
    }
    case 'JobCancelled':
      if (!isLive(state)) return state;
      return finish(state, 'CANCELLED', {
        attempts: isInFlight(state) ? state.attempt : state.attempts,
        cancellation: { by: event.data.by, reason: event.data.reason },
      });
    case 'JobSnapshot': {
      // A load can start here, on no state at all; a finished job is never snapshotted.
      if (isTerminalState(state)) return state;
      const restored = event.data.state;
      if (!looksLikeJobState(restored) || restored.status !== event.data.status_after) return state;
      return restored;
    }
    case 'JobArchived':
      if (!isTerminalState(state) || state.archive_ref !== null) return state;
      return { ...state, archive_ref: event.data.archive_ref };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** Folds a history from the "no job" state (or from wherever its snapshot starts). */
export function fold(events: readonly JobEvent[], from: JobState = { status: 'NONE' }): JobState {
  return events.reduce(evolve, from);
}

/** The fields every live state shares, copied one by one, with the event's due time. */
function core(state: LiveJob, dueAt: number | null): LiveCore {
  return {
    keys: state.keys,
    request: state.request,
    due_at: dueAt ?? state.due_at,
    deadline_at: state.deadline_at,
    attempts: state.attempts,
    max_attempts: state.max_attempts,
    safety: state.safety,
    approval: state.approval,
    dispatch_failures: state.dispatch_failures,
    last_error: state.last_error,
    worker_id: state.worker_id,
  };
}

function pending(base: LiveCore, hold: Hold, patch: Partial<LiveCore> = {}): PendingJob {
  return { ...base, ...patch, status: 'PENDING', hold };
}

type FinishPatch = Partial<
  Pick<
    FinishedJob,
    'attempts' | 'worker_id' | 'safety' | 'error' | 'result' | 'result_ptr' | 'execution_ms' | 'cancellation'
  >
>;

function finish(state: LiveJob, status: TerminalStatus, patch: FinishPatch): FinishedJob {
  return {
    status,
    preempted: false,
    keys: state.keys,
    request: state.request,
    due_at: null,
    deadline_at: state.deadline_at,
    attempts: patch.attempts ?? state.attempts,
    max_attempts: state.max_attempts,
    safety: patch.safety === undefined ? state.safety : patch.safety,
    worker_id: patch.worker_id === undefined ? state.worker_id : patch.worker_id,
    error: patch.error ?? null,
    result: patch.result === undefined ? null : patch.result,
    result_ptr: patch.result_ptr ?? null,
    execution_ms: patch.execution_ms ?? null,
    cancellation: patch.cancellation ?? null,
    archive_ref: null,
  };
}

function reevaluated(state: JobState, event: Extract<JobEvent, { type: 'JobSafetyReevaluated' }>): JobState {
  if (state.status !== 'APPROVAL_REQUIRED') return state;
  const { data } = event;
  switch (data.status_after) {
    case 'DENIED':
      return finish(state, 'DENIED', {
        safety: data.safety,
        error: { code: 'safety_denied', message: data.safety.reason ?? 'denied by the safety policy' },
      });
    case 'APPROVAL_REQUIRED':
      return {
        ...core(state, data.due_at),
        status: 'APPROVAL_REQUIRED',
        approval_request: {
          safety: data.safety,
          request_hash: data.request_hash ?? state.approval_request.request_hash,
          expires_at: data.expires_at ?? state.approval_request.expires_at,
        },
      };
    case 'PENDING': {
      const throttled = data.safety.decision === 'THROTTLE';
      return pending(
        { ...core(state, data.due_at), safety: throttled ? null : data.safety },
        throttled ? { kind: 'throttled' } : { kind: 'due' },
      );
    }
    default:
      return state;
  }
}
