/**
 * A workflow definition (SPEC 2.1), as stored after validation (`parseWorkflowDefinition`). Every
 * default is filled in, so a run pinned to a version reads it without knowing the defaults of the
 * day it was saved. Expressions are CEL text (checked on save, evaluated by `expressions.ts`).
 */

export type StepType = 'job' | 'condition' | 'approval' | 'delay' | 'notify';
export const STEP_TYPES: readonly StepType[] = ['job', 'condition', 'approval', 'delay', 'notify'];

/** How a `for_each` step's children settle it (SPEC 2.2). */
export type JoinPolicy = 'all' | 'any' | 'ignore_failures';
export const JOIN_POLICIES: readonly JoinPolicy[] = ['all', 'any', 'ignore_failures'];

/** Step retries: each retry is a new step job (`max_attempts: 1` on every job). */
export interface StepRetry {
  readonly max_retries: number;
  readonly initial_backoff_ms: number;
  readonly max_backoff_ms: number;
  readonly multiplier: number;
}

/** Mirrors the config retry defaults (`retry`: one attempt, 1 s doubling to 60 s). */
export const DEFAULT_STEP_RETRY: StepRetry = {
  max_retries: 0,
  initial_backoff_ms: 1_000,
  max_backoff_ms: 60_000,
  multiplier: 2,
};

export interface StepDefinition {
  readonly type: StepType;
  /** Job and notify steps: the step job's topic (default `job.default`); null otherwise. */
  readonly topic: string | null;
  readonly depends_on: readonly string[];
  /** CEL, `bool`: false skips the step (`SKIPPED` satisfies its dependants). */
  readonly condition: string | null;
  /** CEL, a list: one child per item (job and notify steps). */
  readonly for_each: string | null;
  /** Children running at once; null = no limit (for_each only). */
  readonly max_parallel: number | null;
  readonly join: JoinPolicy;
  /** JSON with `${expr}` templates: the job's payload (a condition step's output). Null when absent. */
  readonly input: unknown;
  /** Where the step's output goes in the run's output object (`a.b.c`), or null. */
  readonly output_path: string | null;
  readonly retry: StepRetry;
  /** Each attempt's limit; null = from config at run start (approval: the approval expiry). */
  readonly timeout_ms: number | null;
  readonly delay_ms: number | null;
  /** CEL giving a timestamp or epoch milliseconds. */
  readonly delay_until: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /** Placement labels (`region`, `zone`, `gpu`, `placement.*`, `preferred_*`) for the step job. */
  readonly route_labels: Readonly<Record<string, string>>;
  readonly requires: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A JSON Schema (draft 2020-12 keywords as ajv 8 knows them; an object or a boolean). */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

export interface WorkflowDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly org_id: string;
  readonly team_id: string | null;
  /** Run inputs are validated against it when a run starts; null accepts any input. */
  readonly input_schema: JsonSchema | null;
  /** The whole run's limit, or null (every step still has its own). */
  readonly timeout_ms: number | null;
  readonly steps: Readonly<Record<string, StepDefinition>>;
}

/** Limits checked on save; the README lists them. */
export const DEFINITION_LIMITS = {
  max_steps: 200,
  max_depends_on: 50,
  max_expression_length: 4_096,
  max_name_length: 200,
  max_description_length: 4_000,
  max_parallel: 1_000,
  max_retries: 20,
  max_backoff_ms: 24 * 60 * 60 * 1000,
  max_multiplier: 10,
  max_step_timeout_ms: 30 * 24 * 60 * 60 * 1000,
  max_run_timeout_ms: 365 * 24 * 60 * 60 * 1000,
  max_delay_ms: 365 * 24 * 60 * 60 * 1000,
  /** A job carries at most 50 labels; the step job adds its own (`STEP_JOB_LABELS`). */
  max_labels: 50 - 4,
  max_requires: 32,
} as const;

/** At run time: a `for_each` giving more items fails its step. */
export const MAX_FOREACH_ITEMS = 1_000;

/**
 * At run time, one decision starts step jobs only while it has scheduled fewer than this many, with
 * fewer than `MAX_JOB_INPUT_BYTES_PER_DECISION` of inputs (it always starts at least one): a decision
 * is one event, one JetStream message, and a message over 1 MB is refused. Units left over wait for
 * the next pass (`ScheduleRun`, or the run's due time), so a large fan-out starts over several
 * events. Retries of attempts that just ended are always recorded; they count towards the budget.
 */
export const MAX_JOBS_PER_DECISION = 100;
export const MAX_JOB_INPUT_BYTES_PER_DECISION = 256 * 1024;

/** Labels every step job carries (SPEC 3); a definition may not set them. */
export const STEP_JOB_LABELS: readonly string[] = ['workflow_id', 'run_id', 'step_id', 'foreach_index'];

/** Step types that run a step job. */
export function runsJob(type: StepType): boolean {
  return type === 'job' || type === 'notify';
}

/** Step types with a timeout (condition steps settle at once; a delay's timer is its delay). */
export function hasTimeout(type: StepType): boolean {
  return runsJob(type) || type === 'approval';
}

/** The step, read as an own member: step ids such as `constructor` must not reach the prototype. */
export function stepOf(definition: WorkflowDefinition, stepId: string): StepDefinition | undefined {
  return Object.hasOwn(definition.steps, stepId) ? definition.steps[stepId] : undefined;
}

export function stepIds(definition: WorkflowDefinition): readonly string[] {
  return Object.keys(definition.steps);
}
