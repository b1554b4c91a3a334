/**
 * What a job is asked to do (SPEC 1.1): the validated, normalised request kept in `JobSubmitted` and
 * in snapshots, and handed whole to a DLQ retry. Times are epoch milliseconds.
 */

export type Priority = 'critical' | 'interactive' | 'batch';
export const PRIORITIES: readonly Priority[] = ['critical', 'interactive', 'batch'];

export interface RetryPolicy {
  readonly max_attempts: number;
  readonly initial_backoff_ms: number;
  readonly max_backoff_ms: number;
  readonly multiplier: number;
  /** Fraction of each backoff that is randomised (0 = none, 1 = full jitter), drawn from an input. */
  readonly jitter: number;
}

export interface JobTimeouts {
  /** Scheduled or dispatched without `started`; null = from config when scheduled. */
  readonly dispatch_ms: number | null;
  /** Started without a result; null = from config (per-topic overrides) when scheduled. */
  readonly running_ms: number | null;
}

/** Set on workflow step jobs (SPEC 2.2, 3). */
export interface StepRef {
  readonly workflow_id: string;
  readonly run_id: string;
  readonly step_id: string;
  readonly foreach_index: number | null;
  readonly foreach_item: unknown;
}

export interface JobRequest {
  readonly job_id: string;
  readonly tenant: string;
  readonly topic: string;
  readonly payload: unknown;
  readonly priority: Priority;
  readonly team: string | null;
  readonly principal: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly requires: readonly string[];
  readonly capability: string | null;
  readonly risk_tags: readonly string[];
  readonly idempotency_key: string | null;
  readonly trace_id: string;
  /** Not dispatched before this time. */
  readonly run_at: number | null;
  /** Overall budget, counted from `run_at` if set, else from submission. */
  readonly deadline_ms: number | null;
  readonly retry: RetryPolicy;
  readonly timeouts: JobTimeouts;
  readonly step: StepRef | null;
  /** The DLQ entry (original job id) this job retries. */
  readonly retry_of: string | null;
  /** Extra environment for the worker (e.g. `traceparent`). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The job's immutable index keys, repeated in every job event so that a projection can place the job
 * in every index from the event alone (projections never read state to decide their writes).
 */
export interface JobKeys {
  readonly job_id: string;
  readonly topic: string;
  readonly team: string | null;
  readonly trace_id: string;
  readonly workflow_id: string | null;
  readonly run_id: string | null;
  readonly priority: Priority;
  /** Submission time: the score of the creation-time indexes. */
  readonly created_at: number;
}
