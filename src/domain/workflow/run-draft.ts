/**
 * A decision in progress: the run as the changes recorded so far leave it, the changes themselves,
 * and the jobs to stop. Every consequence goes through `record`, which applies it with the same
 * function `evolve` uses, so each later rule in the same decision sees the state it will replay to.
 */
import { MAX_JOB_INPUT_BYTES_PER_DECISION, MAX_JOBS_PER_DECISION } from './definition.ts';
import { type JobToStop, type RunOutcome, type StepChange } from './run-events.ts';
import { applyStepChange } from './run-evolve.ts';
import type { LiveRun, RunStep } from './run-state.ts';
import { runStep } from './run-state.ts';

export class RunDraft {
  #run: LiveRun;
  readonly now: number;
  readonly changes: StepChange[] = [];
  readonly stops: JobToStop[] = [];
  outcome: RunOutcome | null = null;
  /** Step jobs this decision schedules, and the size of their inputs (the per-decision budget). */
  #jobs = 0;
  #jobBytes = 0;

  constructor(run: LiveRun, now: number) {
    this.#run = run;
    this.now = now;
  }

  get run(): LiveRun {
    return this.#run;
  }

  step(stepId: string): RunStep {
    return runStep(this.#run, stepId);
  }

  record(change: StepChange): void {
    this.#run = applyStepChange(this.#run, change, this.now);
    this.changes.push(change);
    if (change.type === 'job_scheduled') {
      this.#jobs += 1;
      this.#jobBytes += jsonSize(change.input);
    }
  }

  /**
   * Whether this decision may start one more step job with this input, within
   * `MAX_JOBS_PER_DECISION` and `MAX_JOB_INPUT_BYTES_PER_DECISION`; the first always may.
   */
  admitsJob(input: unknown): boolean {
    if (this.#jobs === 0) return true;
    return this.#jobs < MAX_JOBS_PER_DECISION && this.#jobBytes + jsonSize(input) <= MAX_JOB_INPUT_BYTES_PER_DECISION;
  }

  stop(job: JobToStop): void {
    if (!this.stops.some((known) => known.job_id === job.job_id)) this.stops.push(job);
  }

  /**
   * A decision that ends the run creates no job: a job scheduled earlier in the same decision (a
   * pass that started a step, then met a failure) is dropped rather than recorded and stopped at
   * once. Its unit stays PENDING until its step is CANCELLED with the run, which is what replaying
   * the remaining changes gives; `run` is not updated, since nothing reads it after the outcome.
   */
  dropJobsOfEndedRun(): void {
    if (this.outcome === null) return;
    const scheduledHere = new Set(
      this.changes.flatMap((change) => (change.type === 'job_scheduled' ? [change.job_id] : [])),
    );
    if (scheduledHere.size === 0) return;
    const kept = this.changes.filter((change) => change.type !== 'job_scheduled');
    this.changes.splice(0, this.changes.length, ...kept);
    const stops = this.stops.filter((job) => !scheduledHere.has(job.job_id));
    this.stops.splice(0, this.stops.length, ...stops);
  }
}

/** The length of a JSON value's text (characters, close enough to bytes for a budget). */
function jsonSize(value: unknown): number {
  return JSON.stringify(value ?? null).length;
}
