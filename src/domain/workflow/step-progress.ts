/**
 * How a step moves once it runs: scheduling a unit's job (deterministic ids), an attempt ending
 * (retry as a new job with backoff, or settle the unit), and the join that settles a step from its
 * units (SPEC 2.2). Notify steps never fail their run: a notify unit that ends badly settles
 * SUCCEEDED with a null output, its error kept.
 */
import { childStepJobId, stepJobId } from '../shared/ids.ts';
import type { StepRetry } from './definition.ts';
import type { RunDraft } from './run-draft.ts';
import type { StepError, UnitTerminalStatus } from './run-events.ts';
import { isUnitSettled } from './run-evolve.ts';
import { findUnit, stepDefinition, type RunUnit } from './run-state.ts';

/** `<run_id>.<step_id>.<n>`, or `<run_id>.<step_id>.<i>.<n>` for `for_each` child i. */
export function jobIdFor(runId: string, stepId: string, index: number | null, attempt: number): string {
  return index === null ? stepJobId(runId, stepId, attempt) : childStepJobId(runId, stepId, index, attempt);
}

/** Backoff before the retry that follows failed attempt n: `initial × multiplier^(n−1)`, capped. */
export function retryBackoffMs(retry: StepRetry, failedAttempt: number): number {
  const exponent = Math.max(0, Math.min(failedAttempt - 1, 60));
  return Math.round(Math.min(retry.max_backoff_ms, retry.initial_backoff_ms * retry.multiplier ** exponent));
}

/** The effective timeout of a step's attempts (or an approval's wait), fixed at run start. */
export function stepTimeoutMs(draft: RunDraft, stepId: string): number {
  const timeout = Object.hasOwn(draft.run.timeouts, stepId) ? draft.run.timeouts[stepId] : undefined;
  if (timeout === undefined) throw new Error(`step ${stepId} has no timeout`);
  return timeout;
}

/** Records attempt n of a unit: a new job, dispatched no earlier than `runAt`. */
export function scheduleAttempt(
  draft: RunDraft,
  stepId: string,
  index: number | null,
  attempt: number,
  input: unknown,
  runAt: number | null,
): void {
  const startsAt = runAt ?? draft.now;
  draft.record({
    type: 'job_scheduled',
    step_id: stepId,
    index,
    job_id: jobIdFor(draft.run.keys.run_id, stepId, index, attempt),
    attempt,
    input,
    run_at: runAt,
    deadline_at: startsAt + stepTimeoutMs(draft, stepId),
  });
}

/**
 * The unit's current attempt failed or timed out: a retry (a new job after the backoff) while the
 * step's `retry.max_retries` allows and retrying can help, else the unit settles with `status`.
 */
export function attemptFailed(
  draft: RunDraft,
  stepId: string,
  unit: RunUnit,
  status: 'FAILED' | 'TIMED_OUT',
  error: StepError,
  retryable: boolean,
): void {
  const attempt = unit.job?.attempt ?? 0;
  const retry = stepDefinition(draft.run, stepId).retry;
  if (retryable && attempt < 1 + retry.max_retries) {
    const backoff = retryBackoffMs(retry, attempt);
    scheduleAttempt(draft, stepId, unit.index, attempt + 1, unit.input, backoff > 0 ? draft.now + backoff : null);
    return;
  }
  settleUnit(draft, stepId, unit.index, status, null, null, error);
}

/** A unit's final state, then the join: the step settles once its units say how. */
export function settleUnit(
  draft: RunDraft,
  stepId: string,
  index: number | null,
  status: UnitTerminalStatus,
  output: unknown,
  outputPtr: string | null,
  error: StepError | null,
): void {
  const definition = stepDefinition(draft.run, stepId);
  const tolerated = definition.type === 'notify' && status !== 'SUCCEEDED';
  draft.record({
    type: 'unit_settled',
    step_id: stepId,
    index,
    status: tolerated ? 'SUCCEEDED' : status,
    output: tolerated ? null : output,
    output_ptr: tolerated ? null : outputPtr,
    error,
  });
  const step = draft.step(stepId);
  const unit = findUnit(step, index);
  if (unit === undefined) return;
  if (!step.fan_out) {
    draft.record({
      type: 'step_settled',
      step_id: stepId,
      status: unit.status as UnitTerminalStatus,
      output: unit.output,
      output_ptr: unit.output_ptr,
      error: unit.error,
    });
    return;
  }
  if (unit.status !== 'SUCCEEDED' && definition.join === 'all') {
    stopUnits(draft, stepId);
    const message = `child ${index ?? 0}: ${unit.error?.message ?? unit.status.toLowerCase()}`;
    settleStep(draft, stepId, unit.status as UnitTerminalStatus, null, {
      code: unit.error?.code ?? 'child_failed',
      message,
    });
    return;
  }
  if (!step.units.every((each) => isUnitSettled(each.status))) return;
  const outputs = step.units.map((each) => (each.output_ptr !== null ? { result_ptr: each.output_ptr } : each.output));
  const succeeded = step.units.filter((each) => each.status === 'SUCCEEDED').length;
  if (definition.join === 'any' && succeeded === 0) {
    settleStep(draft, stepId, 'FAILED', outputs, {
      code: 'no_child_succeeded',
      message: 'no for_each child succeeded',
    });
    return;
  }
  settleStep(draft, stepId, 'SUCCEEDED', outputs, null);
}

export function settleStep(
  draft: RunDraft,
  stepId: string,
  status: 'SUCCEEDED' | 'SKIPPED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT',
  output: unknown,
  error: StepError | null,
): void {
  draft.record({ type: 'step_settled', step_id: stepId, status, output, output_ptr: null, error });
}

/** Stops the step's jobs in flight (their units are CANCELLED when the step settles). */
export function stopUnits(draft: RunDraft, stepId: string): void {
  for (const unit of draft.step(stepId).units) {
    if (unit.status === 'RUNNING' && unit.job !== null) {
      draft.stop({ job_id: unit.job.job_id, step_id: stepId, index: unit.index });
    }
  }
}
