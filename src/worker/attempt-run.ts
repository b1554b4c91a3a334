/**
 * One execution of one attempt: runs the handler with its context, aborts it on a stop, a deadline
 * or the end of a drain, throttles its progress, sends a `started` report only when the handler
 * outlives a short grace (the accept reply already said it started; the report covers a lost reply
 * for long jobs), and sends exactly one result report, decided by whichever comes first: the handler
 * settling or an abort.
 */
import type { DispatchMessage, ProgressMessage, ReportMessage } from '../domain/protocol/messages.ts';
import type { ExecutionLogEntry } from './execution-log.ts';
import {
  type AbortCause,
  AttemptAbortedError,
  type OutcomeFields,
  fromAbort,
  fromReturn,
  fromThrow,
} from './outcome.ts';
import type { DurableReporter } from './reporter.ts';
import type { WorkerTransport } from './transport.ts';

/** The job as handed over: its payload, identity, deadlines and env. */
export type Job = DispatchMessage;

export interface JobContext {
  /** Aborts on a stop for this attempt, on its deadline, or at the end of a drain (`reason` says which). */
  readonly signal: AbortSignal;
  /** Reports progress (throttled) and extends the running deadline. */
  progress(data?: unknown): void;
  readonly attempt: number;
  readonly env: Readonly<Record<string, string>>;
  readonly job_id: string;
  readonly tenant: string;
  readonly token: string;
  readonly worker_id: string;
  /** Epoch ms when this execution started. */
  readonly started_at: number;
  /** The job's overall deadline, if any. */
  readonly deadline_at: number | null;
}

/** Returns the result (or `outcome(...)`), throws to fail the attempt. */
export type JobHandler = (job: Job, context: JobContext) => unknown;

export interface AttemptDeps {
  readonly handler: JobHandler;
  readonly workerId: string;
  readonly instance: string;
  readonly transport: WorkerTransport;
  readonly reporter: DurableReporter;
  readonly log: (entry: ExecutionLogEntry) => void;
  readonly startedReportGraceMs: number;
  readonly progressIntervalMs: number;
  readonly now: () => number;
  /** Told once the outcome is decided (the result report is on its way). */
  readonly onFinish: () => void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class AttemptRun {
  readonly job: Job;
  readonly startedAt: number;
  /** Resolves when the handler has returned or thrown (the slot is free again). */
  readonly settled: Promise<void>;
  readonly #deps: AttemptDeps;
  readonly #controller = new AbortController();
  #finished = false;
  #runningDeadline: number;
  #deadlineTimer: NodeJS.Timeout | null = null;
  #startedTimer: NodeJS.Timeout | null = null;
  #progressTimer: NodeJS.Timeout | null = null;
  #progressSentAt = Number.NEGATIVE_INFINITY;
  #pendingProgress: { readonly data: unknown } | null = null;

  constructor(job: Job, deps: AttemptDeps) {
    this.job = job;
    this.#deps = deps;
    this.startedAt = deps.now();
    // running_ms 0 means no running limit for this attempt.
    this.#runningDeadline = job.running_ms > 0 ? this.startedAt + job.running_ms : Number.POSITIVE_INFINITY;
    this.#logEntry('start');
    this.#startedTimer = setTimeout(() => this.#sendStarted(), deps.startedReportGraceMs);
    this.#armDeadline();
    const context: JobContext = {
      signal: this.#controller.signal,
      progress: (data?: unknown) => this.#progress(data),
      attempt: job.attempt,
      env: job.env,
      job_id: job.job_id,
      tenant: job.tenant,
      token: job.token,
      worker_id: deps.workerId,
      started_at: this.startedAt,
      deadline_at: job.deadline_at,
    };
    this.settled = Promise.resolve()
      // A deadline already past at the start has finished the attempt: the handler is not run at all.
      .then(() => (this.#finished ? undefined : deps.handler(job, context)))
      .then(
        (value) => this.#finish(fromReturn(value), null),
        (error: unknown) => this.#finish(fromThrow(error), null),
      );
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Aborts the handler and reports the abort's outcome now (a handler that ignores its signal is not waited for). */
  abort(cause: AbortCause, detail: string): void {
    if (this.#finished) return;
    this.#controller.abort(new AttemptAbortedError(cause, detail));
    this.#finish(fromAbort(cause, detail), cause);
  }

  #finish(fields: OutcomeFields, abortedBy: AbortCause | null): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const timer of [this.#deadlineTimer, this.#startedTimer, this.#progressTimer]) {
      if (timer !== null) clearTimeout(timer);
    }
    const now = this.#deps.now();
    this.#logEntry(abortedBy === null ? 'complete' : 'abort', fields.status, abortedBy ?? undefined);
    const report: ReportMessage = {
      ...this.#reportBase('result', now),
      ...fields,
      execution_ms: Math.max(0, now - this.startedAt),
    };
    this.#deps.reporter.send(this.job.result_subject, report);
    this.#deps.onFinish();
  }

  #sendStarted(): void {
    this.#startedTimer = null;
    if (this.#finished) return;
    this.#deps.reporter.send(this.job.result_subject, this.#reportBase('started', this.#deps.now()));
  }

  #armDeadline(): void {
    this.#deadlineTimer = null;
    if (this.#finished) return;
    const job = this.job;
    const due = Math.min(this.#runningDeadline, job.deadline_at ?? Number.POSITIVE_INFINITY);
    if (due === Number.POSITIVE_INFINITY) return;
    const wait = due - this.#deps.now();
    if (wait <= 0) {
      const which =
        job.deadline_at !== null && job.deadline_at <= this.#runningDeadline
          ? `the job's deadline (${new Date(job.deadline_at).toISOString()}) passed`
          : `the attempt ran ${job.running_ms} ms without progress`;
      this.abort('deadline', which);
      return;
    }
    // Progress may push the running deadline out: re-check when the timer fires instead of re-arming on each call.
    this.#deadlineTimer = setTimeout(() => this.#armDeadline(), Math.min(wait, MAX_TIMER_MS));
  }

  #progress(data: unknown): void {
    if (this.#finished) return;
    const now = this.#deps.now();
    if (this.job.running_ms > 0) this.#runningDeadline = now + this.job.running_ms;
    this.#pendingProgress = { data };
    const wait = this.#progressSentAt + this.#deps.progressIntervalMs - now;
    if (wait <= 0) this.#sendProgress();
    // Throttled: the latest progress goes out when the interval is over.
    else this.#progressTimer ??= setTimeout(() => this.#sendProgress(), wait);
  }

  #sendProgress(): void {
    this.#progressTimer = null;
    const pending = this.#pendingProgress;
    if (this.#finished || pending === null) return;
    this.#pendingProgress = null;
    this.#progressSentAt = this.#deps.now();
    const job = this.job;
    const message: ProgressMessage = {
      job_id: job.job_id,
      tenant: job.tenant,
      attempt: job.attempt,
      token: job.token,
      worker_id: this.#deps.workerId,
      ...(pending.data === undefined ? {} : { progress: pending.data }),
    };
    this.#deps.transport.publish(job.progress_subject, message);
  }

  #reportBase(type: ReportMessage['type'], now: number): ReportMessage {
    const job = this.job;
    return {
      type,
      job_id: job.job_id,
      tenant: job.tenant,
      attempt: job.attempt,
      token: job.token,
      worker_id: this.#deps.workerId,
      sent_at: now,
    };
  }

  #logEntry(event: ExecutionLogEntry['event'], status?: string, reason?: string): void {
    const job = this.job;
    this.#deps.log({
      event,
      job_id: job.job_id,
      tenant: job.tenant,
      attempt: job.attempt,
      token: job.token,
      worker_id: this.#deps.workerId,
      instance: this.#deps.instance,
      at: this.#deps.now(),
      ...(status === undefined ? {} : { status }),
      ...(reason === undefined ? {} : { reason }),
    });
  }
}
