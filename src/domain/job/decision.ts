/**
 * Small helpers shared by the job's decide functions: building a decision, the common part of every
 * event, and the rules on due times and stops that several decisions share.
 */
import type { Backoff } from './backoff.ts';
import { backoffDelay } from './backoff.ts';
import type { IgnoredReason, JobDecision } from './commands.ts';
import type { JobEvent, JobStatus, StopTarget, Transition } from './events.ts';
import { isTerminal } from './events.ts';
import type { InFlightJob, JobState, LiveJob } from './state.ts';
import { isInFlight, statusOf } from './state.ts';

export function emit(event: JobEvent): JobDecision {
  return { events: [event] };
}

export function ignore(reason: IgnoredReason, stop?: StopTarget | null): JobDecision {
  return stop === undefined || stop === null ? { events: [], ignored: reason } : { events: [], ignored: reason, stop };
}

/**
 * The common part of an event that moves `state` to `statusAfter`. A terminal status has no due time;
 * any other is given one (never later than the overall deadline, so nothing outlives its budget).
 */
export function transition(state: LiveJob, statusAfter: JobStatus, dueAt: number | null): Transition {
  return {
    keys: state.keys,
    status_before: statusOf(state),
    status_after: statusAfter,
    due_at: isTerminal(statusAfter) ? null : capByDeadline(dueAt ?? state.due_at, state.deadline_at),
    deadline_at: state.deadline_at,
  };
}

export function capByDeadline(at: number, deadlineAt: number | null): number {
  return deadlineAt === null ? at : Math.min(at, deadlineAt);
}

export function deadlinePassed(state: LiveJob, now: number): boolean {
  return state.deadline_at !== null && now >= state.deadline_at;
}

/**
 * Who must stop when the job's current attempt ends early (SPEC 1.9): the holder; in SCHEDULED the
 * chosen worker, or for a topic-queue hand-off not yet accepted, its pool; nobody before scheduling.
 */
export function stopFor(state: JobState): StopTarget | null {
  if (!isInFlight(state)) return null;
  if (state.status !== 'SCHEDULED') return { kind: 'worker', worker_id: state.worker_id, attempt: state.attempt };
  return state.target.kind === 'worker'
    ? { kind: 'worker', worker_id: state.target.worker_id, attempt: state.attempt }
    : { kind: 'pool', pool: state.target.pool, attempt: state.attempt };
}

export function stopWorker(workerId: string, attempt: number): StopTarget {
  return { kind: 'worker', worker_id: workerId, attempt };
}

/** Whether an attempt that just ended may be followed by another. */
export function hasAttemptsLeft(state: InFlightJob): boolean {
  return state.attempt < state.limits.max_attempts;
}

/** The next attempt's time after attempt `attempt` failed or timed out (SPEC 1.8). */
export function retryTime(backoff: Backoff, attempt: number, now: number, jitter: number): number {
  return now + backoffDelay(backoff, attempt, jitter);
}
