/**
 * From a job's terminal event to its DLQ entry (SPEC 1.4, 1.6, 1.8, 1.10): which terminal events are
 * dead-lettered, under which reason code, and the `AddDlqEntry` the DLQ reactor records.
 */
import type { JobEvent } from '../job/events.ts';
import type { JobState } from '../job/state.ts';
import { parseStepJobId } from '../shared/ids.ts';
import type { AddDlqEntry } from './commands.ts';

export interface DlqReason {
  /** `safety_denied`, `safety_unavailable`, `approval_rejected`, `approval_expired`, `timeout`,
   * `no_pool_mapping`, or a failed attempt's error code. */
  readonly reason_code: string;
  readonly reason: string;
}

/** The DLQ reason of a terminal event; null for events that end nothing or end well (or by a user's cancel). */
export function dlqReasonOf(event: JobEvent): DlqReason | null {
  switch (event.type) {
    case 'JobDenied': {
      const { data } = event;
      const fallback =
        data.reason_code === 'safety_denied' ? 'denied by the safety policy' : 'the safety kernel is unavailable';
      return { reason_code: data.reason_code, reason: data.safety?.reason ?? fallback };
    }
    case 'JobRejected':
      return { reason_code: 'approval_rejected', reason: event.data.reason ?? 'the approval was rejected' };
    case 'JobApprovalExpired':
      return { reason_code: 'approval_expired', reason: 'the approval request expired' };
    case 'JobSafetyReevaluated':
      if (event.data.status_after !== 'DENIED') return null;
      return { reason_code: 'safety_denied', reason: event.data.safety.reason ?? 'denied by the safety policy' };
    case 'JobRoutingFailed':
      return { reason_code: event.data.error.code, reason: event.data.error.message };
    case 'JobAttemptFailed':
      if (!('final' in event.data.outcome)) return null;
      return { reason_code: event.data.error.code, reason: event.data.error.message };
    case 'JobAttemptTimedOut':
      if (!('final' in event.data.outcome)) return null;
      return { reason_code: 'timeout', reason: `${event.data.phase} timeout (attempt ${event.data.attempt})` };
    case 'JobSubmitted':
    case 'JobPreempted':
    case 'JobApprovalRequired':
    case 'JobApproved':
    case 'JobThrottled':
    case 'JobDeferred':
    case 'JobQueued':
    case 'JobScheduled':
    case 'JobDispatched':
    case 'JobDispatchFailed':
    case 'JobStarted':
    case 'JobProgressed':
    case 'JobSucceeded':
    case 'JobCancelled':
    case 'JobSnapshot':
    case 'JobArchived':
      return null;
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/**
 * The DLQ entry for a job that `terminal` just ended (`job` is the state after it), or null when it is
 * not dead-lettered: success, a user's cancel, a workflow step job, or an event that ended nothing.
 */
export function deadLetterFor(job: JobState, terminal: JobEvent, now: number): AddDlqEntry | null {
  const reason = dlqReasonOf(terminal);
  if (reason === null) return null;
  if (job.status !== 'FAILED' && job.status !== 'TIMEOUT' && job.status !== 'DENIED') return null;
  if (job.request.step !== null || parseStepJobId(job.keys.job_id) !== null) return null;
  return {
    type: 'AddDlqEntry',
    job_id: job.keys.job_id,
    tenant: job.request.tenant,
    topic: job.keys.topic,
    final_state: job.status,
    reason_code: reason.reason_code,
    reason: reason.reason,
    attempts: job.attempts,
    worker_id: job.worker_id,
    request: job.request,
    now,
  };
}
