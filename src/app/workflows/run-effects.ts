/**
 * The effects of a run event (ARCHITECTURE.md section 5: the event log is the outbox): the step jobs
 * its `job_scheduled` changes name are created, the ones in its `stop_jobs` stopped. The process
 * manager performs them right after appending a decision of its own (so a step job starts without
 * waiting for the event to come back), and again whenever it reads a run event from the partition's
 * stream — the only way the effects of decisions made elsewhere (the API's approvals, the
 * reconciler's timers) happen, and what repairs a crash between an append and its effects. Concurrent
 * calls for one event share the work (the effect registry); events whose effects are done in this
 * process are remembered for a while, so the read-back usually costs nothing.
 *
 * The crash point `workflows.after_decision_before_job_create` sits where a decision is recorded and
 * its step jobs are not created yet, on both paths.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { JobScheduled, RunEvent } from '../../domain/workflow/run-events.ts';
import type { StartedRuntime } from '../jobs/create-runtime.ts';
import type { RunRepository } from './run-repository.ts';
import { createStepJob, stopStepJob } from './step-jobs.ts';

/** The crash point between a process manager's run decision and the creation of its step jobs. */
export const AFTER_DECISION_BEFORE_JOB_CREATE = 'workflows.after_decision_before_job_create';

export interface EffectCounters {
  created: number;
  existing: number;
  rejected: number;
  stopped: number;
}

export class RunEffects {
  readonly counters: EffectCounters = { created: 0, existing: 0, rejected: 0, stopped: 0 };
  readonly #rt: StartedRuntime;
  readonly #runs: RunRepository;
  readonly #done = new RecentIds(20_000);

  constructor(rt: StartedRuntime, runs: RunRepository) {
    this.#rt = rt;
    this.#runs = runs;
  }

  /** After this process appended `event`: the event's effects at once. */
  async afterDecision(event: StoredEvent | null): Promise<void> {
    if (event !== null) await this.perform(event);
  }

  /** Performs the effects of a stored run event; idempotent, and safe to call for any run event. */
  perform(event: StoredEvent): Promise<void> {
    if (this.#done.has(event.id)) return Promise.resolve();
    return this.#rt.effects.run(`run-effects:${event.id}`, async () => {
      if (this.#done.has(event.id)) return;
      await this.#perform(event);
      this.#done.add(event.id);
    });
  }

  async #perform(event: StoredEvent): Promise<void> {
    const data = event.data as RunEvent['data'];
    const creations = data.changes.filter((change): change is JobScheduled => change.type === 'job_scheduled');
    if (creations.length === 0 && data.stop_jobs.length === 0) return;
    if (creations.length > 0) this.#rt.crash.hit(AFTER_DECISION_BEFORE_JOB_CREATE);
    const loaded = await this.#runs.load(streamId('run', event.tenant, data.keys.run_id), { atLeast: event.position });
    const run = loaded.state;
    if (run.status === 'NONE') throw new Error(`run ${data.keys.run_id} has events but no state`);
    const reason = `stopped by run ${data.keys.run_id} (${event.type})`;
    // Every effect is tried before a failure is reported, so a retry repeats only what is left.
    const results = await Promise.allSettled([
      ...data.stop_jobs.map(async (job) => {
        await stopStepJob(this.#rt, run, job, reason);
        this.counters.stopped++;
      }),
      ...creations.map(async (change) => {
        const outcome = await createStepJob(this.#rt, run, change);
        if (outcome === 'created') this.counters.created++;
        else if (outcome === 'exists') this.counters.existing++;
        else if (outcome === 'rejected') this.counters.rejected++;
      }),
    ]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}

/** A bounded set of ids, forgetting the oldest first. */
class RecentIds {
  readonly #ids = new Set<string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > this.#max) {
      const oldest = this.#ids.values().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }
}
