/**
 * The scheduling pass (SPEC 2.2): a pure function of (definition, run, now) that starts every ready
 * step, iterated to a fixed point — a false condition, a condition step, a delay already over or an
 * empty fan-out settle at once and may make their dependants ready in the same pass — and then says
 * how the run stands: still running, waiting, or ended (a failed step fails it; all steps done
 * succeeds it). Every decision that changes a step ends with this pass.
 */
import { MAX_FOREACH_ITEMS, runsJob, type WorkflowDefinition } from './definition.ts';
import { evaluateExpression, evaluateTime } from './expressions.ts';
import { RunDraft } from './run-draft.ts';
import type { JobToStop, RunError, RunOutcome, RunTerminalStatus, StepChange } from './run-events.ts';
import { isStepSettled } from './run-events.ts';
import {
  dependenciesDone,
  expressionVariables,
  jobsInFlight,
  type LiveRun,
  runStep,
  stepDefinition,
  stepOrder,
} from './run-state.ts';
import { buildRunOutput } from './run-output.ts';
import { scheduleAttempt, settleStep, settleUnit, stepTimeoutMs } from './step-progress.ts';
import { renderTemplate } from './template.ts';

export interface SchedulingPass {
  readonly changes: readonly StepChange[];
  readonly stop_jobs: readonly JobToStop[];
  /** The run after the pass (and after its end, when the pass ends it). */
  readonly run: LiveRun;
  readonly outcome: RunOutcome | null;
}

/** Every ready step of `run` at `now`, to a fixed point, and the run's resulting standing. */
export function readySteps(definition: WorkflowDefinition, run: LiveRun, now: number): SchedulingPass {
  const draft = new RunDraft({ ...run, definition }, now);
  schedulePass(draft);
  return { changes: draft.changes, stop_jobs: draft.stops, run: draft.run, outcome: draft.outcome };
}

/** The pass inside a decision: starts what is ready, then concludes the run if it can. */
export function schedulePass(draft: RunDraft): void {
  const order = stepOrder(draft.run.definition);
  let progress = true;
  while (progress && failedStep(draft) === null) {
    progress = false;
    for (const stepId of order) {
      if (failedStep(draft) !== null) break;
      const step = draft.step(stepId);
      if (step.status === 'PENDING' && dependenciesDone(draft.run, stepId)) {
        startStep(draft, stepId);
        progress = true;
      } else if (step.status === 'RUNNING' && startUnits(draft, stepId)) {
        progress = true;
      }
    }
  }
  concludeRun(draft);
}

function startStep(draft: RunDraft, stepId: string): void {
  const definition = stepDefinition(draft.run, stepId);
  const variables = expressionVariables(draft.run);
  const fail = (field: string, error: string): void =>
    settleStep(draft, stepId, 'FAILED', null, { code: 'expression_error', message: `${field}: ${error}` });

  if (definition.condition !== null) {
    const result = evaluateExpression(definition.condition, variables);
    if (!result.ok) return fail('condition', result.error);
    if (typeof result.value !== 'boolean') return fail('condition', 'must give a bool');
    if (!result.value) return settleStep(draft, stepId, 'SKIPPED', null, null);
  }
  let notBefore: number | null = null;
  if (definition.delay_ms !== null) notBefore = draft.now + definition.delay_ms;
  if (definition.delay_until !== null) {
    const until = evaluateTime(definition.delay_until, variables);
    if (!until.ok) return fail('delay_until', until.error);
    notBefore = until.value as number;
  }
  if (notBefore !== null && notBefore <= draft.now) notBefore = null;

  switch (definition.type) {
    case 'condition': {
      const output =
        definition.input === null ? { ok: true as const, value: true } : renderTemplate(definition.input, variables);
      if (!output.ok) return fail('input', output.error);
      return settleStep(draft, stepId, 'SUCCEEDED', output.value, null);
    }
    case 'delay':
      if (notBefore === null) return settleStep(draft, stepId, 'SUCCEEDED', null, null);
      return draft.record({
        type: 'step_started',
        step_id: stepId,
        status: 'WAITING',
        wait: { reason: 'delay', until: notBefore, request: null },
        items: null,
        not_before: null,
      });
    case 'approval': {
      const request =
        definition.input === null ? { ok: true as const, value: null } : renderTemplate(definition.input, variables);
      if (!request.ok) return fail('input', request.error);
      const until = draft.now + stepTimeoutMs(draft, stepId);
      return draft.record({
        type: 'step_started',
        step_id: stepId,
        status: 'WAITING',
        wait: { reason: 'approval', until, request: request.value },
        items: null,
        not_before: null,
      });
    }
    case 'job':
    case 'notify': {
      let items: readonly unknown[] | null = null;
      if (definition.for_each !== null) {
        const result = evaluateExpression(definition.for_each, variables);
        if (!result.ok) return fail('for_each', result.error);
        if (!Array.isArray(result.value)) return fail('for_each', 'must give a list');
        if (result.value.length > MAX_FOREACH_ITEMS)
          return fail('for_each', `gave more than ${MAX_FOREACH_ITEMS} items`);
        if (result.value.length === 0) return settleStep(draft, stepId, 'SUCCEEDED', [], null);
        items = result.value as readonly unknown[];
      }
      draft.record({
        type: 'step_started',
        step_id: stepId,
        status: 'RUNNING',
        wait: null,
        items,
        not_before: notBefore,
      });
      startUnits(draft, stepId);
      return;
    }
    default: {
      const unknown: never = definition.type;
      return unknown;
    }
  }
}

/**
 * Schedules the first job of the step's pending units while `max_parallel` allows (running
 * children never exceed it) and the decision's job budget lasts (`RunDraft.admitsJob`; the units
 * left wait for the next pass, `deferredSince`). A unit whose input does not render fails (retrying
 * cannot help). True when anything changed.
 */
function startUnits(draft: RunDraft, stepId: string): boolean {
  const definition = stepDefinition(draft.run, stepId);
  if (!runsJob(definition.type)) return false;
  const limit = definition.max_parallel ?? Number.POSITIVE_INFINITY;
  let changed = false;
  let running = draft.step(stepId).units.filter((unit) => unit.status === 'RUNNING').length;
  for (const pending of draft.step(stepId).units.filter((unit) => unit.status === 'PENDING')) {
    const step = draft.step(stepId);
    if (step.status !== 'RUNNING' || running >= limit) break;
    const child = step.fan_out ? { item: pending.item, index: pending.index ?? 0 } : undefined;
    const input = renderTemplate(definition.input, expressionVariables(draft.run, child));
    if (!input.ok) {
      changed = true;
      settleUnit(draft, stepId, pending.index, 'FAILED', null, null, {
        code: 'expression_error',
        message: `input: ${input.error}`,
      });
      continue;
    }
    // The decision is full: the rest start in the next pass.
    if (!draft.admitsJob(input.value)) break;
    changed = true;
    // A child started after the step's delay has passed goes at once (and its deadline counts from now).
    const runAt = step.not_before !== null && step.not_before > draft.now ? step.not_before : null;
    scheduleAttempt(draft, stepId, pending.index, 1, input.value, runAt);
    running += 1;
  }
  return changed;
}

/** The first step, in dependency order, whose failure fails the run. */
function failedStep(draft: RunDraft): string | null {
  for (const stepId of stepOrder(draft.run.definition)) {
    const status = draft.step(stepId).status;
    if (status === 'FAILED' || status === 'CANCELLED' || status === 'TIMED_OUT') return stepId;
  }
  return null;
}

/** Ends the run if a step failed or every step is done. */
function concludeRun(draft: RunDraft): void {
  const failed = failedStep(draft);
  if (failed !== null) {
    const step = draft.step(failed);
    const message = `step ${failed} ${step.status}${step.error === null ? '' : `: ${step.error.message}`}`;
    endRun(draft, 'FAILED', { code: 'step_failed', message, step_id: failed });
    return;
  }
  const order = stepOrder(draft.run.definition);
  if (order.every((stepId) => isStepSettled(draft.step(stepId).status))) endRun(draft, 'SUCCEEDED', null);
}

/** Ends the run: every job in flight is stopped, every unsettled step CANCELLED. */
export function endRun(draft: RunDraft, status: RunTerminalStatus, error: RunError | null): void {
  for (const job of jobsInFlight(draft.run)) draft.stop(job);
  for (const stepId of stepOrder(draft.run.definition)) {
    if (!isStepSettled(runStep(draft.run, stepId).status)) {
      settleStep(draft, stepId, 'CANCELLED', null, { code: 'run_ended', message: `the run ended ${status}` });
    }
  }
  draft.outcome = { status, error, output: status === 'SUCCEEDED' ? buildRunOutput(draft.run) : null };
}

/** How a live run stands after a decision that did not end it. */
export function liveStatus(run: LiveRun): 'RUNNING' | 'WAITING' {
  let waiting = false;
  for (const step of Object.values(run.steps)) {
    if (step.status === 'RUNNING') return 'RUNNING';
    if (step.status === 'WAITING') waiting = true;
  }
  return waiting ? 'WAITING' : 'RUNNING';
}
