/**
 * Human approval (SPEC 1.4): approve or reject a job bound to the request hash and policy version it
 * was shown with, and Coretex's own re-evaluation of waiting jobs when the safety rules change.
 */
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { ApproveJob, JobDecisionResult, ReevaluateSafety, RejectJob } from './commands.ts';
import { throttleRetryAt } from './decide-schedule.ts';
import { emit, ignore, transition } from './decision.ts';
import type { ApprovalRequiredJob, JobState } from './state.ts';

/** Approve and reject write nothing unless the approver saw exactly what is waiting now. */
function checkAnswer(
  command: ApproveJob | RejectJob,
  state: JobState,
): ApprovalRequiredJob | ConflictError | NotFoundError {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (state.status !== 'APPROVAL_REQUIRED') {
    return new ConflictError(`job is ${state.status}, not waiting for approval`, 'not_awaiting_approval');
  }
  const waiting = state.approval_request;
  if (command.request_hash !== waiting.request_hash) {
    return new ConflictError('the request changed since it was shown for approval', 'request_hash_mismatch');
  }
  if (command.current_policy_version !== waiting.safety.policy_version) {
    // The job is re-evaluated under the new rules by Coretex itself; this answer is for the old ones.
    return new ConflictError('the safety policy changed since the approval was requested', 'policy_changed');
  }
  if (command.now >= waiting.expires_at) {
    return new ConflictError('the approval request has expired', 'approval_expired');
  }
  return state;
}

export function decideApprove(command: ApproveJob, state: JobState): JobDecisionResult {
  const job = checkAnswer(command, state);
  if (job instanceof Error) return job;
  return emit({
    type: 'JobApproved',
    data: {
      // Due at once: dispatched under the approved decision, with no second kernel call.
      ...transition(job, 'PENDING', command.now),
      by: command.by,
      reason: command.reason,
      request_hash: command.request_hash,
    },
  });
}

export function decideReject(command: RejectJob, state: JobState): JobDecisionResult {
  const job = checkAnswer(command, state);
  if (job instanceof Error) return job;
  return emit({
    type: 'JobRejected',
    data: {
      ...transition(job, 'DENIED', null),
      by: command.by,
      reason: command.reason,
      request_hash: command.request_hash,
    },
  });
}

export function decideReevaluate(command: ReevaluateSafety, state: JobState): JobDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (state.status !== 'APPROVAL_REQUIRED') return ignore('not_awaiting_approval');
  const { decision, now } = command;
  if (decision.policy_version === state.approval_request.safety.policy_version) return ignore('policy_unchanged');
  const none = { request_hash: null, expires_at: null };
  switch (decision.decision) {
    case 'ALLOW':
    case 'ALLOW_WITH_CONSTRAINTS':
      return emit({
        type: 'JobSafetyReevaluated',
        data: { ...transition(state, 'PENDING', now), safety: decision, ...none },
      });
    case 'DENY':
      return emit({
        type: 'JobSafetyReevaluated',
        data: { ...transition(state, 'DENIED', null), safety: decision, ...none },
      });
    case 'THROTTLE':
      return emit({
        type: 'JobSafetyReevaluated',
        data: { ...transition(state, 'PENDING', throttleRetryAt(decision, now)), safety: decision, ...none },
      });
    case 'REQUIRE_APPROVAL': {
      // A new request under the new rules; the approval window still runs from the first request, so
      // rule changes cannot keep a job waiting forever.
      const expiresAt = state.approval_request.expires_at;
      return emit({
        type: 'JobSafetyReevaluated',
        data: {
          ...transition(state, 'APPROVAL_REQUIRED', expiresAt),
          safety: decision,
          request_hash: command.request_hash,
          expires_at: expiresAt,
        },
      });
    }
    default: {
      const unknownVerdict: never = decision.decision;
      return unknownVerdict;
    }
  }
}
