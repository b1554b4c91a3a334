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
import type { Lease, LeaseStore } from '../ports.ts';
import { loadCurrent } from './execute-current.ts';
import { executeRun } from './run-repository.ts';
import type { WorkflowRuntime } from './runtime.ts';

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
  readonly #leases: LeaseStore;
  readonly #owner: string;
  readonly #interval: number;
  readonly #batch: number;
  readonly #ttl: number;
  readonly #attempts: number;
  /** Since when each run has been due only for a scheduling pass (see `#graceOver`). */
  readonly #passDue = new Map<string, { readonly position: number; readonly since: number }>();
  #lease: Lease | null = null;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(wrt: WorkflowRuntime, leases: LeaseStore, options: RunReconcilerOptions) {
    this.#wrt = wrt;
    this.#leases = leases;
    this.#owner = options.owner;
    this.#interval = options.intervalMs ?? 250;
    this.#batch = options.batch ?? 500;
    this.#ttl = options.leaseTtlMs ?? 6_000;
    this.#attempts = options.attempts ?? 4;
  }

  get active(): boolean {
    return this.#lease !== null;
  }

  start(): void {
    const loop = () => {
      if (this.#stopped) return;
      this.#tick = this.#step().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(loop, this.#interval);
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#tick;
    if (this.#lease !== null) await this.#leases.release(this.#lease).catch(() => false);
    this.#lease = null;
  }

  /** One pass, for tests: what is due now is handled before it returns. */
  async pass(): Promise<void> {
    await this.#handleDue();
  }

  async #step(): Promise<void> {
    try {
      this.#lease =
        this.#lease === null
          ? await this.#leases.acquire(RUN_RECONCILER_LEASE, this.#owner, this.#ttl)
          : await this.#leases.renew(this.#lease, this.#ttl);
      if (this.#lease === null) return;
      await this.#handleDue();
    } catch (error) {
      this.stats.failures++;
      this.#wrt.rt.log.error({ err: error }, 'run reconciler pass failed');
    }
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
        await this.#fire(stream);
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

  async #fire(stream: StreamId): Promise<void> {
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
        if (executed.appended !== null) this.stats.fired++;
        return;
      } catch (error) {
        this.stats.failures++;
        this.#wrt.rt.log.warn({ run_id: stream.id, attempt, err: error }, 'could not record a run timer; retrying');
        if (attempt < this.#attempts) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}
