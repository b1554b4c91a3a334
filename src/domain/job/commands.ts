/**
 * What can be asked of a job: plain data. Everything a decision depends on that is not in the job's
 * history — the time, fresh tokens, random draws, config, the safety kernel's answer, the placement
 * chosen by the dispatch policy — arrives on the command, so `decide` is deterministic.
 */
import type { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Backoff } from './backoff.ts';
import type { AttemptLimits, JobEvent, SafetyDecision, StopTarget } from './events.ts';
import type { RetryPolicy } from './request.ts';
import type { IdSource, JobSubmissionInput, SubmissionLimits } from './submission.ts';

export interface SubmitJob {
  readonly type: 'SubmitJob';
  readonly tenant: string;
  readonly job_id: string;
  readonly id_source: IdSource;
  readonly input: JobSubmissionInput;
  readonly now: number;
  /** Used when the request names no trace. */
  readonly fresh_trace_id: string;
  /** Retry defaults from config, under the request's own fields. */
  readonly defaults: RetryPolicy;
  readonly limits: SubmissionLimits;
}

/** A workflow cancelled a step before its job was created: the id is taken, and creating it later fails. */
export interface PreemptJob {
  readonly type: 'PreemptJob';
  readonly job_id: string;
  readonly workflow_id: string;
  readonly run_id: string;
  readonly topic: string | null;
  readonly team: string | null;
  readonly trace_id: string;
  readonly reason: string;
  readonly now: number;
}

/** The safety kernel's answer as the scheduler obtained it (or why it did not ask). */
export type SafetyInput =
  | { readonly kind: 'decided'; readonly decision: SafetyDecision }
  /** The scheduler saw a decision recorded on the job and did not call the kernel. */
  | { readonly kind: 'recorded' }
  /** The breaker is not closed. */
  | { readonly kind: 'unavailable'; readonly on_unavailable: 'defer' | 'deny'; readonly reason: string };

/** The dispatch policy's choice (least loaded, topic queue, wait, or no pool at all). */
export type Placement =
  | { readonly kind: 'worker'; readonly worker_id: string; readonly pool: string }
  | { readonly kind: 'queue'; readonly pool: string }
  | { readonly kind: 'wait'; readonly reason: 'all_overloaded' | 'tenant_limit' | 'paused' }
  | { readonly kind: 'fail'; readonly reason: 'no_pool_mapping' };

export interface ScheduleJob {
  readonly type: 'ScheduleJob';
  readonly now: number;
  readonly safety: SafetyInput;
  readonly placement: Placement;
  /** From the effective config: timeouts when the request names none, and the cap on attempts. */
  readonly limits: AttemptLimits;
  /** Fresh per hand-off; the worker echoes it. */
  readonly token: string;
  /** Hash of the request an approver sees; binds an approval (SPEC 1.4). Read only by a REQUIRE_APPROVAL. */
  readonly request_hash: string;
  readonly approval_ttl_ms: number;
  /** The long safety-net due time of a job waiting in a queue. */
  readonly wait_recheck_ms: number;
}

export const DEFAULT_APPROVAL_TTL_MS = 7 * 86_400_000;
export const DEFAULT_WAIT_RECHECK_MS = 5 * 60_000;
/** A THROTTLE that names no retry time is checked again after this. */
export const DEFAULT_THROTTLE_RETRY_MS = 1_000;

export type HandOffReply =
  | { readonly kind: 'accepted'; readonly worker_id: string; readonly started_at: number | null }
  | { readonly kind: 'refused'; readonly worker_id: string | null }
  | { readonly kind: 'no_responders' };

/** The reply to a hand-off request. A request that timed out has no command: the dispatch deadline decides. */
export interface RecordHandOff {
  readonly type: 'RecordHandOff';
  readonly attempt: number;
  readonly token: string;
  readonly reply: HandOffReply;
  readonly now: number;
  readonly backoff: Backoff;
  /** A uniform draw in [0, 1) for the backoff's jitter. */
  readonly jitter: number;
}

/** A worker's `started` notice or result (SPEC 1.8). */
export interface RecordReport {
  readonly type: 'RecordReport';
  readonly kind: 'started' | 'result';
  readonly worker_id: string;
  readonly token: string;
  readonly attempt: number;
  /** As reported; only read for results. */
  readonly status: string | null;
  readonly result: unknown;
  readonly result_ptr: string | null;
  readonly error_code: string | null;
  readonly error_message: string | null;
  /** null = the default, true. */
  readonly retryable: boolean | null;
  readonly execution_ms: number | null;
  readonly now: number;
  readonly jitter: number;
}

export interface RecordProgress {
  readonly type: 'RecordProgress';
  readonly worker_id: string;
  readonly token: string;
  readonly attempt: number;
  readonly progress: unknown;
  readonly now: number;
}

/** The reconciler found the job due. */
export interface CheckTimers {
  readonly type: 'CheckTimers';
  readonly now: number;
  readonly jitter: number;
}

export interface CancelJob {
  readonly type: 'CancelJob';
  readonly by: string;
  readonly reason: string | null;
  readonly now: number;
}

interface ApprovalAnswer {
  readonly by: string;
  readonly reason: string | null;
  readonly request_hash: string;
  /** The safety rules' version now: an approval given under other rules does not hold. */
  readonly current_policy_version: string;
  readonly now: number;
}

export interface ApproveJob extends ApprovalAnswer {
  readonly type: 'ApproveJob';
}

export interface RejectJob extends ApprovalAnswer {
  readonly type: 'RejectJob';
}

/** The safety rules changed while the job waited for approval: Coretex asks again itself. */
export interface ReevaluateSafety {
  readonly type: 'ReevaluateSafety';
  readonly decision: SafetyDecision;
  /** Binds a new approval request when the answer is still REQUIRE_APPROVAL. */
  readonly request_hash: string;
  readonly now: number;
}

export interface TakeSnapshot {
  readonly type: 'TakeSnapshot';
  readonly now: number;
}

export interface ArchiveJob {
  readonly type: 'ArchiveJob';
  readonly archive_ref: string;
  readonly now: number;
}

export type JobCommand =
  | SubmitJob
  | PreemptJob
  | ScheduleJob
  | RecordHandOff
  | RecordReport
  | RecordProgress
  | CheckTimers
  | CancelJob
  | ApproveJob
  | RejectJob
  | ReevaluateSafety
  | TakeSnapshot
  | ArchiveJob;

export type JobCommandType = JobCommand['type'];

/** Why a command changed nothing. None of these is an error for the sender. */
export type IgnoredReason =
  | 'unknown_job'
  | 'terminal'
  | 'no_attempt_in_flight'
  | 'stale_attempt'
  | 'wrong_token'
  | 'not_holder'
  | 'stale_hand_off'
  | 'already_accepted'
  | 'duplicate'
  | 'not_running'
  | 'progress_too_soon'
  | 'running_deadline_passed'
  | 'not_pending'
  | 'not_due'
  | 'deadline_passed'
  | 'still_deferred'
  | 'still_queued'
  | 'nothing_due'
  | 'not_awaiting_approval'
  | 'policy_unchanged'
  | 'already_preempted'
  | 'already_archived';

/**
 * One decision: at most one event (ARCHITECTURE.md section 3). A command that changes nothing says why,
 * and when the sender is a worker that must not go on, who to stop.
 */
export interface JobDecision {
  readonly events: readonly [] | readonly [JobEvent];
  readonly ignored?: IgnoredReason;
  readonly stop?: StopTarget;
}

/** The errors a decider returns (as values): the request is wrong, or the job's state does not allow it. */
export type DomainError = ValidationError | ConflictError | NotFoundError;

export type JobDecisionResult = JobDecision | DomainError;

export function isDomainError(result: JobDecisionResult): result is DomainError {
  return result instanceof Error;
}
