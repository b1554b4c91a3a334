/**
 * Commands on a run. Each carries `now`, and the fresh values its decision needs (the run id of a
 * new run, the trace id), so deciding is deterministic. The workflow process manager sends
 * `ScheduleRun`, `RecordStepJobOutcomes` and `FireRunTimers`; the API sends the others.
 */
import type { WorkflowDefinition } from './definition.ts';
import type { StepJobOutcome, StepTerminalStatus } from './run-events.ts';

/** A step's outcome copied into a rerun (from `rerunCommand`). */
export interface ReusedStep {
  readonly status: Extract<StepTerminalStatus, 'SUCCEEDED' | 'SKIPPED'>;
  readonly output: unknown;
  readonly output_ptr: string | null;
}

export interface StartRun {
  readonly type: 'StartRun';
  readonly now: number;
  /** Fresh (a ULID, or the client's id); it prefixes every step job id, so it has no `.`. */
  readonly run_id: string;
  readonly workflow: { readonly version: number; readonly definition: WorkflowDefinition };
  /** The caller's team, else the workflow's. */
  readonly team_id: string | null;
  readonly input: unknown;
  readonly trace_id: string;
  /** Who started it (`api:<key id>`, a principal); the step jobs' principal. */
  readonly started_by: string;
  /**
   * Default timeouts from config for the steps that set none (`resolveStepTimeouts`): job and
   * notify steps from their effective config's timeouts, approval steps its approval expiry.
   */
  readonly default_timeouts: Readonly<Record<string, number>>;
  readonly rerun: {
    readonly of: string;
    readonly from_step: string | null;
    readonly reused: Readonly<Record<string, ReusedStep>>;
  } | null;
}

/**
 * A scheduling pass: the first (the process manager sends it on `RunStarted`; the due index too), or
 * one continuing units an earlier decision left for lack of budget (`MAX_JOBS_PER_DECISION`). On a
 * run with neither it appends nothing.
 */
export interface ScheduleRun {
  readonly type: 'ScheduleRun';
  readonly now: number;
}

/** Outcomes of step jobs, from one fetch of job events (`stepJobOutcome`), in the order read. */
export interface RecordStepJobOutcomes {
  readonly type: 'RecordStepJobOutcomes';
  readonly now: number;
  readonly outcomes: readonly StepJobOutcome[];
}

/** `POST /api/v1/workflow-runs/{run_id}/steps/{step_id}/approve {approved, reason}`. */
export interface DecideRunStepApproval {
  readonly type: 'DecideRunStepApproval';
  readonly now: number;
  readonly step_id: string;
  readonly approved: boolean;
  readonly by: string;
  readonly reason: string | null;
}

/** The reconciler found the run due: step deadlines, delays, approval expiry, run timeout. */
export interface FireRunTimers {
  readonly type: 'FireRunTimers';
  readonly now: number;
}

export interface CancelRun {
  readonly type: 'CancelRun';
  readonly now: number;
  readonly by: string;
  readonly reason: string | null;
}

/** Retention: a snapshot a load can start from. */
export interface SnapshotRun {
  readonly type: 'SnapshotRun';
  readonly now: number;
}

export type RunCommand =
  StartRun | ScheduleRun | RecordStepJobOutcomes | DecideRunStepApproval | FireRunTimers | CancelRun | SnapshotRun;
