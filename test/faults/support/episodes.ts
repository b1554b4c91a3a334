/**
 * Fault episodes: steady load on a bed, one seeded fault injected while it runs, every process healed,
 * then the invariant checker at quiescence. The faults here are the list (9.1); each takes the
 * bed, a seeded random source and the load's stats. A line per episode goes to the console and to
 * `$TMPDIR/coretex-fault-matrix.jsonl` (the matrix the report is built from).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { waitFor } from '../../harness/wait-for.ts';
import type { FaultBed } from './bed.ts';
import { LEASE_TTL_MS, TIMEOUTS } from './bed.ts';
import type { InvariantChecker, Verdict } from './invariants.ts';
import { type LoadStats, newLoadStats, seeded, steadyLoad } from './load.ts';

export const MATRIX_FILE = join(tmpdir(), 'coretex-fault-matrix.jsonl');

/** Full suite (`npm run test:faults`) or the CI subset inside `npm test`. */
export const FULL = process.env.CORETEX_FAULT_SUITE === 'full';

/**
 * What a fault did: a line for the record, and for a crash-point fault whether the process really died
 * at its point (an armed point may not be reached in an episode; null for faults without a crash point).
 */
export interface FaultOutcome {
  readonly what: string;
  readonly crashed: boolean | null;
  /** Measurements of the fault for the record (a server stop's duration, stream heads around it). */
  readonly detail?: Record<string, unknown>;
  /** What the fault itself saw go wrong (an acknowledged append gone): fails the episode like the checker's. */
  readonly problems?: readonly string[];
  /** Every job and run must have ended this soon after the fault (a stalled control plane fails it). */
  readonly resumeWithinMs?: number;
}

export type Fault = (bed: FaultBed, random: () => number) => Promise<FaultOutcome>;

const did = (what: string): FaultOutcome => ({ what, crashed: null });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A moment inside the load window, so the fault lands while submissions and executions are in flight. */
const someMoment = (random: () => number, from: number, to: number) => sleep(from + Math.floor(random() * (to - from)));

export const CRASH_POINTS = {
  'scheduler.after_accept_before_append': [1, 20],
  'projector.before_commit': [1, 12],
  'projector.after_commit_before_next_fetch': [1, 12],
  'workflows.after_decision_before_job_create': [1, 3],
  // Hit once per archive write (a flush of finished histories): only on a bed that archives (ARCHIVING).
  'archiver.after_write_before_event': [1, 3],
} as const;
export type CrashPoint = keyof typeof CRASH_POINTS;

/** How long an armed engine is given to reach its point (the load goes on meanwhile). */
const CRASH_WAIT_MS = 20_000;

/**
 * The engine (and, for the projector's points, the probe) restarted armed at `point@n`; waits for the
 * engine to die there and restarts it unarmed. The load keeps running until this returns, so the point
 * is reached in all but a starved episode; one that is not is recorded as `crashed: false`, and the
 * suite runs episodes until the point has really crashed often enough (suite.ts).
 */
export function crashAt(point: CrashPoint): Fault {
  return async (bed, random) => {
    const [low, high] = CRASH_POINTS[point];
    const nth = low + Math.floor(random() * (high - low + 1));
    const armed = { CORETEX_CRASH_AT: `${point}@${nth}` };
    await bed.engine?.stop();
    const engine = await bed.startEngine(armed);
    const probe = point.startsWith('projector.');
    if (probe) {
      await bed.killProbe();
      bed.startProbe(armed);
    }
    const crashed = await waitFor('the crash', () => engine.child.signalCode === 'SIGKILL', {
      timeoutMs: CRASH_WAIT_MS,
      intervalMs: 20,
    }).catch(() => false);
    if (crashed === false) {
      await bed.engine?.stop();
      await bed.startEngine();
      if (probe) {
        await bed.killProbe();
        bed.startProbe();
      }
      return { what: `${point}@${nth}: not reached in ${CRASH_WAIT_MS / 1000} s`, crashed: false };
    }
    expect(engine.output()).toContain(`crash point ${point}`);
    await bed.startEngine();
    if (probe) {
      await bed.killProbe();
      bed.startProbe();
    }
    return { what: `${point}@${nth}: crashed`, crashed: true };
  };
}

export const killCoretex: Fault = async (bed, random) => {
  await someMoment(random, 300, 2_000);
  if (random() < 0.5) {
    await bed.killApi();
    await bed.startApi();
    return did('SIGKILL api');
  }
  if (bed.hasSecondEngine && random() < 0.5) {
    await bed.killSecondEngine();
    // The survivor takes the dead one's partitions once their leases expire; then the restart takes
    // its share back.
    await sleep(LEASE_TTL_MS * 2);
    await bed.startSecondEngine();
    return did('SIGKILL engine 2');
  }
  await bed.killEngine();
  if (bed.hasSecondEngine) await sleep(LEASE_TTL_MS * 2);
  await bed.startEngine();
  return did('SIGKILL engine');
};

export const killWorker: Fault = async (bed, random) => {
  await someMoment(random, 500, 2_000);
  const busy = bed.executions().length;
  await bed.killWorker(Math.floor(random() * 2));
  return did(`SIGKILL worker (${busy} executions logged before)`);
};

/** Jobs end within ~9 s of a nats-server restart (≤ 8.6 s in 37 episodes); they took 40-50 s when stalled. */
const RESUME_AFTER_NATS_MS = 25_000;

/** How long a graceful nats-server stop may take before the bed gives up on it (it takes ~0.1 s). */
const NATS_GRACE_MS = 30_000;

/**
 * nats-server stopped and started again on its store, while the load runs: gracefully (SIGTERM, and
 * the bed waits for it to exit: a stop that had to be forced is a failed fault, not a restart) or
 * killed (SIGKILL). Either way every acknowledged append must survive: nats-server 2.9 writes each
 * message to its block file before it acknowledges it, and the OS keeps what a killed process wrote
 * (only an OS crash or power cut can lose the writes not yet synced: docs/deploy.md). The streams'
 * heads are read just before the stop and after the restart; a head that went back is a lost append.
 */
function natsStop(signal: 'SIGTERM' | 'SIGKILL'): Fault {
  return async (bed, random) => {
    await someMoment(random, 300, 1_500);
    const before = await bed.streamHeads();
    const stop = await bed.nats.restart(signal, { graceMs: NATS_GRACE_MS });
    const after = await waitFor('JetStream to answer after the restart', () => bed.streamHeads(), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    const wentBack = Object.keys(before).filter((type) => (after[type] ?? 0) < (before[type] ?? 0));
    const problems = [
      ...wentBack.map((type) => `${type} stream head went back across the restart: ${before[type]} → ${after[type]}`),
      ...(stop?.escalated === true ? [`nats-server ignored SIGTERM for ${NATS_GRACE_MS} ms and was SIGKILLed`] : []),
    ];
    // Readers recreate their consumers within seconds (ordered-reader.ts); a stall like the ~40 s one
    // they had with nats.js's 30 s pull expiry fails the episode.
    const how = signal === 'SIGKILL' ? 'SIGKILLed' : `stopped (SIGTERM, exited in ${stop?.ms} ms)`;
    return {
      what: `nats-server ${how} and restarted on its store; stream heads ${wentBack.length === 0 ? 'kept' : 'WENT BACK'}`,
      crashed: null,
      detail: { stop, heads_before: before, heads_after: after },
      problems,
      resumeWithinMs: RESUME_AFTER_NATS_MS,
    };
  };
}

export const restartNats: Fault = natsStop('SIGTERM');
export const killNats: Fault = natsStop('SIGKILL');

export const wipeRedis: Fault = async (bed, random) => {
  await someMoment(random, 300, 1_500);
  await bed.redis.restart();
  return did('redis-server restarted empty');
};

export const kernelOutage: Fault = async (bed, random) => {
  await someMoment(random, 200, 1_000);
  const mode = random() < 0.5 ? 'hang' : 'error';
  bed.setKernel(mode);
  await sleep(1_500);
  bed.setKernel('ok');
  return did(`remote kernel ${mode}s for 1.5 s`);
};

export const clockJump: Fault = async (bed, random) => {
  await someMoment(random, 200, 1_000);
  const forward = random() < 0.6;
  const offset = forward
    ? TIMEOUTS.running_ms + 500 + Math.floor(random() * 2_000)
    : -(5_000 + Math.floor(random() * 5_000));
  writeFileSync(bed.clockFile, String(offset));
  await sleep(1_500);
  writeFileSync(bed.clockFile, '0');
  return did(`reconciler clock ${offset > 0 ? '+' : ''}${offset} ms for 1.5 s`);
};

export interface EpisodeResult {
  readonly fault: string;
  readonly seed: number;
  readonly what: string;
  /** For a crash-point fault: did the process die at its point in this episode (null: no crash point). */
  readonly crashed: boolean | null;
  readonly verdict: Verdict;
  readonly ms: number;
}

/** Runs one episode and asserts the invariants; the episode's jobs add to the bed's running totals. */
export async function episode(
  bed: FaultBed,
  checker: InvariantChecker,
  stats: LoadStats,
  options: { fault: string; seed: number; inject: Fault; perSecond?: number; durationMs?: number },
): Promise<EpisodeResult> {
  const started = Date.now();
  const before = { jobs: stats.jobs.size, runs: stats.runs.length };
  const random = seeded(options.seed * 7919 + 17);
  let outcome: FaultOutcome = { what: '', crashed: null };
  await steadyLoad(
    bed,
    { seed: options.seed, perSecond: options.perSecond ?? 15, durationMs: options.durationMs ?? 2_500, stats },
    async () => {
      outcome = await options.inject(bed, random);
    },
  );
  await bed.heal();
  await bed.ready();
  const verdict = await checker.check(stats);
  const { what, crashed, detail } = outcome;
  const faultProblems = [
    ...(outcome.problems ?? []),
    ...(outcome.resumeWithinMs !== undefined && verdict.quiescedMs > outcome.resumeWithinMs
      ? [`jobs and runs took ${verdict.quiescedMs} ms to end after the fault (more than ${outcome.resumeWithinMs} ms)`]
      : []),
  ];
  const result = { fault: options.fault, seed: options.seed, what, crashed, verdict, ms: Date.now() - started };
  const line = {
    fault: options.fault,
    seed: options.seed,
    what,
    crashed,
    ...(detail === undefined ? {} : { detail }),
    new_jobs: stats.jobs.size - before.jobs,
    new_runs: stats.runs.length - before.runs,
    refused: stats.refused,
    total_jobs: verdict.jobs,
    total_runs: verdict.runs,
    step_jobs: verdict.stepJobs,
    events: verdict.events,
    archived: verdict.archived,
    lost: verdict.lost.length,
    duplicated: verdict.duplicated.length,
    diverged: verdict.diverged.length,
    over_budget: verdict.overBudget.length,
    fault_problems: faultProblems.length,
    max_events_happy: verdict.maxEventsHappy,
    max_events_retried: verdict.maxEventsRetried,
    states: verdict.states,
    quiesced_ms: verdict.quiescedMs,
    dlq_wait_ms: verdict.dlqWaitMs,
    caught_up_ms: verdict.caughtUpMs,
    ms: result.ms,
  };
  appendFileSync(MATRIX_FILE, `${JSON.stringify(line)}\n`);
  console.log(`fault episode ${JSON.stringify(line)}`);
  const problems = [
    ...faultProblems,
    ...verdict.lost,
    ...verdict.duplicated,
    ...verdict.diverged,
    ...verdict.overBudget,
  ];
  if (problems.length > 0) {
    const file = join(tmpdir(), `coretex-fault-${options.fault}-${options.seed}.log`);
    writeFileSync(file, `${problems.join('\n')}\n${bed.outputs()}`);
    console.log(`fault episode failed: problems and process outputs in ${file}`);
  }
  expect(problems.slice(0, 20), `${options.fault} seed ${options.seed} (${what})`).toEqual([]);
  expect(stats.jobs.size - before.jobs, 'jobs accepted in the episode').toBeGreaterThan(0);
  expect(verdict.maxEventsHappy).toBeLessThanOrEqual(4);
  return result;
}

export { newLoadStats };
