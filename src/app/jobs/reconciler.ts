/**
 * The reconciler (SPEC 1.7), one active at a time under a lease. Each pass reads the due index as a
 * hint, reloads every due job and acts on the job itself:
 *   - an attempt past its dispatch or running deadline, a job past its overall deadline, an approval
 *     past its expiry → recorded through the decider (`CheckTimers`), with bounded retries and backoff;
 *   - a PENDING job that is due (retry time, run_at, a wait queue's safety net) → the scheduler owning
 *     its partition is woken on `sys.job.due.<p>` (the scheduler dispatches);
 * and, less often, it takes retention snapshots of long-lived jobs and recounts tenant slots.
 */
import type { JobState } from '../../domain/job/state.ts';
import { isInFlight, isLive } from '../../domain/job/state.ts';
import { partitionOf, streamId } from '../../domain/shared/stream.ts';
import { DUE_KEY, parseDueMember } from '../../projections/jobs-due/projection.ts';
import { LeasedLoop } from '../coordination/leased-loop.ts';
import type { LeaseStore } from '../ports.ts';
import { executeJob } from './job-repository.ts';
import { reevaluateApprovals, takeRetentionSnapshots } from './maintenance.ts';
import type { JobRuntime } from './runtime.ts';
import { type JobLogFields, jobLogFields } from '../log-fields.ts';

export interface ReconcilerOptions {
  readonly owner: string;
  readonly intervalMs?: number;
  readonly batch?: number;
  readonly leaseTtlMs?: number;
  /** Jobs whose history starts this long ago get a snapshot (half the hot window); 0 = never. */
  readonly snapshotAfterMs?: number;
  /** How often to recount tenant slots. */
  readonly recountEveryMs?: number;
  /** How often to take retention snapshots and re-evaluate approvals under changed rules. */
  readonly maintenanceEveryMs?: number;
  /**
   * How long past its due time a job is left to the process that owns it before the reconciler looks
   * (default 1 s). A due PENDING job is the scheduler's to dispatch: without this grace every pass
   * would read back the jobs submitted since the read model's last update, only to find them moving.
   * Timeouts are the reconciler's own, so they fire up to this (plus one interval) late.
   */
  readonly dueGraceMs?: number;
}

export interface ReconcilerStats {
  passes: number;
  timeouts: number;
  expired: number;
  woken: number;
  snapshots: number;
  slotsRepaired: number;
  reevaluated: number;
  failures: number;
}

export class Reconciler {
  readonly stats: ReconcilerStats = {
    passes: 0,
    timeouts: 0,
    expired: 0,
    woken: 0,
    snapshots: 0,
    slotsRepaired: 0,
    reevaluated: 0,
    failures: 0,
  };
  readonly #rt: JobRuntime;
  readonly #batch: number;
  readonly #recountEvery: number;
  /** When each job was last woken: a job that stays due is not woken on every pass. */
  readonly #woken = new Map<string, number>();
  readonly #loop: LeasedLoop;
  #lastRecount = 0;
  #lastMaintenance = 0;
  readonly #snapshotAfter: number;
  readonly #maintenanceEvery: number;
  readonly #dueGrace: number;

  constructor(rt: JobRuntime, leases: LeaseStore, options: ReconcilerOptions) {
    this.#rt = rt;
    this.#batch = options.batch ?? 500;
    this.#recountEvery = options.recountEveryMs ?? 30_000;
    this.#snapshotAfter = options.snapshotAfterMs ?? 0;
    this.#maintenanceEvery = options.maintenanceEveryMs ?? 10_000;
    this.#dueGrace = options.dueGraceMs ?? 1_000;
    this.#loop = new LeasedLoop({
      lease: 'reconciler',
      owner: options.owner,
      leases,
      intervalMs: options.intervalMs ?? 250,
      leaseTtlMs: options.leaseTtlMs ?? 6_000,
      pass: () => this.#step(),
      onError: (error) => {
        this.stats.failures++;
        this.#rt.log.error({ err: error }, 'reconciler pass failed');
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

  /** Retention snapshots and approval re-evaluation (also run periodically). */
  async maintain(): Promise<void> {
    const snapshots = await takeRetentionSnapshots(this.#rt, this.#snapshotAfter);
    const reevaluated = await reevaluateApprovals(this.#rt);
    this.stats.snapshots += snapshots;
    this.stats.reevaluated += reevaluated;
    for (let i = 0; i < snapshots; i++) this.#rt.metrics.reconcilerAction('snapshot');
    for (let i = 0; i < reevaluated; i++) this.#rt.metrics.reconcilerAction('reevaluated');
  }

  /** One pass, for tests: what was due a grace ago is handled before it returns. */
  async pass(): Promise<void> {
    await this.#handleDue();
  }

  async #step(): Promise<void> {
    await this.#handleDue();
    if (this.#rt.clock.now() - this.#lastRecount >= this.#recountEvery) {
      this.#lastRecount = this.#rt.clock.now();
      await this.#recountSlots();
    }
    if (this.#rt.clock.now() - this.#lastMaintenance >= this.#maintenanceEvery) {
      this.#lastMaintenance = this.#rt.clock.now();
      await this.maintain();
    }
  }

  async #handleDue(): Promise<void> {
    this.stats.passes++;
    const ns = await this.#rt.readModels.namespace('jobs_due');
    if (ns === null) return;
    const now = this.#rt.clock.now();
    const due = await this.#rt.readModels.store.range(ns, DUE_KEY, {
      order: 'asc',
      max: now - this.#dueGrace,
      limit: this.#batch,
    });
    const wake = new Map<number, { tenant: string; job_id: string }[]>();
    await Promise.all(
      due.map(async (entry) => {
        const { tenant, jobId } = parseDueMember(entry.member);
        const stream = streamId('job', tenant, jobId);
        const job = await this.#rt.jobs.load(stream, { fresh: true });
        if (!isLive(job.state)) return;
        if (needsTimerDecision(job.state, now)) {
          await this.#checkTimers(stream, jobLogFields(job.state.request));
          return;
        }
        if (job.state.status === 'PENDING' && job.state.due_at <= now) {
          const key = entry.member;
          const last = this.#woken.get(key) ?? 0;
          if (now - last < 5_000) return;
          this.#woken.set(key, now);
          const partition = partitionOf(stream, this.#rt.options.partitions);
          wake.set(partition, [...(wake.get(partition) ?? []), { tenant, job_id: jobId }]);
        }
      }),
    );
    for (const [partition, jobs] of wake) {
      this.stats.woken += jobs.length;
      for (let i = 0; i < jobs.length; i++) this.#rt.metrics.reconcilerAction('woken');
      this.#rt.bus.publish(this.#rt.subjects.due(partition), { jobs });
    }
    if (this.#woken.size > 100_000) this.#woken.clear();
  }

  async #checkTimers(stream: ReturnType<typeof streamId>, logFields: JobLogFields): Promise<void> {
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        const executed = await executeJob(
          this.#rt.jobs,
          stream,
          () => ({ type: 'CheckTimers', now: this.#rt.clock.now(), jitter: this.#rt.entropy.random() }),
          { actor: 'reconciler' },
        );
        if (executed instanceof Error) throw executed;
        const type = executed.appended?.type;
        if (type === 'JobAttemptTimedOut') {
          this.stats.timeouts++;
          this.#rt.metrics.reconcilerAction('timeout');
        }
        if (type === 'JobApprovalExpired') {
          this.stats.expired++;
          this.#rt.metrics.reconcilerAction('approval_expired');
        }
        return;
      } catch (error) {
        this.stats.failures++;
        this.#rt.log.warn({ ...logFields, attempt, err: error }, 'reconciler could not record a timer; retrying');
        // Bounded retries with backoff; what is left waits for the next pass.
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  async #recountSlots(): Promise<void> {
    for (const tenant of await this.#rt.slots.tenants()) {
      const holders = await this.#rt.slots.holders(tenant);
      const live = new Set<string>();
      for (const jobId of holders) {
        const job = await this.#rt.jobs.load(streamId('job', tenant, jobId), { fresh: true });
        if (isInFlight(job.state)) live.add(jobId);
      }
      const dropped = await this.#rt.slots.retain(tenant, (jobId) => live.has(jobId));
      if (dropped.length > 0) {
        this.stats.slotsRepaired += dropped.length;
        for (let i = 0; i < dropped.length; i++) this.#rt.metrics.reconcilerAction('slot_repaired');
        this.#rt.log.warn({ tenant, dropped }, 'released tenant slots held by jobs no longer in flight');
        this.#rt.bus.publish(this.#rt.subjects.tenantFreed(tenant), { tenant });
      }
    }
  }
}

/** Whether the reconciler itself records what is due (a timeout or an expiry), rather than waking the scheduler. */
function needsTimerDecision(state: JobState, now: number): boolean {
  if (!isLive(state) || state.due_at > now) return false;
  if (state.deadline_at !== null && now >= state.deadline_at) return true;
  return state.status !== 'PENDING';
}
