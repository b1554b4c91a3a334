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

export type Fault = (bed: FaultBed, random: () => number) => Promise<string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A moment inside the load window, so the fault lands while submissions and executions are in flight. */
const someMoment = (random: () => number, from: number, to: number) => sleep(from + Math.floor(random() * (to - from)));

export const CRASH_POINTS = {
  'scheduler.after_accept_before_append': [1, 20],
  'projector.before_commit': [1, 12],
  'projector.after_commit_before_next_fetch': [1, 12],
  'workflows.after_decision_before_job_create': [1, 3],
} as const;
export type CrashPoint = keyof typeof CRASH_POINTS;

/**
 * The engine (and, for the projector's points, the probe) restarted armed at `point@n`; waits for the
 * engine to die there and restarts it unarmed. Returns what happened (the point may not be reached in
 * the window: then no crash is claimed).
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
      timeoutMs: 20_000,
      intervalMs: 20,
    }).catch(() => false);
    if (crashed === false) {
      await bed.engine?.stop();
      await bed.startEngine();
      return `${point}@${nth}: not reached`;
    }
    expect(engine.output()).toContain(`crash point ${point}`);
    await bed.startEngine();
    if (probe) {
      await bed.killProbe();
      bed.startProbe();
    }
    return `${point}@${nth}: crashed`;
  };
}

export const killCoretex: Fault = async (bed, random) => {
  await someMoment(random, 300, 2_000);
  if (random() < 0.5) {
    await bed.killApi();
    await bed.startApi();
    return 'SIGKILL api';
  }
  if (bed.hasSecondEngine && random() < 0.5) {
    await bed.killSecondEngine();
    // The survivor takes the dead one's partitions once their leases expire; then the restart takes
    // its share back.
    await sleep(LEASE_TTL_MS * 2);
    await bed.startSecondEngine();
    return 'SIGKILL engine 2';
  }
  await bed.killEngine();
  if (bed.hasSecondEngine) await sleep(LEASE_TTL_MS * 2);
  await bed.startEngine();
  return 'SIGKILL engine';
};

export const killWorker: Fault = async (bed, random) => {
  await someMoment(random, 500, 2_000);
  const busy = bed.executions().length;
  await bed.killWorker(Math.floor(random() * 2));
  return `SIGKILL worker (${busy} executions logged before)`;
};

export const restartNats: Fault = async (bed, random) => {
  await someMoment(random, 300, 1_500);
  await bed.nats.restart();
  return 'nats-server restarted (same store)';
};

export const wipeRedis: Fault = async (bed, random) => {
  await someMoment(random, 300, 1_500);
  await bed.redis.restart();
  return 'redis-server restarted empty';
};

export const kernelOutage: Fault = async (bed, random) => {
  await someMoment(random, 200, 1_000);
  const mode = random() < 0.5 ? 'hang' : 'error';
  bed.setKernel(mode);
  await sleep(1_500);
  bed.setKernel('ok');
  return `remote kernel ${mode}s for 1.5 s`;
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
  return `reconciler clock ${offset > 0 ? '+' : ''}${offset} ms for 1.5 s`;
};

export interface EpisodeResult {
  readonly fault: string;
  readonly seed: number;
  readonly what: string;
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
  let what = '';
  await steadyLoad(
    bed,
    { seed: options.seed, perSecond: options.perSecond ?? 15, durationMs: options.durationMs ?? 2_500, stats },
    async () => {
      what = await options.inject(bed, random);
    },
  );
  await bed.heal();
  await bed.ready();
  const verdict = await checker.check(stats);
  const result = { fault: options.fault, seed: options.seed, what, verdict, ms: Date.now() - started };
  const line = {
    fault: options.fault,
    seed: options.seed,
    what,
    new_jobs: stats.jobs.size - before.jobs,
    new_runs: stats.runs.length - before.runs,
    refused: stats.refused,
    total_jobs: verdict.jobs,
    total_runs: verdict.runs,
    step_jobs: verdict.stepJobs,
    events: verdict.events,
    lost: verdict.lost.length,
    duplicated: verdict.duplicated.length,
    diverged: verdict.diverged.length,
    over_budget: verdict.overBudget.length,
    max_events_happy: verdict.maxEventsHappy,
    max_events_retried: verdict.maxEventsRetried,
    states: verdict.states,
    quiesced_ms: verdict.quiescedMs,
    caught_up_ms: verdict.caughtUpMs,
    ms: result.ms,
  };
  appendFileSync(MATRIX_FILE, `${JSON.stringify(line)}\n`);
  console.log(`fault episode ${JSON.stringify(line)}`);
  const problems = [...verdict.lost, ...verdict.duplicated, ...verdict.diverged, ...verdict.overBudget];
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
