/**
 * `evolveRun(state, event)`: applies what an event records, never re-deciding anything. Total: an
 * event that does not fit the state (a step event for no run) leaves the state as it is. The
 * decider builds its events through the same `applyStepChange`, so deciding and replaying cannot
 * drift apart.
 */
import type { RunEvent, RunStarted, StepChange, UnitStatus } from './run-events.ts';
import {
  type ActiveRun,
  isLive,
  PENDING_STEP,
  type RunState,
  type RunStep,
  type RunUnit,
  runStep,
  type RunData,
} from './run-state.ts';

export function evolveRun(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'RunStarted':
      return started(event);
    case 'RunSnapshot':
      return event.data.state as RunState;
    case 'RunStepsScheduled':
    case 'RunStepResultsRecorded':
    case 'RunStepApproved':
    case 'RunStepRejected':
    case 'RunTimersFired':
    case 'RunCancelled': {
      if (state.status === 'NONE') return state;
      const { at, changes, status_after: status, outcome } = event.data;
      const run = changes.reduce<ActiveRun>((current, change) => applyStepChange(current, change, at), state);
      if (outcome !== null) return { ...run, status: outcome.status, ended_at: at, outcome };
      // An ended run keeps its outcome: terminal states absorb.
      return isLive(run) && (status === 'PENDING' || status === 'RUNNING' || status === 'WAITING')
        ? { ...run, status }
        : run;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function started(event: RunStarted): RunState {
  const data = event.data;
  const base: RunData = {
    keys: data.keys,
    definition: data.definition,
    input: data.input,
    trace_id: data.trace_id,
    started_by: data.started_by,
    started_at: data.at,
    timeout_at: data.timeout_at,
    timeouts: data.timeouts,
    rerun_of: data.rerun_of,
    steps: Object.fromEntries(Object.keys(data.definition.steps).map((id) => [id, PENDING_STEP])),
  };
  const withChanges = data.changes.reduce<RunData>((run, change) => applyStepChange(run, change, data.at), base);
  const reused = new Set(data.rerun_of?.reused ?? []);
  const steps = Object.fromEntries(
    Object.entries(withChanges.steps).map(([id, step]) => [id, reused.has(id) ? { ...step, reused: true } : step]),
  );
  return { ...withChanges, steps, status: 'PENDING' };
}

/** One recorded consequence. `at` is the decision's time. */
export function applyStepChange<R extends RunData>(run: R, change: StepChange, at: number): R {
  const step = runStep(run, change.step_id);
  return { ...run, steps: { ...run.steps, [change.step_id]: changedStep(step, change, at) } };
}

function changedStep(step: RunStep, change: StepChange, at: number): RunStep {
  switch (change.type) {
    case 'step_started': {
      const units =
        change.status === 'WAITING'
          ? []
          : (change.items ?? [null]).map((item, i) => newUnit(change.items === null ? null : i, item));
      return {
        ...step,
        status: change.status,
        started_at: at,
        wait: change.wait,
        not_before: change.not_before,
        units,
        fan_out: change.items !== null,
      };
    }
    case 'job_scheduled':
      return withUnit(step, change.index, (unit) => ({
        ...unit,
        status: 'RUNNING',
        input: change.input,
        job: { job_id: change.job_id, attempt: change.attempt, run_at: change.run_at, deadline_at: change.deadline_at },
      }));
    case 'unit_settled':
      return withUnit(step, change.index, (unit) => ({
        ...unit,
        status: change.status,
        output: change.output,
        output_ptr: change.output_ptr,
        error: change.error,
      }));
    case 'step_settled':
      return {
        ...step,
        status: change.status,
        ended_at: at,
        wait: null,
        output: change.output,
        output_ptr: change.output_ptr,
        error: change.error,
        units: step.units.map((unit) => (isUnitSettled(unit.status) ? unit : { ...unit, status: 'CANCELLED' })),
      };
    default: {
      const unknown: never = change;
      return unknown;
    }
  }
}

function newUnit(index: number | null, item: unknown): RunUnit {
  return { index, item, status: 'PENDING', input: null, job: null, output: null, output_ptr: null, error: null };
}

function withUnit(step: RunStep, index: number | null, update: (unit: RunUnit) => RunUnit): RunStep {
  return { ...step, units: step.units.map((unit) => (unit.index === index ? update(unit) : unit)) };
}

export function isUnitSettled(status: UnitStatus): boolean {
  return status !== 'PENDING' && status !== 'RUNNING';
}
