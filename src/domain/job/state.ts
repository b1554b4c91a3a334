/**
 * The job's state (SPEC 1.2): a union on `status`, so a state that cannot happen does not type-check.
 * Only `evolve` builds these. Every live state has exactly one `due_at`; terminal states have none.
 * States are plain JSON data (no `undefined`, no non-finite numbers) because `JobSnapshot` stores them
 * whole and a load starts from that copy.
 */
import type {
  AttemptLimits,
  DispatchTarget,
  Hold,
  JobErrorInfo,
  JobStatus,
  SafetyDecision,
  TerminalStatus,
} from './events.ts';
import { isTerminal, JOB_STATUSES } from './events.ts';
import type { JobKeys, JobRequest } from './request.ts';

/** Before the first event: no job has this id. */
export interface NoJob {
  readonly status: 'NONE';
}

export const NO_JOB: NoJob = { status: 'NONE' };

export interface ApprovalRecord {
  readonly by: string;
  readonly reason: string | null;
  readonly request_hash: string;
}

/** What every submitted, unfinished job knows. */
export interface LiveCore {
  readonly keys: JobKeys;
  readonly request: JobRequest;
  readonly due_at: number;
  readonly deadline_at: number | null;
  /** Attempts consumed (failed or timed out). A failed hand-off is not an attempt. */
  readonly attempts: number;
  /**
   * Fixed when the job is first scheduled (the strictest of request, config and safety constraint), so
   * a later config change cannot take back a retry already promised or grant attempts past the cap.
   */
  readonly max_attempts: number | null;
  /**
   * The once-per-job safety decision dispatch runs under (ALLOW, ALLOW_WITH_CONSTRAINTS, or an approved
   * REQUIRE_APPROVAL); null while it is still to be made. THROTTLE is never stored here: it is re-checked.
   */
  readonly safety: SafetyDecision | null;
  readonly approval: ApprovalRecord | null;
  /** Consecutive failed hand-offs since the last accepted one (dispatch backoff). */
  readonly dispatch_failures: number;
  /** The error of the latest failed attempt, kept for display while the job retries. */
  readonly last_error: JobErrorInfo | null;
  /** The worker holding the current attempt, or that held the latest one. */
  readonly worker_id: string | null;
}

export interface PendingJob extends LiveCore {
  readonly status: 'PENDING';
  readonly hold: Hold;
}

export interface ApprovalRequest {
  readonly safety: SafetyDecision;
  readonly request_hash: string;
  readonly expires_at: number;
}

export interface ApprovalRequiredJob extends LiveCore {
  readonly status: 'APPROVAL_REQUIRED';
  readonly approval_request: ApprovalRequest;
}

/** An attempt handed (or being handed) to a worker or pool. */
interface InFlight {
  readonly attempt: number;
  readonly target: DispatchTarget;
  readonly token: string;
  readonly limits: AttemptLimits;
  readonly dispatch_deadline_at: number;
}

export interface ScheduledJob extends LiveCore, InFlight {
  readonly status: 'SCHEDULED';
}

export interface DispatchedJob extends LiveCore, InFlight {
  readonly status: 'DISPATCHED';
  /** The holder: only its reports count. */
  readonly worker_id: string;
}

export interface RunningJob extends LiveCore, InFlight {
  readonly status: 'RUNNING';
  readonly worker_id: string;
  readonly started_at: number;
  readonly running_deadline_at: number;
}

export interface Cancellation {
  readonly by: string;
  readonly reason: string | null;
}

/** A submitted job that reached a terminal state. It never changes again (archiving aside). */
export interface FinishedJob {
  readonly status: TerminalStatus;
  readonly preempted: false;
  readonly keys: JobKeys;
  readonly request: JobRequest;
  readonly due_at: null;
  readonly deadline_at: number | null;
  /** Attempts started, including one cut short by a cancel or the deadline. */
  readonly attempts: number;
  readonly max_attempts: number | null;
  readonly safety: SafetyDecision | null;
  readonly worker_id: string | null;
  /** Set for FAILED, TIMEOUT and DENIED; its code is the DLQ reason code. */
  readonly error: JobErrorInfo | null;
  readonly result: unknown;
  readonly result_ptr: string | null;
  readonly execution_ms: number | null;
  readonly cancellation: Cancellation | null;
  readonly archive_ref: string | null;
}

/** A workflow step job cancelled before it was created: it has keys but never had a request. */
export interface PreemptedJob {
  readonly status: 'CANCELLED';
  readonly preempted: true;
  readonly keys: JobKeys;
  readonly due_at: null;
  readonly deadline_at: null;
  readonly reason: string;
  readonly archive_ref: string | null;
}

export type InFlightJob = ScheduledJob | DispatchedJob | RunningJob;
export type LiveJob = PendingJob | ApprovalRequiredJob | InFlightJob;
export type TerminalJob = FinishedJob | PreemptedJob;
export type JobState = NoJob | LiveJob | TerminalJob;

export function isLive(state: JobState): state is LiveJob {
  return state.status !== 'NONE' && !isTerminal(state.status);
}

export function isTerminalState(state: JobState): state is TerminalJob {
  return state.status !== 'NONE' && isTerminal(state.status);
}

export function isInFlight(state: JobState): state is InFlightJob {
  return state.status === 'SCHEDULED' || state.status === 'DISPATCHED' || state.status === 'RUNNING';
}

/** `null` for the "no job" state, as in `status_before` of a first event. */
export function statusOf(state: JobState): JobStatus | null {
  return state.status === 'NONE' ? null : state.status;
}

/**
 * A light structural check of a snapshot's state (events hold it as `unknown`): enough that evolve
 * never installs something that is not a job state. It trusts the fields it does not check, as it
 * trusts every other recorded event.
 */
export function looksLikeJobState(value: unknown): value is LiveJob | TerminalJob {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const status = candidate.status;
  if (typeof status !== 'string' || !(JOB_STATUSES as readonly string[]).includes(status)) return false;
  if (typeof candidate.keys !== 'object' || candidate.keys === null) return false;
  if (isTerminal(status as JobStatus)) return candidate.due_at === null;
  if (typeof candidate.request !== 'object' || candidate.request === null) return false;
  if (typeof candidate.due_at !== 'number' || !Number.isFinite(candidate.due_at)) return false;
  if (status === 'PENDING') return typeof candidate.hold === 'object' && candidate.hold !== null;
  if (status === 'APPROVAL_REQUIRED') return typeof candidate.approval_request === 'object';
  return typeof candidate.attempt === 'number' && typeof candidate.token === 'string';
}
