/**
 * A run's state: a discriminated union on `status` (no run yet, live, or ended with its outcome),
 * and the queries deciders and the process manager ask of it (the step scope expressions see, the
 * jobs in flight, the next due time). JSON all the way down, so a snapshot is the state itself.
 */
import type { StepDefinition, WorkflowDefinition } from './definition.ts';
import { stepOf } from './definition.ts';
import type { ExpressionVariables, StepView } from './expressions.ts';
import { type DependencyMap, topologicalOrder } from './graph.ts';
import {
  isStepDone,
  isStepSettled,
  type JobToStop,
  type RerunOf,
  type RunKeys,
  type RunOutcome,
  type RunTerminalStatus,
  type StepError,
  type StepStatus,
  type StepWait,
  type UnitStatus,
} from './run-events.ts';

export interface UnitJob {
  readonly job_id: string;
  readonly attempt: number;
  readonly run_at: number | null;
  readonly deadline_at: number;
}

export interface RunUnit {
  /** null: the step's only unit; i: `for_each` child i. */
  readonly index: number | null;
  readonly item: unknown;
  readonly status: UnitStatus;
  /** Rendered when its first job is scheduled; retries send the same. */
  readonly input: unknown;
  /** The latest job (the one in flight while RUNNING). */
  readonly job: UnitJob | null;
  readonly output: unknown;
  readonly output_ptr: string | null;
  readonly error: StepError | null;
}

export interface RunStep {
  readonly status: StepStatus;
  readonly started_at: number | null;
  readonly ended_at: number | null;
  readonly wait: StepWait | null;
  readonly not_before: number | null;
  /** Job and notify steps once started: one unit, or one per `for_each` item. */
  readonly units: readonly RunUnit[];
  readonly fan_out: boolean;
  readonly output: unknown;
  readonly output_ptr: string | null;
  readonly error: StepError | null;
  /** Copied from the run this one reruns. */
  readonly reused: boolean;
}

export interface RunData {
  readonly keys: RunKeys;
  readonly definition: WorkflowDefinition;
  readonly input: unknown;
  readonly trace_id: string;
  readonly started_by: string;
  readonly started_at: number;
  readonly timeout_at: number | null;
  readonly timeouts: Readonly<Record<string, number>>;
  readonly rerun_of: RerunOf | null;
  readonly steps: Readonly<Record<string, RunStep>>;
}

export type LiveRun = RunData & { readonly status: 'PENDING' | 'RUNNING' | 'WAITING' };
export type EndedRun = RunData & {
  readonly status: RunTerminalStatus;
  readonly ended_at: number;
  readonly outcome: RunOutcome;
};
export type ActiveRun = LiveRun | EndedRun;
export type RunState = { readonly status: 'NONE' } | ActiveRun;

export const initialRunState: RunState = { status: 'NONE' };

export const PENDING_STEP: RunStep = {
  status: 'PENDING',
  started_at: null,
  ended_at: null,
  wait: null,
  not_before: null,
  units: [],
  fan_out: false,
  output: null,
  output_ptr: null,
  error: null,
  reused: false,
};

export function isLive(run: RunState): run is LiveRun {
  return run.status === 'PENDING' || run.status === 'RUNNING' || run.status === 'WAITING';
}

/** The step's state; every step of the definition has one from the start. */
export function runStep(run: RunData, stepId: string): RunStep {
  return (Object.hasOwn(run.steps, stepId) ? run.steps[stepId] : undefined) ?? PENDING_STEP;
}

export function stepDefinition(run: RunData, stepId: string): StepDefinition {
  const step = stepOf(run.definition, stepId);
  if (step === undefined) throw new Error(`step ${stepId} is not in the run's definition`);
  return step;
}

// The order is a function of the definition alone; runs of one version share the object.
const orders = new WeakMap<WorkflowDefinition, readonly string[]>();

/** Steps in dependency order, ties by id: every walk over steps uses it, so decisions are stable. */
export function stepOrder(definition: WorkflowDefinition): readonly string[] {
  const found = orders.get(definition);
  if (found !== undefined) return found;
  const order = topologicalOrder(dependencyMap(definition));
  orders.set(definition, order);
  return order;
}

export function dependencyMap(definition: WorkflowDefinition): DependencyMap {
  return Object.fromEntries(Object.entries(definition.steps).map(([id, step]) => [id, step.depends_on]));
}

export function dependenciesDone(run: RunData, stepId: string): boolean {
  return stepDefinition(run, stepId).depends_on.every((dep) => isStepDone(runStep(run, dep).status));
}

/** What expressions see: the run input and the settled steps' status and output. */
export function expressionVariables(run: RunData, child?: { item: unknown; index: number }): ExpressionVariables {
  // Step ids match STEP_ID_PATTERN, so none is `__proto__` and plain assignment is safe.
  const steps: Record<string, StepView> = {};
  for (const [id, step] of Object.entries(run.steps)) {
    if (isStepSettled(step.status))
      steps[id] = { status: step.status, output: step.output, output_ptr: step.output_ptr };
  }
  return child === undefined ? { input: run.input, steps } : { input: run.input, steps, child };
}

export function findUnit(step: RunStep, index: number | null): RunUnit | undefined {
  return step.units.find((unit) => unit.index === index);
}

/** Every step job decided and not yet answered: what a cancel must stop. */
export function jobsInFlight(run: RunData): readonly JobToStop[] {
  const jobs: JobToStop[] = [];
  for (const stepId of stepOrder(run.definition)) {
    for (const unit of runStep(run, stepId).units) {
      if (unit.status === 'RUNNING' && unit.job !== null) {
        jobs.push({ job_id: unit.job.job_id, step_id: stepId, index: unit.index });
      }
    }
  }
  return jobs;
}

/**
 * The run's next due time: a PENDING run is due at once (its first scheduling pass); a live run at
 * the earliest of its timers (`nextTimerAt`) and, when a decision left units to start
 * (`deferredSince`), at once; an ended run never.
 */
export function runDueAt(run: RunState): number | null {
  if (!isLive(run)) return null;
  if (run.status === 'PENDING') return run.started_at;
  const timer = nextTimerAt(run);
  const deferred = deferredSince(run);
  if (timer === null || deferred === null) return timer ?? deferred;
  return Math.min(timer, deferred);
}

/** The earliest of the run timeout, its attempts' deadlines and its waits' ends; null if none. */
export function nextTimerAt(run: RunData): number | null {
  let due = run.timeout_at ?? Number.POSITIVE_INFINITY;
  for (const step of Object.values(run.steps)) {
    if (step.status === 'WAITING' && step.wait !== null) due = Math.min(due, step.wait.until);
    for (const unit of step.units) {
      if (unit.status === 'RUNNING' && unit.job !== null) due = Math.min(due, unit.job.deadline_at);
    }
  }
  return Number.isFinite(due) ? due : null;
}

/**
 * When the earliest running step that has units waiting to start while it has room started, or null.
 * A scheduling pass fills every step up to `max_parallel` unless the decision's job budget ran out
 * (`MAX_JOBS_PER_DECISION`), so this says a later pass has work: the run is due at once.
 */
export function deferredSince(run: RunData): number | null {
  let since: number | null = null;
  for (const [stepId, step] of Object.entries(run.steps)) {
    if (step.status !== 'RUNNING' || step.units.length === 0) continue;
    const limit = stepDefinition(run, stepId).max_parallel ?? Number.POSITIVE_INFINITY;
    const running = step.units.filter((unit) => unit.status === 'RUNNING').length;
    const waiting = step.units.some((unit) => unit.status === 'PENDING');
    if (waiting && running < limit) since = Math.min(since ?? Number.POSITIVE_INFINITY, step.started_at ?? 0);
  }
  return since;
}
