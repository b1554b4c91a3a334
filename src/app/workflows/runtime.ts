/**
 * What the workflow engine shares within one process: the job runtime it builds on (step jobs are
 * jobs: the same repository, config resolver, idempotency claims, parking lot and effect registry),
 * the run and workflow repositories, and the effects run events drive. Built once by
 * `createWorkflowRuntime`; the use cases, the partitions' process managers and the run reconciler use
 * the same instance, so they share one cache of runs.
 */
import type { StartedRuntime } from '../jobs/create-runtime.ts';
import type { RunEffects } from './run-effects.ts';
import type { RunRepository } from './run-repository.ts';
import type { WorkflowRepository } from './workflow-repository.ts';

export interface WorkflowRuntimeOptions {
  /** The most step-job outcomes one run decision records; a fetch's outcomes of one run are split beyond it. */
  readonly maxOutcomesPerDecision: number;
  /**
   * The most bytes of results and errors one run decision records. A result appears up to three
   * times in the event (the outcome, the unit, the step's output) and JetStream refuses messages over
   * 1 MB, so large results go one decision each.
   */
  readonly maxOutcomeBytesPerDecision: number;
  /**
   * A run due for a scheduling pass (a new run's first, or the continuation of a large fan-out) gets
   * it from the process manager at once; the run reconciler steps in only when that has not happened
   * for this long.
   */
  readonly pendingGraceMs: number;
}

export const DEFAULT_WORKFLOW_OPTIONS: WorkflowRuntimeOptions = {
  maxOutcomesPerDecision: 100,
  maxOutcomeBytesPerDecision: 192 * 1024,
  pendingGraceMs: 2_000,
};

export interface WorkflowRuntime {
  /** The job runtime (step jobs go through its pipeline). */
  readonly rt: StartedRuntime;
  readonly runs: RunRepository;
  readonly workflows: WorkflowRepository;
  readonly effects: RunEffects;
  readonly options: WorkflowRuntimeOptions;
}
