/**
 * `decideRun(command, state)`: the run decider. One decision appends at most one event, carrying
 * its cause and all its consequences (step changes from the scheduling pass included). A decision
 * that changes nothing appends nothing (an empty list): a cancel or a late outcome for an ended run
 * (the cancel guard), timers not due yet, outcomes for jobs the run no longer waits on.
 */
import { ConflictError, NotFoundError, type ValidationError } from '../shared/errors.ts';
import { stepOf } from './definition.ts';
import type { DecideRunStepApproval, RunCommand } from './run-commands.ts';
import { RunDraft } from './run-draft.ts';
import type { FiredTimer, RunEvent, RunStatus, StepJobOutcome } from './run-events.ts';
import { applyOutcomes, fireStepTimers } from './run-inputs.ts';
import { decideStart } from './run-start.ts';
import { type ActiveRun, deferredSince, isLive, type LiveRun, runDueAt, runStep, type RunState } from './run-state.ts';
import { endRun, liveStatus, schedulePass } from './schedule.ts';
import { settleStep } from './step-progress.ts';

export type RunDecision = readonly RunEvent[] | ValidationError | ConflictError | NotFoundError;

export function decideRun(command: RunCommand, state: RunState): RunDecision {
  if (command.type === 'StartRun') return decideStart(command, state);
  if (state.status === 'NONE') return new NotFoundError('run not found', 'run_not_found');
  switch (command.type) {
    case 'SnapshotRun':
      return [snapshot(state, command.now)];
    case 'CancelRun': {
      if (!isLive(state)) return [];
      const draft = new RunDraft(state, command.now);
      const message = command.reason ?? `cancelled by ${command.by}`;
      endRun(draft, 'CANCELLED', { code: 'cancelled', message, step_id: null });
      return [
        { type: 'RunCancelled', data: { ...transition(draft, state.status), by: command.by, reason: command.reason } },
      ];
    }
    case 'ScheduleRun':
      if (state.status === 'PENDING') return [firstPass(state, command.now)];
      // Later passes only continue what a decision left for lack of budget (MAX_JOBS_PER_DECISION).
      return isLive(state) && deferredSince(state) !== null ? [firstPass(state, command.now)] : [];
    case 'FireRunTimers':
      if (!isLive(state)) return [];
      return state.status === 'PENDING' ? [firstPass(state, command.now)] : fireTimers(state, command.now);
    case 'RecordStepJobOutcomes':
      return isLive(state) ? recordOutcomes(state, command.outcomes, command.now) : [];
    case 'DecideRunStepApproval':
      return decideApproval(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** A scheduling pass on its own: the first of a run, or one continuing what a decision left. */
function firstPass(state: LiveRun, now: number): RunEvent {
  const draft = new RunDraft(state, now);
  schedulePass(draft);
  return { type: 'RunStepsScheduled', data: transition(draft, state.status) };
}

function fireTimers(state: LiveRun, now: number): readonly RunEvent[] {
  const draft = new RunDraft(state, now);
  let fired: readonly FiredTimer[];
  if (state.timeout_at !== null && state.timeout_at <= now) {
    fired = [{ kind: 'run_timeout' }];
    endRun(draft, 'TIMED_OUT', {
      code: 'run_timed_out',
      message: 'the run did not finish within its timeout',
      step_id: null,
    });
  } else {
    fired = fireStepTimers(draft);
    if (fired.length === 0) return deferredSince(state) === null ? [] : [firstPass(state, now)];
    schedulePass(draft);
  }
  return [{ type: 'RunTimersFired', data: { ...transition(draft, state.status), fired } }];
}

function recordOutcomes(state: LiveRun, outcomes: readonly StepJobOutcome[], now: number): readonly RunEvent[] {
  const draft = new RunDraft(state, now);
  const { applied, ignored } = applyOutcomes(draft, outcomes);
  if (applied.length === 0) return [];
  schedulePass(draft);
  return [{ type: 'RunStepResultsRecorded', data: { ...transition(draft, state.status), outcomes: applied, ignored } }];
}

function decideApproval(command: DecideRunStepApproval, state: ActiveRun): RunDecision {
  if (stepOf(state.definition, command.step_id) === undefined) {
    return new NotFoundError(`run ${state.keys.run_id} has no step ${command.step_id}`, 'step_not_found');
  }
  if (!isLive(state)) {
    return new ConflictError(
      `run ${state.keys.run_id} is ${state.status}: its steps wait for nothing`,
      'step_not_waiting',
    );
  }
  const step = runStep(state, command.step_id);
  if (step.status !== 'WAITING' || step.wait?.reason !== 'approval') {
    return new ConflictError(`step ${command.step_id} is ${step.status}, not waiting for approval`, 'step_not_waiting');
  }
  if (step.wait.until <= command.now) {
    return new ConflictError(`the approval of step ${command.step_id} expired`, 'approval_expired');
  }
  const draft = new RunDraft(state, command.now);
  const decision = { approved: command.approved, by: command.by, reason: command.reason };
  if (command.approved) {
    settleStep(draft, command.step_id, 'SUCCEEDED', decision, null);
  } else {
    const message = command.reason ?? `rejected by ${command.by}`;
    settleStep(draft, command.step_id, 'FAILED', decision, { code: 'rejected', message });
  }
  schedulePass(draft);
  const data = { ...transition(draft, state.status), step_id: command.step_id, by: command.by, reason: command.reason };
  return [command.approved ? { type: 'RunStepApproved', data } : { type: 'RunStepRejected', data }];
}

/** The fields every run event carries, from the finished draft. */
function transition(draft: RunDraft, before: RunStatus) {
  draft.dropJobsOfEndedRun();
  const after: ActiveRun =
    draft.outcome === null
      ? { ...draft.run, status: liveStatus(draft.run) }
      : { ...draft.run, status: draft.outcome.status, ended_at: draft.now, outcome: draft.outcome };
  return {
    keys: draft.run.keys,
    status_before: before,
    status_after: after.status,
    due_at: runDueAt(after),
    at: draft.now,
    changes: draft.changes,
    stop_jobs: draft.stops,
    outcome: draft.outcome,
  };
}

function snapshot(state: ActiveRun, now: number): RunEvent {
  return {
    type: 'RunSnapshot',
    data: {
      keys: state.keys,
      status_before: state.status,
      status_after: state.status,
      due_at: runDueAt(state),
      at: now,
      changes: [],
      stop_jobs: [],
      outcome: null,
      state,
    },
  };
}
