/**
 * The run reconciler (SPEC 2.2: every step has a timeout, so no run waits forever), one active at a
 * time under its own lease `reconciler.runs`. Each pass reads the `runs_due` index as a hint, reloads
 * every due run and, if it is due indeed, records `FireRunTimers` through the decider: attempt
 * deadlines (the attempt is stopped, then retried or timed out), delays done, approvals expired, the
 * run timeout — and a scheduling pass the process manager has not made within a grace period (a new
 * run's first, or one continuing a large fan-out's deferred units). A failed write is retried with bounded attempts and backoff, then left for the next
 * pass. The process manager owning the run's partition performs the event's effects when it reads it.
 */
import { type StreamId, streamId } from '../../domain/shared/stream.ts';
import { isLive, nextTimerAt, runDueAt } from '../../domain/workflow/run-state.ts';
import { parseRunDueMember, RUNS_DUE_KEY } from '../../projections/runs-due/projection.ts';
import { LeasedLoop } from '../coordination/leased-loop.ts';
import type { LeaseStore } from '../ports.ts';
import { loadCurrent } from './execute-current.ts';
import { executeRun } from './run-repository.ts';
import type { WorkflowRuntime } from './runtime.ts';
import { runLogFields } from '../log-fields.ts';

export interface RunReconcilerOptions {
  /** Unique per process incarnation. */
  readonly owner: string;
  readonly intervalMs?: number;
  readonly batch?: number;
  readonly leaseTtlMs?: number;
  /** Attempts to record one run's timers before leaving it for the next pass. */
  readonly attempts?: number;
}

export interface RunReconcilerStats {
  passes: number;
  fired: number;
  failures: number;
}

export const RUN_RECONCILER_LEASE = 'reconciler.runs';

export class RunReconciler {
  readonly stats: RunReconcilerStats = { passes: 0, fired: 0, failures: 0 };
  readonly #wrt: WorkflowRuntime;
  readonly #batch: number;
  readonly #attempts: number;
  readonly #loop: LeasedLoop;
  /** Since when each run has been due only for a scheduling pass (see `#graceOver`). */
  readonly #passDue = new Map<string, { readonly position: number; readonly since: number }>();

  constructor(wrt: WorkflowRuntime, leases: LeaseStore, options: RunReconcilerOptions) {
    this.#wrt = wrt;
    this.#batch = options.batch ?? 500;
    this.#attempts = options.attempts ?? 4;
    this.#loop = new LeasedLoop({
      lease: RUN_RECONCILER_LEASE,
      owner: options.owner,
      leases,
      intervalMs: options.intervalMs ?? 250,
      leaseTtlMs: options.leaseTtlMs ?? 6_000,
      pass: () => this.#handleDue(),
      onError: (error) => {
        this.stats.failures++;
        this.#wrt.rt.log.error({ err: error }, 'run reconciler pass failed');
      },
    });
  }

  get active(): boolean {
    return this.#loop.active;
  }

  start(): void {
    this.#loop.start();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One pass, for tests: what is due now is handled before it returns. */
  async pass(): Promise<void> {
    await this.#handleDue();
  }

  async #handleDue(): Promise<void> {
    this.stats.passes++;
    const readModels = this.#wrt.rt.readModels;
    const ns = await readModels.namespace('runs_due');
    if (ns === null) return;
    const now = this.#wrt.rt.clock.now();
    const due = await readModels.store.range(ns, RUNS_DUE_KEY, { order: 'asc', max: now, limit: this.#batch });
    await Promise.all(
      due.map(async (entry) => {
        const { tenant, runId } = parseRunDueMember(entry.member);
        const stream = streamId('run', tenant, runId);
        // The index is a hint: act on the run as it is (cached, unless it has moved since).
        const run = await loadCurrent(this.#wrt.runs, this.#wrt.rt.events, stream);
        if (!isLive(run.state)) return;
        const dueAt = runDueAt(run.state);
        if (dueAt === null || dueAt > now) return;
        const timer = run.state.status === 'PENDING' ? null : nextTimerAt(run.state);
        if ((timer === null || timer > now) && !this.#graceOver(entry.member, run.position, now)) return;
        this.#passDue.delete(entry.member);
        await this.#fire(stream, runLogFields(run.state));
      }),
    );
  }

  /**
   * A run due only for a scheduling pass — its first, or one continuing deferred units — is the
   * process manager's; the reconciler steps in once the run has stood still (same position) for the
   * grace period, so a fan-out the process manager is still starting is left to it.
   */
  #graceOver(key: string, position: number, now: number): boolean {
    const seen = this.#passDue.get(key);
    if (seen === undefined || seen.position !== position) {
      if (this.#passDue.size > 100_000) this.#passDue.clear();
      this.#passDue.set(key, { position, since: now });
      return false;
    }
    return now - seen.since >= this.#wrt.options.pendingGraceMs;
  }

  async #fire(stream: StreamId, logFields: ReturnType<typeof runLogFields>): Promise<void> {
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        const executed = await executeRun(
          this.#wrt.runs,
          this.#wrt.rt.events,
          stream,
          () => ({ type: 'FireRunTimers', now: this.#wrt.rt.clock.now() }),
          { actor: 'reconciler' },
        );
        if (executed instanceof Error) throw executed;
        if (executed.appended !== null) {
          this.stats.fired++;
          this.#wrt.rt.metrics.reconcilerAction('run_timers');
        }
        return;
      } catch (error) {
        this.stats.failures++;
        this.#wrt.rt.log.warn({ ...logFields, attempt, err: error }, 'could not record a run timer; retrying');
        if (attempt < this.#attempts) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}
