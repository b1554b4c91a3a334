/**
 * The job event catalogue (SPEC 1, ARCHITECTURE.md sections 2-3). One decision appends one event, and
 * the event carries its outcome. Every event carries `status_before`, `status_after`, the job's one
 * `due_at` (null once terminal) and its index `keys`, so projections and the due index are pure
 * functions of single events. Times are epoch milliseconds.
 */
import type { DomainEvent } from '../shared/events.ts';
import type { JobKeys, JobRequest } from './request.ts';

export type JobStatus =
  | 'PENDING'
  | 'APPROVAL_REQUIRED'
  | 'SCHEDULED'
  | 'DISPATCHED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'DENIED';

export const JOB_STATUSES: readonly JobStatus[] = [
  'PENDING',
  'APPROVAL_REQUIRED',
  'SCHEDULED',
  'DISPATCHED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'DENIED',
];

export type TerminalStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'DENIED';
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED'];

export function isTerminal(status: JobStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

// ---------------------------------------------------------------------------------------------
// Safety

export type SafetyVerdict = 'ALLOW' | 'ALLOW_WITH_CONSTRAINTS' | 'DENY' | 'REQUIRE_APPROVAL' | 'THROTTLE';

export interface SafetyConstraints {
  readonly max_runtime_ms?: number;
  readonly max_retries?: number;
  readonly max_concurrent_jobs?: number;
}

/** A kernel's answer, recorded as given (audit). */
export interface SafetyDecision {
  readonly decision: SafetyVerdict;
  readonly reason: string | null;
  /** `builtin` (rules from config) or `remote` (the HTTP kernel). */
  readonly source: 'builtin' | 'remote';
  /** Hash of the safety rules, or the remote kernel's snapshot id. */
  readonly policy_version: string;
  readonly constraints: SafetyConstraints | null;
  /** THROTTLE only: when to check again. */
  readonly retry_after_ms: number | null;
}

// ---------------------------------------------------------------------------------------------
// Where a job waits, and where it goes

/** Why a PENDING job is held. */
export type Hold =
  | { readonly kind: 'due' } // ready for a dispatch check at due_at (new, run_at, retry time, approved)
  | { readonly kind: 'throttled' }
  | { readonly kind: 'dispatch_backoff'; readonly failures: number }
  | { readonly kind: 'queue'; readonly queue: WaitQueue };

/** Wait queues (SPEC 1.7): entered by one event, ordered by that event's position. */
export type WaitQueue = 'deferred' | 'tenant_limit' | 'capacity' | 'paused';

export type DispatchTarget =
  | { readonly kind: 'worker'; readonly worker_id: string; readonly pool: string }
  | { readonly kind: 'queue'; readonly pool: string };

/** The limits an attempt runs under, resolved from config and safety constraints when scheduled. */
export interface AttemptLimits {
  readonly dispatch_ms: number;
  readonly running_ms: number;
  readonly max_attempts: number;
}

export interface JobErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** Who or what is told to stop an attempt (SPEC 1.9). */
export type StopTarget =
  | { readonly kind: 'worker'; readonly worker_id: string; readonly attempt: number }
  | { readonly kind: 'pool'; readonly pool: string; readonly attempt: number };

// ---------------------------------------------------------------------------------------------
// Events

/** What every job event carries, so projections and the due index need nothing else. */
export interface Transition {
  readonly keys: JobKeys;
  readonly status_before: JobStatus | null;
  readonly status_after: JobStatus;
  /** The job's one due time; null once terminal. */
  readonly due_at: number | null;
  /** Absolute end of the overall budget (`deadline_ms`), or null. */
  readonly deadline_at: number | null;
}

export type JobSubmitted = DomainEvent<'JobSubmitted', Transition & { readonly request: JobRequest }>;

/** A workflow step job cancelled before it was created: its later creation fails (SPEC 2.2). */
export type JobPreempted = DomainEvent<'JobPreempted', Transition & { readonly reason: string }>;

/** Safety said REQUIRE_APPROVAL; the approval is bound to the hash and the policy version. */
export type JobApprovalRequired = DomainEvent<
  'JobApprovalRequired',
  Transition & {
    readonly safety: SafetyDecision;
    readonly request_hash: string;
    readonly expires_at: number;
  }
>;

export type JobApproved = DomainEvent<
  'JobApproved',
  Transition & { readonly by: string; readonly reason: string | null; readonly request_hash: string }
>;

export type JobRejected = DomainEvent<
  'JobRejected',
  Transition & { readonly by: string; readonly reason: string | null; readonly request_hash: string }
>;

export type JobApprovalExpired = DomainEvent<'JobApprovalExpired', Transition>;

/** The safety rules changed while the job waited for approval; its new decision and outcome. */
export type JobSafetyReevaluated = DomainEvent<
  'JobSafetyReevaluated',
  Transition & {
    readonly safety: SafetyDecision;
    /** Set when the outcome is still APPROVAL_REQUIRED (bound to the new version). */
    readonly request_hash: string | null;
    readonly expires_at: number | null;
  }
>;

export type JobDenied = DomainEvent<
  'JobDenied',
  Transition & {
    /** The kernel's decision, or null when the kernel was unavailable and policy says deny. */
    readonly safety: SafetyDecision | null;
    readonly reason_code: 'safety_denied' | 'safety_unavailable';
  }
>;

export type JobThrottled = DomainEvent<'JobThrottled', Transition & { readonly safety: SafetyDecision }>;

/** The safety kernel was unavailable (breaker not closed): held in the deferred queue, once. */
export type JobDeferred = DomainEvent<'JobDeferred', Transition & { readonly reason: string }>;

/** Held in a wait queue after the safety check (recorded here so it is never asked again). */
export type JobQueued = DomainEvent<
  'JobQueued',
  Transition & { readonly queue: Exclude<WaitQueue, 'deferred'>; readonly safety: SafetyDecision | null }
>;

/** No pool serves the topic: terminal FAILED, DLQ `no_pool_mapping`. */
export type JobRoutingFailed = DomainEvent<
  'JobRoutingFailed',
  Transition & { readonly safety: SafetyDecision | null; readonly error: JobErrorInfo }
>;

/** A worker or pool was chosen for the next attempt (happy path: records the ALLOW too). */
export type JobScheduled = DomainEvent<
  'JobScheduled',
  Transition & {
    readonly attempt: number;
    readonly target: DispatchTarget;
    /** Echoed by the worker in `started`/results; fresh per hand-off. */
    readonly token: string;
    /** The decision this attempt runs under (null when an earlier event recorded it). */
    readonly safety: SafetyDecision | null;
    readonly limits: AttemptLimits;
    /**
     * When this attempt's dispatch timeout falls due. Carried because `due_at` is the earlier of it and
     * `deadline_at`, and evolve has no clock to recompute it.
     */
    readonly dispatch_deadline_at: number;
  }
>;

/** The worker accepted the hand-off; `started_at` when it said it started at once (→ RUNNING). */
export type JobDispatched = DomainEvent<
  'JobDispatched',
  Transition & {
    readonly attempt: number;
    readonly worker_id: string;
    readonly started_at: number | null;
    /** Set with `started_at`: when the running timeout falls due (counted from the recording time). */
    readonly running_deadline_at: number | null;
  }
>;

/** Refused, or no responders: back to PENDING with a capped backoff; not an attempt. */
export type JobDispatchFailed = DomainEvent<
  'JobDispatchFailed',
  Transition & {
    readonly attempt: number;
    readonly reason: 'refused' | 'no_responders';
    readonly worker_id: string | null;
    readonly retry_at: number;
    readonly failures: number;
  }
>;

export type JobStarted = DomainEvent<
  'JobStarted',
  Transition & {
    readonly attempt: number;
    readonly worker_id: string;
    readonly started_at: number;
    readonly running_deadline_at: number;
  }
>;

/** Progress extended the running deadline (recorded at most once per quarter of the timeout). */
export type JobProgressed = DomainEvent<
  'JobProgressed',
  Transition & {
    readonly attempt: number;
    readonly worker_id: string;
    readonly progress: unknown;
    /** The extended running deadline. */
    readonly running_deadline_at: number;
  }
>;

export type JobSucceeded = DomainEvent<
  'JobSucceeded',
  Transition & {
    readonly attempt: number;
    readonly worker_id: string;
    readonly result: unknown;
    readonly result_ptr: string | null;
    readonly execution_ms: number | null;
    /** The status the worker reported (`SUCCEEDED` or its alias `COMPLETED`). */
    readonly reported_status: string;
  }
>;

/** A failed attempt and its outcome: a retry time, or the final FAILED. */
export type JobAttemptFailed = DomainEvent<
  'JobAttemptFailed',
  Transition & {
    readonly attempt: number;
    readonly worker_id: string;
    readonly error: JobErrorInfo;
    readonly retryable: boolean;
    readonly reported_status: string;
    readonly execution_ms: number | null;
    readonly outcome: { readonly retry_at: number } | { readonly final: 'FAILED' };
  }
>;

/** An attempt (or the whole budget) ran out of time: a retry time, or the final TIMEOUT. */
export type JobAttemptTimedOut = DomainEvent<
  'JobAttemptTimedOut',
  Transition & {
    /** The attempt in flight; for a deadline reached between attempts, the last one (0 before any). */
    readonly attempt: number;
    readonly phase: 'dispatch' | 'running' | 'deadline';
    readonly stop: StopTarget | null;
    readonly outcome: { readonly retry_at: number } | { readonly final: 'TIMEOUT' };
  }
>;

export type JobCancelled = DomainEvent<
  'JobCancelled',
  Transition & { readonly by: string; readonly reason: string | null; readonly stop: StopTarget | null }
>;

/** Retention (docs/retention.md): the full state, so a load can start here. */
export type JobSnapshot = DomainEvent<'JobSnapshot', Transition & { readonly state: unknown }>;

/** The projector archived the terminal job's history; read models drop it. */
export type JobArchived = DomainEvent<'JobArchived', Transition & { readonly archive_ref: string }>;

export type JobEvent =
  | JobSubmitted
  | JobPreempted
  | JobApprovalRequired
  | JobApproved
  | JobRejected
  | JobApprovalExpired
  | JobSafetyReevaluated
  | JobDenied
  | JobThrottled
  | JobDeferred
  | JobQueued
  | JobRoutingFailed
  | JobScheduled
  | JobDispatched
  | JobDispatchFailed
  | JobStarted
  | JobProgressed
  | JobSucceeded
  | JobAttemptFailed
  | JobAttemptTimedOut
  | JobCancelled
  | JobSnapshot
  | JobArchived;

export type JobEventType = JobEvent['type'];
