/**
 * What a live run does with its inputs, each applied to a draft before the scheduling pass: step-job
 * outcomes (the cancel guard lives here: an outcome for a job the run is not waiting on — a stale
 * attempt, a settled step, another run — changes nothing), timers that came due, and approvals.
 */
import { parseStepJobId } from '../shared/ids.ts';
import type { RunDraft } from './run-draft.ts';
import type { FiredTimer, StepJobOutcome } from './run-events.ts';
import { MAX_JOBS_PER_DECISION, stepOf } from './definition.ts';
import { findUnit, stepOrder } from './run-state.ts';
import { attemptFailed, settleStep, settleUnit } from './step-progress.ts';

/** Applies each outcome the run is waiting for, in order; says which it applied and which it ignored. */
export function applyOutcomes(
  draft: RunDraft,
  outcomes: readonly StepJobOutcome[],
): { readonly applied: readonly StepJobOutcome[]; readonly ignored: readonly string[] } {
  const applied: StepJobOutcome[] = [];
  const ignored: string[] = [];
  for (const outcome of outcomes) {
    if (applyOutcome(draft, outcome)) applied.push(outcome);
    else ignored.push(outcome.job_id);
  }
  return { applied, ignored };
}

function applyOutcome(draft: RunDraft, outcome: StepJobOutcome): boolean {
  const ref = parseStepJobId(outcome.job_id);
  if (ref === null || ref.runId !== draft.run.keys.run_id) return false;
  if (stepOf(draft.run.definition, ref.stepId) === undefined) return false;
  const step = draft.step(ref.stepId);
  const unit = findUnit(step, ref.index);
  if (step.status !== 'RUNNING' || unit === undefined || unit.status !== 'RUNNING') return false;
  if (unit.job?.job_id !== outcome.job_id) return false;

  const stepId = ref.stepId;
  const error = outcome.error;
  switch (outcome.status) {
    case 'SUCCEEDED':
      settleUnit(draft, stepId, unit.index, 'SUCCEEDED', outcome.result ?? null, outcome.result_ptr, null);
      return true;
    case 'FAILED':
      attemptFailed(
        draft,
        stepId,
        unit,
        'FAILED',
        error ?? { code: 'job_failed', message: 'the step job failed' },
        outcome.retryable,
      );
      return true;
    case 'TIMEOUT':
      attemptFailed(
        draft,
        stepId,
        unit,
        'TIMED_OUT',
        error ?? { code: 'job_timed_out', message: 'the step job timed out' },
        outcome.retryable,
      );
      return true;
    case 'DENIED':
      // The safety policy said no: another attempt would be denied too.
      settleUnit(
        draft,
        stepId,
        unit.index,
        'FAILED',
        null,
        null,
        error ?? { code: 'job_denied', message: 'the step job was denied' },
      );
      return true;
    case 'CANCELLED':
    case 'PREEMPTED':
      // Someone cancelled the step job: that cancels the step (SPEC 1.9), no retry.
      settleUnit(
        draft,
        stepId,
        unit.index,
        'CANCELLED',
        null,
        null,
        error ?? { code: 'job_cancelled', message: 'the step job was cancelled' },
      );
      return true;
    default: {
      const unknown: never = outcome.status;
      return unknown;
    }
  }
}

/**
 * Fires every timer due at `draft.now` except the run timeout (the caller checks that first): attempt
 * deadlines (the attempt is stopped, then retried or timed out), delays over, approvals expired.
 */
export function fireStepTimers(draft: RunDraft): readonly FiredTimer[] {
  const fired: FiredTimer[] = [];
  let timedOut = 0;
  for (const stepId of stepOrder(draft.run.definition)) {
    const step = draft.step(stepId);
    if (step.status === 'WAITING' && step.wait !== null && step.wait.until <= draft.now) {
      if (step.wait.reason === 'delay') {
        fired.push({ kind: 'delay_done', step_id: stepId });
        settleStep(draft, stepId, 'SUCCEEDED', null, null);
      } else {
        fired.push({ kind: 'approval_expired', step_id: stepId });
        settleStep(draft, stepId, 'TIMED_OUT', null, {
          code: 'approval_expired',
          message: 'no one approved the step in time',
        });
      }
      continue;
    }
    if (step.status !== 'RUNNING') continue;
    for (const { index } of step.units) {
      const current = draft.step(stepId);
      const unit = findUnit(current, index);
      if (current.status !== 'RUNNING' || unit === undefined || unit.status !== 'RUNNING' || unit.job === null)
        continue;
      if (unit.job.deadline_at > draft.now) continue;
      // One event holds so many: the attempts left stay due, for the next decision.
      if (timedOut >= MAX_JOBS_PER_DECISION || !draft.admitsJob(unit.input)) return fired;
      timedOut += 1;
      fired.push({ kind: 'step_timeout', step_id: stepId, index, job_id: unit.job.job_id });
      draft.stop({ job_id: unit.job.job_id, step_id: stepId, index });
      const message = `attempt ${unit.job.attempt} did not finish within the step timeout`;
      attemptFailed(draft, stepId, unit, 'TIMED_OUT', { code: 'step_timed_out', message }, true);
    }
  }
  return fired;
}
