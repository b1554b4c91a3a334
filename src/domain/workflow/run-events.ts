/**
 * The run event catalogue (SPEC 2.2, ARCHITECTURE.md sections 2-3). One decision appends one event,
 * and the event carries its outcome: what triggered it (a start, a scheduling pass, step-job
 * outcomes, an approval, timers, a cancel) and every consequence, as an ordered list of step
 * `changes` that `evolve` applies as written (it never re-runs the scheduler). Every event carries
 * the run's index `keys`, `status_before`, `status_after`, the run's next `due_at` (null once
 * terminal), the step jobs to stop, and the run's outcome when the event ends it, so projections and
 * the `runs_due` index are pure functions of single events. Times are epoch milliseconds.
 */
import type { DomainEvent } from '../shared/events.ts';
import type { WorkflowDefinition } from './definition.ts';

export type RunStatus = 'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type RunTerminalStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export const RUN_TERMINAL_STATUSES: readonly RunTerminalStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

export type StepStatus =
  'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'SKIPPED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type StepTerminalStatus = 'SUCCEEDED' | 'SKIPPED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

/** A unit runs step jobs: the step itself (index null) or one `for_each` child (index i). */
export type UnitStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type UnitTerminalStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

export function isRunTerminal(status: RunStatus): status is RunTerminalStatus {
  return (RUN_TERMINAL_STATUSES as readonly string[]).includes(status);
}

export function isStepSettled(status: StepStatus): status is StepTerminalStatus {
  return status !== 'PENDING' && status !== 'RUNNING' && status !== 'WAITING';
}

/** Settled in a way that lets dependants start. */
export function isStepDone(status: StepStatus): boolean {
  return status === 'SUCCEEDED' || status === 'SKIPPED';
}

export interface RunKeys {
  readonly run_id: string;
  readonly workflow_id: string;
  readonly workflow_version: number;
  readonly org_id: string;
  readonly team_id: string | null;
  /** The score of the creation-time indexes. */
  readonly created_at: number;
}

export interface StepError {
  /** `job_failed`, `job_timed_out`, `job_cancelled`, `job_denied`, `step_timed_out`, `expression_error`, ... */
  readonly code: string;
  readonly message: string;
}

export interface StepWait {
  readonly reason: 'approval' | 'delay';
  readonly until: number;
  /** Approval steps: the rendered `input`, shown to approvers. */
  readonly request: unknown;
}

// ---------------------------------------------------------------------------------------------
// Step changes: the consequences a decision records, applied in order by evolve.

/** A step left PENDING: it runs (job steps; `items` for a fan-out) or waits (approval, delay). */
export interface StepStarted {
  readonly type: 'step_started';
  readonly step_id: string;
  readonly status: 'RUNNING' | 'WAITING';
  readonly wait: StepWait | null;
  /** `for_each` items, one child each; null for a step that is its own single unit. */
  readonly items: readonly unknown[] | null;
  /** The step's delay: its units' first jobs are not dispatched before it. */
  readonly not_before: number | null;
}

/** A new step job, created from this event with this id (attempt n = the id's last segment). */
export interface JobScheduled {
  readonly type: 'job_scheduled';
  readonly step_id: string;
  readonly index: number | null;
  readonly job_id: string;
  readonly attempt: number;
  /** The rendered input: the job's payload. */
  readonly input: unknown;
  /** Not dispatched before (a delay, or a retry's backoff); null = at once. */
  readonly run_at: number | null;
  /** The attempt's step timeout: past it, the run times the attempt out. */
  readonly deadline_at: number;
}

export interface UnitSettled {
  readonly type: 'unit_settled';
  readonly step_id: string;
  readonly index: number | null;
  readonly status: UnitTerminalStatus;
  readonly output: unknown;
  readonly output_ptr: string | null;
  readonly error: StepError | null;
}

/** The step's final state. Its units not yet settled are CANCELLED with it. */
export interface StepSettled {
  readonly type: 'step_settled';
  readonly step_id: string;
  readonly status: StepTerminalStatus;
  readonly output: unknown;
  readonly output_ptr: string | null;
  readonly error: StepError | null;
}

export type StepChange = StepStarted | JobScheduled | UnitSettled | StepSettled;

/** A step job to stop: pre-empted if it was not created yet, else cancelled (see README). */
export interface JobToStop {
  readonly job_id: string;
  readonly step_id: string;
  readonly index: number | null;
}

export interface RunError {
  readonly code: string;
  readonly message: string;
  readonly step_id: string | null;
}

export interface RunOutcome {
  readonly status: RunTerminalStatus;
  readonly error: RunError | null;
  /** SUCCEEDED: the outputs of the steps with an `output_path`, placed there; else null. */
  readonly output: unknown;
}

interface RunTransition {
  readonly keys: RunKeys;
  readonly status_before: RunStatus | null;
  readonly status_after: RunStatus;
  /** The run's next due time: step deadlines, delays, approval expiry, run timeout; null once terminal. */
  readonly due_at: number | null;
  /** When the decision was made. */
  readonly at: number;
  readonly changes: readonly StepChange[];
  readonly stop_jobs: readonly JobToStop[];
  /** Set when this event ends the run. */
  readonly outcome: RunOutcome | null;
}

export interface RerunOf {
  readonly run_id: string;
  readonly from_step: string | null;
  /** Steps whose outcome was copied from that run (their `step_settled` changes are in this event). */
  readonly reused: readonly string[];
}

export type RunStarted = DomainEvent<
  'RunStarted',
  RunTransition & {
    /** The pinned version's definition: a run never reads the workflow stream again. */
    readonly definition: WorkflowDefinition;
    readonly input: unknown;
    readonly trace_id: string;
    readonly started_by: string;
    /** Each step's effective timeout (its own, else the config default resolved at start). */
    readonly timeouts: Readonly<Record<string, number>>;
    readonly timeout_at: number | null;
    readonly rerun_of: RerunOf | null;
  }
>;

/** A scheduling pass on its own (the first one after the start). */
export type RunStepsScheduled = DomainEvent<'RunStepsScheduled', RunTransition>;

/** Step-job outcomes from one fetch, coalesced, with their consequences. */
export type RunStepResultsRecorded = DomainEvent<
  'RunStepResultsRecorded',
  RunTransition & {
    readonly outcomes: readonly StepJobOutcome[];
    /** Job ids whose outcome changed nothing: stale attempts, settled steps, unknown jobs. */
    readonly ignored: readonly string[];
  }
>;

export type RunStepApproved = DomainEvent<
  'RunStepApproved',
  RunTransition & { readonly step_id: string; readonly by: string; readonly reason: string | null }
>;

export type RunStepRejected = DomainEvent<
  'RunStepRejected',
  RunTransition & { readonly step_id: string; readonly by: string; readonly reason: string | null }
>;

export type FiredTimer =
  | { readonly kind: 'run_timeout' }
  | { readonly kind: 'step_timeout'; readonly step_id: string; readonly index: number | null; readonly job_id: string }
  | { readonly kind: 'delay_done'; readonly step_id: string }
  | { readonly kind: 'approval_expired'; readonly step_id: string };

export type RunTimersFired = DomainEvent<'RunTimersFired', RunTransition & { readonly fired: readonly FiredTimer[] }>;

export type RunCancelled = DomainEvent<
  'RunCancelled',
  RunTransition & { readonly by: string; readonly reason: string | null }
>;

/** Retention: the full state, so a load can start here. */
export type RunSnapshot = DomainEvent<'RunSnapshot', RunTransition & { readonly state: unknown }>;

export type RunEvent =
  | RunStarted
  | RunStepsScheduled
  | RunStepResultsRecorded
  | RunStepApproved
  | RunStepRejected
  | RunTimersFired
  | RunCancelled
  | RunSnapshot;

export type RunEventType = RunEvent['type'];

// ---------------------------------------------------------------------------------------------
// Step-job outcomes, as the workflow process manager reads them from job events (step-job.ts).

export type StepJobOutcomeStatus = 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'CANCELLED' | 'DENIED' | 'PREEMPTED';

export interface StepJobOutcome {
  readonly job_id: string;
  readonly status: StepJobOutcomeStatus;
  readonly result: unknown;
  readonly result_ptr: string | null;
  readonly error: StepError | null;
  /** False when retrying cannot help (the worker said so, no pool serves the topic). */
  readonly retryable: boolean;
}
