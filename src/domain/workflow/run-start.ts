/**
 * Starting a run: the input checked against the pinned version's schema (400 naming the field),
 * every step's timeout fixed (its own, else the config default passed in), the run timeout as an
 * absolute time; and reruns (SPEC 2.2): a new run of the same version and input that reuses the
 * outputs of the steps `from_step` depends on, recording `rerun_of`.
 */
import { timeoutsForTopic, type Settings } from '../config/settings.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { CLIENT_ID_PATTERN } from '../shared/ids.ts';
import { hasTimeout, stepOf, type WorkflowDefinition } from './definition.ts';
import { ancestorsOf } from './graph.ts';
import { validateRunInput } from './input-schema.ts';
import type { ReusedStep, StartRun } from './run-commands.ts';
import type { RunStarted, StepChange } from './run-events.ts';
import { dependencyMap, isLive, runStep, stepOrder, type RunState } from './run-state.ts';

/**
 * Config defaults for the steps that set no `timeout_ms`, from each step's effective settings
 * (system → org → team → workflow → step): a job or notify step gets its topic's dispatch plus
 * running timeout (what one attempt of a job may take), an approval step the approval expiry.
 */
export function resolveStepTimeouts(
  definition: WorkflowDefinition,
  settingsForStep: (stepId: string) => Settings,
): Readonly<Record<string, number>> {
  const timeouts: [string, number][] = [];
  for (const [stepId, step] of Object.entries(definition.steps)) {
    if (!hasTimeout(step.type) || step.timeout_ms !== null) continue;
    const settings = settingsForStep(stepId);
    if (step.type === 'approval') {
      timeouts.push([stepId, settings.safety.approval_ttl_ms]);
    } else {
      const attempt = timeoutsForTopic(settings.timeouts, step.topic ?? 'job.default');
      timeouts.push([stepId, attempt.dispatch_ms + attempt.running_ms]);
    }
  }
  return Object.fromEntries(timeouts);
}

export function decideStart(
  command: StartRun,
  state: RunState,
): readonly RunStarted[] | ValidationError | ConflictError {
  if (state.status !== 'NONE') return new ConflictError(`run ${command.run_id} exists`, 'run_exists');
  if (!CLIENT_ID_PATTERN.test(command.run_id)) {
    return new ValidationError('run_id', `a run id must match ${CLIENT_ID_PATTERN}`);
  }
  const { definition, version } = command.workflow;
  const invalidInput = validateRunInput(definition.input_schema, command.input);
  if (invalidInput !== null) return invalidInput;

  const timeouts: [string, number][] = [];
  for (const [stepId, step] of Object.entries(definition.steps)) {
    if (!hasTimeout(step.type)) continue;
    const fallback = Object.hasOwn(command.default_timeouts, stepId) ? command.default_timeouts[stepId] : undefined;
    const timeout = step.timeout_ms ?? fallback;
    if (timeout === undefined || !Number.isSafeInteger(timeout) || timeout < 1) {
      return new ValidationError(
        `default_timeouts.${stepId}`,
        `step ${stepId} has no timeout (resolveStepTimeouts gives one)`,
      );
    }
    timeouts.push([stepId, timeout]);
  }

  const changes: StepChange[] = [];
  const reusedIds: string[] = [];
  const reused = command.rerun?.reused ?? {};
  for (const stepId of stepOrder(definition)) {
    const step = Object.hasOwn(reused, stepId) ? reused[stepId] : undefined;
    if (step === undefined) continue;
    reusedIds.push(stepId);
    changes.push({ type: 'step_settled', step_id: stepId, ...step, error: null });
  }
  const unknownReused = Object.keys(reused).find((stepId) => stepOf(definition, stepId) === undefined);
  if (unknownReused !== undefined)
    return new ValidationError('from_step', `step ${unknownReused} is not in the workflow`);

  const started: RunStarted = {
    type: 'RunStarted',
    data: {
      keys: {
        run_id: command.run_id,
        workflow_id: definition.id,
        workflow_version: version,
        org_id: definition.org_id,
        team_id: command.team_id ?? definition.team_id,
        created_at: command.now,
      },
      status_before: null,
      status_after: 'PENDING',
      due_at: command.now,
      at: command.now,
      changes,
      stop_jobs: [],
      outcome: null,
      definition,
      input: command.input,
      trace_id: command.trace_id,
      started_by: command.started_by,
      timeouts: Object.fromEntries(timeouts),
      timeout_at: definition.timeout_ms === null ? null : command.now + definition.timeout_ms,
      rerun_of:
        command.rerun === null
          ? null
          : { run_id: command.rerun.of, from_step: command.rerun.from_step, reused: reusedIds },
    },
  };
  return [started];
}

export interface RerunRequest {
  readonly now: number;
  /** The new run's id (fresh). */
  readonly run_id: string;
  readonly from_step: string | null;
  readonly trace_id: string;
  readonly started_by: string;
}

/**
 * The `StartRun` of a rerun of `previous` (which must have ended): same version, definition, input,
 * team and step timeouts. With `from_step`, the steps it depends on (directly or not) that
 * succeeded or were skipped keep their outcome; every other step runs again.
 */
export function rerunCommand(
  previous: RunState,
  request: RerunRequest,
): StartRun | ValidationError | ConflictError | NotFoundError {
  if (previous.status === 'NONE') return new NotFoundError('run not found', 'run_not_found');
  if (isLive(previous)) {
    return new ConflictError(
      `run ${previous.keys.run_id} is ${previous.status}; rerun it once it ends`,
      'run_not_finished',
    );
  }
  const reused: Record<string, ReusedStep> = {};
  if (request.from_step !== null) {
    if (stepOf(previous.definition, request.from_step) === undefined) {
      return new ValidationError('from_step', `step ${request.from_step} is not in the workflow`);
    }
    for (const stepId of [...ancestorsOf(dependencyMap(previous.definition), request.from_step)].sort()) {
      const step = runStep(previous, stepId);
      if (step.status === 'SUCCEEDED' || step.status === 'SKIPPED') {
        reused[stepId] = { status: step.status, output: step.output, output_ptr: step.output_ptr };
      }
    }
  }
  return {
    type: 'StartRun',
    now: request.now,
    run_id: request.run_id,
    workflow: { version: previous.keys.workflow_version, definition: previous.definition },
    team_id: previous.keys.team_id,
    input: previous.input,
    trace_id: request.trace_id,
    started_by: request.started_by,
    default_timeouts: previous.timeouts,
    rerun: { of: previous.keys.run_id, from_step: request.from_step, reused },
  };
}
