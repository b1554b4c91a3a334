/**
 * The latencies bench/workflows reports, from the times lib/workflow-events.ts collected, over the
 * runs that ended within the measured window. Phases of a step job: scheduled (the run event with its
 * `job_scheduled`) → submitted (JobSubmitted: the process manager created it) → dispatched (first
 * JobDispatched: the scheduler handed it to a worker) → succeeded (JobSucceeded) → recorded (the run
 * event that applied its outcome, which in a line also schedules the next step).
 */
import { percentile } from './report.ts';
import type { RunTimes, StepJobTimes, WorkflowEvents } from './workflow-events.ts';

export interface Distribution {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

type Window = { readonly from: number; readonly to: number };

const gap = (from: number | undefined, to: number | undefined) =>
  from === undefined || to === undefined ? Number.NaN : to - from;

function stepJobs(events: WorkflowEvents, run: RunTimes): StepJobTimes[] {
  return run.jobs.flatMap((id) => {
    const job = events.jobs.get(id);
    return job === undefined ? [] : [job];
  });
}

/** The phases every step job goes through, over these jobs. */
function jobPhases(jobs: readonly StepJobTimes[]): Record<string, Distribution> {
  return {
    'scheduled → dispatched': distribution(jobs.map((j) => gap(j.scheduledAt, j.dispatchedAt))),
    '  scheduled → submitted': distribution(jobs.map((j) => gap(j.scheduledAt, j.submittedAt))),
    '  submitted → dispatched': distribution(jobs.map((j) => gap(j.submittedAt, j.dispatchedAt))),
    'dispatched → succeeded': distribution(jobs.map((j) => gap(j.dispatchedAt, j.succeededAt))),
    'succeeded → recorded in the run': distribution(jobs.map((j) => gap(j.succeededAt, j.recordedAt))),
  };
}

export function linearLatencies(events: WorkflowEvents, window: Window): Record<string, Distribution> {
  const runs = events.runsEndedBetween(window.from, window.to).filter((run) => run.status === 'SUCCEEDED');
  const perRun = runs.map((run) => ({ run, jobs: stepJobs(events, run) }));
  const handoffs = perRun.flatMap(({ jobs }) =>
    jobs.slice(1).map((next, i) => gap(jobs[i]?.succeededAt, next.dispatchedAt)),
  );
  return {
    'run start → end': distribution(runs.map((run) => gap(run.startedAt, run.endedAt))),
    'run start → first step scheduled': distribution(
      perRun.map(({ run, jobs }) => gap(run.startedAt, jobs[0]?.scheduledAt)),
    ),
    ...jobPhases(perRun.flatMap(({ jobs }) => jobs)),
    'hand-off: step k succeeded → step k+1 dispatched': distribution(handoffs),
    'last step succeeded → run end': distribution(
      perRun.map(({ run, jobs }) => gap(jobs.at(-1)?.succeededAt, run.endedAt)),
    ),
  };
}

export function fanOutLatencies(events: WorkflowEvents, window: Window): Record<string, Distribution> {
  const runs = events.runsEndedBetween(window.from, window.to).filter((run) => run.status === 'SUCCEEDED');
  const perRun = runs.map((run) => ({ run, jobs: stepJobs(events, run) }));
  const latest = (values: readonly (number | undefined)[]) =>
    values.some((v) => v === undefined) ? undefined : Math.max(...(values as number[]));
  return {
    'run start → end': distribution(runs.map((run) => gap(run.startedAt, run.endedAt))),
    'run start → children scheduled': distribution(
      perRun.map(({ run, jobs }) => gap(run.startedAt, jobs[0]?.scheduledAt)),
    ),
    ...jobPhases(perRun.flatMap(({ jobs }) => jobs)),
    'run start → last child dispatched': distribution(
      perRun.map(({ run, jobs }) => gap(run.startedAt, latest(jobs.map((j) => j.dispatchedAt)))),
    ),
    'last child succeeded → run end': distribution(
      perRun.map(({ run, jobs }) => gap(latest(jobs.map((j) => j.succeededAt)), run.endedAt)),
    ),
  };
}
