/**
 * Decisions driven by time and by operators (SPEC 1.7, 1.9, retention): timers, cancel, snapshots and
 * archiving. A terminal job never changes: a late timer or cancel for it changes nothing, and is no error.
 */
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { ArchiveJob, CancelJob, CheckTimers, JobDecisionResult, TakeSnapshot } from './commands.ts';
import { deadlinePassed, emit, hasAttemptsLeft, ignore, retryTime, stopFor, transition } from './decision.ts';
import { isTerminal, type JobAttemptTimedOut, type Transition } from './events.ts';
import type { InFlightJob, JobState, LiveJob } from './state.ts';
import { isInFlight, isTerminalState, statusOf } from './state.ts';

export function decideTimers(command: CheckTimers, state: JobState): JobDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (isTerminalState(state)) return ignore('terminal');
  const { now } = command;
  switch (state.status) {
    case 'PENDING':
      // Merely due for dispatch is the scheduler's business; only the overall deadline is a timer here.
      return deadlinePassed(state, now) ? timedOut(state, 'deadline', command) : ignore('nothing_due');
    case 'APPROVAL_REQUIRED': {
      const expiresAt = state.approval_request.expires_at;
      // Whichever fell due first decides.
      if (now >= expiresAt && (state.deadline_at === null || expiresAt <= state.deadline_at)) {
        return emit({ type: 'JobApprovalExpired', data: transition(state, 'DENIED', null) });
      }
      return deadlinePassed(state, now) ? timedOut(state, 'deadline', command) : ignore('nothing_due');
    }
    case 'SCHEDULED':
    case 'DISPATCHED':
    case 'RUNNING': {
      if (deadlinePassed(state, now)) return timedOut(state, 'deadline', command);
      const phaseDeadline = state.status === 'RUNNING' ? state.running_deadline_at : state.dispatch_deadline_at;
      if (now < phaseDeadline) return ignore('nothing_due');
      return timedOut(state, state.status === 'RUNNING' ? 'running' : 'dispatch', command);
    }
    default: {
      const unknownState: never = state;
      return unknownState;
    }
  }
}

/**
 * An attempt or the whole budget ran out. Attempt timeouts consume the attempt and retry when attempts
 * are left; the overall deadline is final. Whoever holds the attempt is told to stop.
 */
function timedOut(state: LiveJob, phase: JobAttemptTimedOut['data']['phase'], command: CheckTimers): JobDecisionResult {
  const inFlight: InFlightJob | null = isInFlight(state) ? state : null;
  const attempt = inFlight === null ? state.attempts : inFlight.attempt;
  const retryAt =
    phase !== 'deadline' && inFlight !== null && hasAttemptsLeft(inFlight)
      ? retryTime(state.request.retry, attempt, command.now, command.jitter)
      : null;
  return emit({
    type: 'JobAttemptTimedOut',
    data: {
      ...transition(state, retryAt === null ? 'TIMEOUT' : 'PENDING', retryAt),
      attempt,
      phase,
      stop: stopFor(state),
      outcome: retryAt === null ? { final: 'TIMEOUT' } : { retry_at: retryAt },
    },
  });
}

export function decideCancel(command: CancelJob, state: JobState): JobDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (isTerminalState(state)) return ignore('terminal');
  return emit({
    type: 'JobCancelled',
    data: { ...transition(state, 'CANCELLED', null), by: command.by, reason: command.reason, stop: stopFor(state) },
  });
}

/** The full state, so a load can start here (retention keeps only a hot window of events). */
export function decideSnapshot(_command: TakeSnapshot, state: JobState): JobDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (isTerminalState(state)) return ignore('terminal');
  return emit({ type: 'JobSnapshot', data: { ...transition(state, state.status, state.due_at), state } });
}

/**
 * Archiving a job that can no longer be loaded: its first events aged out of the hot window before the
 * archiver came to it. Every job event carries the job's keys and its status, so the last one is all
 * `JobArchived` needs — and without `JobArchived` the read models would keep the job for good. Only a
 * finished job's last event will do (a terminal transition, or `JobArchived`: already archived).
 */
export function decideArchiveOnLastEvent(
  command: ArchiveJob,
  last: { readonly type: string; readonly data: Transition },
): JobDecisionResult {
  if (last.type === 'JobArchived') return ignore('already_archived');
  if (!isTerminal(last.data.status_after)) {
    return new ConflictError(`job is ${last.data.status_after}; only finished jobs are archived`, 'job_not_terminal');
  }
  return emit({
    type: 'JobArchived',
    data: {
      keys: last.data.keys,
      status_before: last.data.status_after,
      status_after: last.data.status_after,
      due_at: null,
      deadline_at: last.data.deadline_at,
      archive_ref: command.archive_ref,
    },
  });
}

export function decideArchive(command: ArchiveJob, state: JobState): JobDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (!isTerminalState(state))
    return new ConflictError(`job is ${state.status}; only finished jobs are archived`, 'job_not_terminal');
  if (state.archive_ref !== null) return ignore('already_archived');
  return emit({
    type: 'JobArchived',
    data: {
      keys: state.keys,
      status_before: statusOf(state),
      status_after: state.status,
      due_at: null,
      deadline_at: state.deadline_at,
      archive_ref: command.archive_ref,
    },
  });
}
