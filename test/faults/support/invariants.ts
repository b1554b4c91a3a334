/**
 * The fault suite's one invariant checker, run at quiescence after each episode (issue 9.1):
 *  1. every accepted job (and run) reaches exactly one terminal state — none still live once the
 *     control plane has run again for the longest timeout ("lost" otherwise);
 *  2. at most one execution per (job, attempt) completes, by the workers' execution logs ("duplicated");
 *  3. every job's and run's history, read from the stream and folded, gives the state the read model
 *     (the API's lists) shows, and every job the read model lists exists with that state ("diverged");
 *  4. the DLQ holds exactly the ad-hoc jobs that ended FAILED, TIMEOUT or DENIED;
 *  5. no event was applied twice to a read model (nor skipped): the probe projection's counter of
 *     every job and run event is exactly 1;
 *  6. events per job within the budget: ≤ 4 on the happy path (SUCCEEDED at the first attempt, never
 *     deferred, queued or handed off twice); other jobs may add 3 per extra attempt (failed or timed
 *     out, scheduled, dispatched), 2 per deferral or failed hand-off (deferred or hand-off failed,
 *     scheduled again) and 1 per wait in a queue (JobQueued: no capacity known yet, e.g. just after a
 *     restart, before the worker registry is read).
 * On a bed that archives, a finished job must also be archived exactly once (one `JobArchived`;
 * "lost" if never, "duplicated" if twice) and then be gone from the job lists; `JobArchived` is a
 * retention event, not counted in the budget.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { JetStreamEventStore } from '../../../src/adapters/jetstream/event-store.ts';
import { RedisReadModelStore } from '../../../src/adapters/redis/read-model-store.ts';
import { runDecider } from '../../../src/app/workflows/run-repository.ts';
import { evolve } from '../../../src/domain/job/evolve.ts';
import type { JobEvent } from '../../../src/domain/job/events.ts';
import { isTerminal } from '../../../src/domain/job/events.ts';
import { NO_JOB, type JobState } from '../../../src/domain/job/state.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import type { AggregateType } from '../../../src/domain/shared/stream.ts';
import type { RunEvent } from '../../../src/domain/workflow/run-events.ts';
import type { RunState } from '../../../src/domain/workflow/run-state.ts';
import { waitFor } from '../../harness/wait-for.ts';
import type { Answer } from '../../e2e/support/api.ts';
import { FAULT_PROBE } from './probe-projection.ts';
import { type FaultBed, LONGEST_JOB_MS } from './bed.ts';
import type { LoadStats } from './load.ts';

const RUN_TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT']);
const DLQ_STATES = new Set(['FAILED', 'TIMEOUT', 'DENIED']);
/** How long after quiescence a DLQ entry due may take to be listed. */
const DLQ_DEADLINE_MS = 30_000;

/** An ad-hoc job that ended FAILED, TIMEOUT or DENIED: it must have a DLQ entry. */
function deadLettered(state: JobState): boolean {
  return state.status !== 'NONE' && state.keys.run_id === null && DLQ_STATES.has(state.status);
}

export interface Verdict {
  readonly jobs: number;
  readonly runs: number;
  readonly stepJobs: number;
  readonly events: number;
  /** Jobs archived (on a bed that archives; else 0). */
  readonly archived: number;
  readonly lost: string[];
  readonly duplicated: string[];
  readonly diverged: string[];
  readonly overBudget: string[];
  /** Final states of the accepted ad-hoc jobs, by kind (`ok:SUCCEEDED`, `slow:TIMEOUT`, ...). */
  readonly states: Record<string, number>;
  readonly maxEventsHappy: number;
  readonly maxEventsRetried: number;
  readonly completedExecutions: number;
  /** How long the jobs and runs took to end after the episode, and the read models to catch up (ms). */
  readonly quiescedMs: number;
  /** From quiescence until every DLQ entry due was listed (or the deadline). */
  readonly dlqWaitMs: number;
  readonly caughtUpMs: number;
}

interface Folded<S> {
  readonly state: S;
  readonly events: StoredEvent[];
  /** Statuses after each event, to count entries into a terminal state. */
  readonly terminalEntries: number;
}

async function readStream(events: JetStreamEventStore, type: AggregateType): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let from = 1; ;) {
    const page = await events.readAll(type, { from, limit: 1000 });
    if (page.length === 0) return out;
    out.push(...page);
    from = (page[page.length - 1]?.position ?? from) + 1;
  }
}

function idOf(streamId: string): string {
  return streamId.slice(streamId.indexOf(':', streamId.indexOf(':') + 1) + 1);
}

function foldJobs(all: readonly StoredEvent[]): Map<string, Folded<JobState>> {
  const out = new Map<string, Folded<JobState>>();
  for (const event of all) {
    const id = idOf(event.stream_id);
    const before = out.get(id) ?? { state: NO_JOB, events: [], terminalEntries: 0 };
    const state = evolve(before.state, event as unknown as JobEvent);
    const entered = !isTerminalJob(before.state) && isTerminalJob(state) ? 1 : 0;
    const changedAfterEnd = isTerminalJob(before.state) && state.status !== before.state.status ? 1 : 0;
    out.set(id, {
      state,
      events: [...before.events, event],
      terminalEntries: before.terminalEntries + entered + changedAfterEnd,
    });
  }
  return out;
}

function isTerminalJob(state: JobState): boolean {
  return state.status !== 'NONE' && isTerminal(state.status);
}

function foldRuns(all: readonly StoredEvent[]): Map<string, Folded<RunState>> {
  const out = new Map<string, Folded<RunState>>();
  for (const event of all) {
    const id = idOf(event.stream_id);
    const before = out.get(id) ?? { state: runDecider.initial, events: [], terminalEntries: 0 };
    const state = runDecider.evolve(before.state, event as unknown as RunEvent);
    const wasEnded = RUN_TERMINAL.has(before.state.status);
    const entered = (!wasEnded && RUN_TERMINAL.has(state.status)) || (wasEnded && state.status !== before.state.status);
    out.set(id, {
      state,
      events: [...before.events, event],
      terminalEntries: before.terminalEntries + (entered ? 1 : 0),
    });
  }
  return out;
}

async function listAll<T>(bed: FaultBed, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: Answer<{ items: T[]; next_cursor: string | null }> = await bed
      .client()
      .get<{ items: T[]; next_cursor: string | null }>(
        `${path}${separator}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
    if (page.status !== 200) throw new Error(`${path}: ${page.status} ${JSON.stringify(page.body)}`);
    out.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return out;
}

function isArchived(state: JobState): boolean {
  return isTerminalJob(state) && 'archive_ref' in state && state.archive_ref !== null;
}

function notArchived(state: JobState): boolean {
  return isTerminalJob(state) && !isArchived(state);
}

/** A job's lifecycle events: `JobArchived` (retention, not the job's life) is left out. */
function lifecycle(events: readonly StoredEvent[]): StoredEvent[] {
  return events.filter((e) => e.type !== 'JobArchived');
}

function budgetOf(state: JobState, events: readonly StoredEvent[]): { happy: boolean; budget: number } {
  const attempts = 'attempts' in state && typeof state.attempts === 'number' ? state.attempts : 1;
  const deferrals = events.filter((e) => e.type === 'JobDeferred').length;
  const failedHandOffs = events.filter((e) => e.type === 'JobDispatchFailed').length;
  const queued = events.filter((e) => e.type === 'JobQueued').length;
  const happy = state.status === 'SUCCEEDED' && attempts <= 1 && deferrals + failedHandOffs + queued === 0;
  return { happy, budget: 4 + 3 * Math.max(0, attempts - 1) + 2 * (deferrals + failedHandOffs) + queued };
}

export class InvariantChecker {
  readonly #bed: FaultBed;
  #nc: NatsConnection | null = null;
  #events: JetStreamEventStore | null = null;
  #redis: Redis | null = null;

  constructor(bed: FaultBed) {
    this.#bed = bed;
  }

  async #open(): Promise<{ events: JetStreamEventStore; redis: Redis }> {
    if (this.#events === null || this.#redis === null) {
      this.#nc = await connect({ servers: this.#bed.nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
      this.#events = await JetStreamEventStore.open(this.#nc, {
        prefix: this.#bed.installation.prefix,
        partitions: 4,
        replicas: 1,
        // The installation's own window: opening the store sets the job stream's max age to it.
        hotWindowMs: this.#bed.hotWindowMs,
        maxBytes: -1,
        duplicateWindowMs: 30_000,
      });
      this.#redis = new Redis(this.#bed.redis.url, { maxRetriesPerRequest: null });
    }
    return { events: this.#events, redis: this.#redis };
  }

  /**
   * Waits for quiescence — every accepted job and run terminal in the event store (within the longest
   * timeout plus the restarts' slack), then every read model and the probe caught up with the streams —
   * and checks the invariants over everything this installation ever accepted.
   */
  async check(stats: LoadStats, extraSlackMs = 0): Promise<Verdict> {
    const { events, redis } = await this.#open();
    const deadline = LONGEST_JOB_MS + 30_000 + extraSlackMs;
    let jobs = new Map<string, Folded<JobState>>();
    let runs = new Map<string, Folded<RunState>>();
    const live = () => [
      ...new Set([
        ...[...stats.jobs.keys()].filter((id) => !isTerminalJob(jobs.get(id)?.state ?? NO_JOB)),
        ...stats.runs.filter((id) => !RUN_TERMINAL.has(runs.get(id)?.state.status ?? 'NONE')),
        // Step jobs of ended runs too: a run's end cancels its live step jobs.
        ...[...jobs].filter(([, j]) => j.state.status !== 'NONE' && !isTerminalJob(j.state)).map(([id]) => id),
        // On a bed that archives, every finished job is archived in the end.
        ...(this.#bed.archives ? [...jobs].filter(([, j]) => notArchived(j.state)).map(([id]) => id) : []),
      ]),
    ];
    let stillLive: string[] = [];
    const waitStarted = Date.now();
    await waitFor(
      'every accepted job and run to be terminal',
      async () => {
        jobs = foldJobs(await readStream(events, 'job'));
        runs = foldRuns(await readStream(events, 'run'));
        stillLive = live();
        return stillLive.length === 0;
      },
      { timeoutMs: deadline, intervalMs: 500 },
    ).catch(() => {});
    const lost = stillLive.map((id) => {
      const history = jobs.get(id)?.events ?? runs.get(id)?.events ?? [];
      const status = jobs.get(id)?.state.status ?? runs.get(id)?.state.status ?? 'absent';
      const archive = jobs.get(id) !== undefined && notArchived(jobs.get(id)?.state ?? NO_JOB) ? ', not archived,' : '';
      return `${id}: still ${status}${archive} after ${history.map((e) => `${e.type}@${e.time.slice(11, 23)}`).join(',')}`;
    });

    const quiescedMs = Date.now() - waitStarted;
    // A DLQ entry is the scheduler's reaction to a job's terminal event, so it follows that event; the
    // read models below can be at the streams' heads before it is appended (a partition's reader
    // restarting after nats-server came back). Waited for with a deadline, and the wait recorded: an
    // entry that never comes is still reported by check 4.
    const dlqDue = [...jobs].filter(([, job]) => deadLettered(job.state)).map(([id]) => id);
    await waitFor(
      'every failed, timed-out or denied ad-hoc job in the DLQ',
      async () => {
        const listed = new Set((await listAll<{ job_id: string }>(this.#bed, '/api/v1/dlq')).map((d) => d.job_id));
        return dlqDue.every((id) => listed.has(id));
      },
      { timeoutMs: DLQ_DEADLINE_MS, intervalMs: 200 },
    ).catch(() => {});
    const dlqWaitMs = Date.now() - waitStarted - quiescedMs;
    let [jobHead, runHead] = [0, 0];
    const storeBehind: string[] = [];
    const store = new RedisReadModelStore(redis, this.#bed.installation.prefix);
    let seen: unknown = null;
    await waitFor(
      'the read models and the probe to reach the streams’ heads',
      async () => {
        const readModels = await this.#bed.readModels();
        seen = readModels.status;
        if (!readModels.caughtUp) return false;
        const active = await store.activeVersion(FAULT_PROBE.name);
        if (active === null) return false;
        const ns = { projection: FAULT_PROBE.name, version: active.version };
        // The probe's checkpoints first, then the heads, on every look: a straggler may still append
        // (a late stop, an engine catching up after a restart), and heads only grow, so a checkpoint
        // past a head read after it means the stream lost events the probe had read. (Read the other
        // way round, an append applied between the two reads looked like a lost event: the "read model
        // ahead of its stream" once seen after nats-server restarts, when the engine was still
        // catching up long after the episode.)
        const [jobAt, runAt] = [await store.checkpoint(ns, 'job'), await store.checkpoint(ns, 'run')];
        [jobHead, runHead] = [await events.headPosition('job'), await events.headPosition('run')];
        if (jobAt > jobHead || runAt > runHead) {
          storeBehind.push(`probe at job ${jobAt}/run ${runAt}, streams' heads ${jobHead}/${runHead}`);
          return true;
        }
        seen = { probe: active, job: jobAt, run: runAt, jobHead, runHead };
        return jobAt === jobHead && runAt === runHead;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen ${JSON.stringify(seen)}`);
    });

    const caughtUpMs = Date.now() - waitStarted - quiescedMs - dlqWaitMs;
    const duplicated: string[] = [];
    const diverged: string[] = [...storeBehind];
    const overBudget: string[] = [];
    // 1. exactly one terminal state each.
    for (const [id, job] of jobs)
      if (job.terminalEntries > 1) duplicated.push(`${id}: ${job.terminalEntries} terminal entries`);
    for (const [id, run] of runs)
      if (run.terminalEntries > 1) duplicated.push(`run ${id}: ${run.terminalEntries} ends`);
    for (const id of stats.jobs.keys()) {
      const submitted = jobs.get(id)?.events.filter((e) => e.type === 'JobSubmitted').length ?? 0;
      if (submitted !== 1) (submitted === 0 ? lost : duplicated).push(`${id}: ${submitted} JobSubmitted`);
    }

    // 2. at most one completed execution per (job, attempt).
    const completes = new Map<string, number>();
    let completedExecutions = 0;
    for (const entry of this.#bed.executions()) {
      if (entry.event !== 'complete') continue;
      completedExecutions++;
      const key = `${String(entry.tenant)}/${entry.job_id}#${entry.attempt}`;
      completes.set(key, (completes.get(key) ?? 0) + 1);
    }
    for (const [key, count] of completes) if (count > 1) duplicated.push(`${key}: ${count} executions completed`);

    // 3. the read models show what the histories fold to.
    const listedJobs = await listAll<{ job_id: string; state: string }>(this.#bed, '/api/v1/jobs');
    const listed = new Map(listedJobs.map((j) => [j.job_id, j.state]));
    for (const [id, job] of jobs) {
      const archived = isArchived(job.state);
      if (archived && listed.has(id)) diverged.push(`${id}: archived, still listed as ${listed.get(id)}`);
      if (!archived && listed.get(id) !== job.state.status)
        diverged.push(`${id}: read model ${listed.get(id)} ≠ history ${job.state.status}`);
      const archivings = job.events.filter((e) => e.type === 'JobArchived').length;
      if (archivings > 1) duplicated.push(`${id}: archived ${archivings} times`);
    }
    for (const id of listed.keys()) if (!jobs.has(id)) diverged.push(`${id}: in the read model, not in the stream`);
    const listedRuns = new Map(
      (await listAll<{ run_id: string; status: string }>(this.#bed, '/api/v1/workflow-runs')).map((r) => [
        r.run_id,
        r.status,
      ]),
    );
    for (const [id, run] of runs) {
      if (listedRuns.get(id) !== run.state.status)
        diverged.push(`run ${id}: read model ${listedRuns.get(id)} ≠ history ${run.state.status}`);
    }
    for (const id of listedRuns.keys())
      if (!runs.has(id)) diverged.push(`run ${id}: in the read model, not in the stream`);

    // 4. the DLQ holds exactly the failed, timed-out and denied ad-hoc jobs.
    const dlq = new Set((await listAll<{ job_id: string }>(this.#bed, '/api/v1/dlq')).map((d) => d.job_id));
    for (const [id, job] of jobs) {
      const expected = deadLettered(job.state);
      if (expected !== dlq.has(id))
        diverged.push(`${id}: ${job.state.status}, ${dlq.has(id) ? 'in' : 'not in'} the DLQ`);
    }
    for (const id of dlq) if (!jobs.has(id)) diverged.push(`${id}: in the DLQ, not in the stream`);

    // 5. every event applied exactly once (probe counters).
    const active = await store.activeVersion(FAULT_PROBE.name);
    const ns = { projection: FAULT_PROBE.name, version: active?.version ?? 0 };
    const all = [...[...jobs.values()].flatMap((j) => j.events), ...[...runs.values()].flatMap((r) => r.events)];
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      const counts = await Promise.all(chunk.map((e) => store.get(ns, `n:${e.id}`)));
      chunk.forEach((event, k) => {
        if (counts[k] !== '1')
          diverged.push(`probe: event ${event.stream_id}@${event.position} applied ${counts[k] ?? 0} times`);
      });
    }

    // 6. events per job within the budget.
    let maxEventsHappy = 0;
    let maxEventsRetried = 0;
    const states: Record<string, number> = {};
    for (const [id, kind] of stats.jobs) {
      const job = jobs.get(id);
      if (job === undefined) continue;
      const key = `${kind}:${job.state.status}`;
      states[key] = (states[key] ?? 0) + 1;
      const events = lifecycle(job.events);
      const { happy, budget } = budgetOf(job.state, events);
      if (happy) maxEventsHappy = Math.max(maxEventsHappy, events.length);
      else maxEventsRetried = Math.max(maxEventsRetried, events.length);
      if (events.length > budget) {
        overBudget.push(`${id}: ${events.length} events > ${budget} (${events.map((e) => e.type).join(',')})`);
      }
    }
    const stepJobs = [...jobs.values()].filter((j) => j.state.status !== 'NONE' && j.state.keys.run_id !== null).length;
    return {
      jobs: stats.jobs.size,
      runs: stats.runs.length,
      stepJobs,
      events: all.length,
      archived: [...jobs.values()].filter((j) => isArchived(j.state)).length,
      lost,
      duplicated,
      diverged,
      overBudget,
      states,
      maxEventsHappy,
      maxEventsRetried,
      completedExecutions,
      quiescedMs,
      dlqWaitMs,
      caughtUpMs,
    };
  }

  async close(): Promise<void> {
    await this.#events?.close().catch(() => {});
    await this.#nc?.close().catch(() => {});
    this.#redis?.disconnect();
  }
}
