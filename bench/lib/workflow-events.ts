/**
 * Run events and step-job events as they are stored (core NATS subscriptions on `<prefix>.run.>` and
 * `<prefix>.job.w.>`), folded into the times a workflow benchmark measures, all from the events' own
 * `time`: per run its start and end; per step job the run event that scheduled it (the one whose
 * changes hold its `job_scheduled`), its JobSubmitted (created by the process manager), its first
 * JobDispatched, its JobSucceeded, and the run event that recorded its outcome. Events may arrive in
 * any order across the two subjects, so every record is made by whichever event comes first.
 */
import { parseStepJobId } from '../../src/domain/shared/ids.ts';
import { decodeEvent, eventHead, idOfStream } from './event-head.ts';

export interface StepJobTimes {
  readonly runId: string;
  readonly stepId: string;
  readonly index: number | null;
  scheduledAt?: number;
  submittedAt?: number;
  dispatchedAt?: number;
  succeededAt?: number;
  recordedAt?: number;
}

export interface RunTimes {
  startedAt?: number;
  endedAt?: number;
  status?: string;
  /** Its step jobs' ids, in the order they were scheduled. */
  readonly jobs: string[];
}

interface RunEventData {
  readonly status_after: string;
  readonly changes?: readonly { readonly type: string; readonly job_id?: string }[];
  readonly outcomes?: readonly { readonly job_id: string }[];
  readonly outcome: { readonly status: string } | null;
}

export class WorkflowEvents {
  readonly runs = new Map<string, RunTimes>();
  readonly jobs = new Map<string, StepJobTimes>();
  /** Run events by type, and step-job events by type, since the last reset. */
  types: Record<string, number> = {};
  /** Told of each run's end (`ok`: it SUCCEEDED). */
  onRunEnded: ((ok: boolean) => void) | null = null;

  onRunEvent(data: Uint8Array): void {
    const event = decodeEvent<RunEventData>(data);
    const time = Date.parse(event.time);
    const runId = idOfStream(event.stream_id);
    this.types[event.type] = (this.types[event.type] ?? 0) + 1;
    const run = this.#run(runId);
    if (event.type === 'RunStarted') run.startedAt ??= time;
    for (const change of event.data.changes ?? []) {
      if (change.type !== 'job_scheduled' || change.job_id === undefined) continue;
      const job = this.#job(change.job_id);
      if (job !== null && job.scheduledAt === undefined) {
        job.scheduledAt = time;
        run.jobs.push(change.job_id);
      }
    }
    for (const outcome of event.data.outcomes ?? []) {
      const job = this.#job(outcome.job_id);
      if (job !== null) job.recordedAt ??= time;
    }
    if (event.data.outcome !== null && run.endedAt === undefined) {
      run.endedAt = time;
      run.status = event.data.outcome.status;
      this.onRunEnded?.(run.status === 'SUCCEEDED');
    }
  }

  onStepJobEvent(data: Uint8Array): void {
    const { type, streamId, time } = eventHead(data);
    this.types[type] = (this.types[type] ?? 0) + 1;
    const job = this.#job(idOfStream(streamId));
    if (job === null) return;
    if (type === 'JobSubmitted') job.submittedAt ??= time;
    else if (type === 'JobDispatched') job.dispatchedAt ??= time;
    else if (type === 'JobSucceeded') job.succeededAt ??= time;
  }

  /** Runs that ended within [from, to] (epoch ms, by their ending event's time). */
  runsEndedBetween(from: number, to: number): RunTimes[] {
    return [...this.runs.values()].filter(
      (run) => run.endedAt !== undefined && run.endedAt >= from && run.endedAt <= to,
    );
  }

  reset(): void {
    this.runs.clear();
    this.jobs.clear();
    this.types = {};
  }

  #run(runId: string): RunTimes {
    let run = this.runs.get(runId);
    if (run === undefined) {
      run = { jobs: [] };
      this.runs.set(runId, run);
    }
    return run;
  }

  #job(jobId: string): StepJobTimes | null {
    let job = this.jobs.get(jobId);
    if (job === undefined) {
      const ref = parseStepJobId(jobId);
      if (ref === null) return null;
      job = { runId: ref.runId, stepId: ref.stepId, index: ref.index };
      this.jobs.set(jobId, job);
    }
    return job;
  }
}
