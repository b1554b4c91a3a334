/**
 * bench/e2e: the whole system end to end, open loop. A private `nats-server -js` (with its monitoring
 * port) and `redis-server`, `coretex start` (every role) as one process and `coretex worker --example`
 * processes (no-op) on pool `default`; HTTP submissions (`POST /api/v1/jobs`) at a constant rate,
 * scheduled by the clock, for a window at each rate of a series, stopping at the first rate whose
 * backlog grows (see lib/open-loop.ts). Completions are counted from the job events themselves (a
 * core NATS subscription on `<prefix>.job.>`, which sees what JetStream stores), and the latency of a
 * job is the time of its JobSucceeded event minus the time of its JobSubmitted event.
 * Per rate: achieved rate, HTTP answer and submit-to-success latency, projection lag (ms, stream → read model
 * checkpoint, and stream → `min_position` list answer; lib/projection-lag.ts), events per job (job stream head
 * / jobs), NATS messages per job (/varz in_msgs), Redis commands per job, CPU seconds per process, and
 * the event-loop delay and time in GC of the Coretex process serving the API (its /metrics;
 * lib/node-heap.ts; with `--split`, that process only).
 * Reference: BullMQ on the same Redis server (add + no-op worker, closed loop, and open loop at the
 * same rates), with Coretex's sustainable rate as a ratio of BullMQ's throughput.
 *
 *   npm run bench e2e -- [--duration 60] [--rates 250,500,1000,1500,2000] [--workers 2]
 *     [--max-parallel 64] [--partitions n] [--split] [--bullmq-jobs 20000] [--bullmq-concurrency 50]
 *     [--skip-bullmq] [--skip-bullmq-open-loop] [--env CORETEX_X=y ...]
 * `--split` runs Coretex as three processes (api; scheduler, workflows and reconciler; projector), so the
 * CPU table shows what each part costs per job; `--processes api,projector/scheduler,workflows,reconciler`
 * runs any split (role lists separated by `/`, the API in the first). `--env` passes settings (or
 * `NODE_OPTIONS`) to the Coretex processes.
 * (or BENCH_DURATION, BENCH_RATES, BENCH_BULLMQ_JOBS in the environment).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { poster } from './lib/http-poster.ts';
import { envArgs } from './lib/env-args.ts';
import { type Installation, METRICS_KEY, startInstallation } from './lib/installation.ts';
import { JobEvents } from './lib/job-events.ts';
import { type OpenLoopResult, type OpenLoopTarget, runOpenLoop } from './lib/open-loop.ts';
import { gcDelta, nodeRuntime } from './lib/node-heap.ts';
import { jobsCheckpointReader, lagSummary, startLagProbe } from './lib/projection-lag.ts';
import { type Child, spawnNode, waitUntil } from './lib/processes.ts';
import { cpuDelta, cpuSnapshot } from './lib/proc-stat.ts';
import { percentile, pipelined, printTable, type Row, writeResults } from './lib/report.ts';
import { counters, eventStreamName, redisCommands } from './lib/server-counters.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '60' },
    rates: { type: 'string', default: process.env.BENCH_RATES ?? '250,500,1000,1500,2000' },
    workers: { type: 'string', default: '2' },
    'max-parallel': { type: 'string', default: '64' },
    partitions: { type: 'string' },
    split: { type: 'boolean', default: false },
    processes: { type: 'string' },
    'bullmq-jobs': { type: 'string', default: process.env.BENCH_BULLMQ_JOBS ?? '20000' },
    'bullmq-concurrency': { type: 'string', default: '50' },
    'skip-bullmq': { type: 'boolean', default: false },
    'skip-bullmq-open-loop': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const DURATION_S = positive(args.duration, '--duration');
const RATES = args.rates.split(',').map((r) => positive(r, '--rates'));
const WORKERS = positive(args.workers, '--workers');
const MAX_PARALLEL = positive(args['max-parallel'], '--max-parallel');
const BULLMQ_JOBS = positive(args['bullmq-jobs'], '--bullmq-jobs');
const BULLMQ_CONCURRENCY = positive(args['bullmq-concurrency'], '--bullmq-concurrency');
const DRAIN_TIMEOUT_MS = Math.max(15_000, DURATION_S * 500);
const PREFIX = 'benche2e';
const BULL_PREFIX = 'bullbench';
const TENANT = 'acme';
const KEY = 'bench-e2e-key-000000000000000000000000';
const JOB_STREAM = eventStreamName(PREFIX, 'job');

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, got "${text}"`);
  return n;
}

// --- BullMQ ---------------------------------------------------------------------------------

interface BullWorker extends Child {
  completed(): number;
  failed(): number;
  /** Date.now() when the worker last completed (or failed) a job. */
  lastAt(): number;
  stats(): Promise<{ n: number; p50: number; p99: number }>;
}

async function startBullWorker(redisPort: number, queue: string): Promise<BullWorker> {
  const child = await spawnNode(
    'bullmq-worker',
    [
      join(import.meta.dirname, 'lib', 'bullmq-worker.ts'),
      String(redisPort),
      queue,
      String(BULLMQ_CONCURRENCY),
      BULL_PREFIX,
    ],
    {},
    /bullmq worker ready/,
    true,
  );
  let completed = 0;
  let failed = 0;
  let lastAt = 0;
  let onStats: ((stats: { n: number; p50: number; p99: number }) => void) | null = null;
  child.child.on(
    'message',
    (message: {
      completed?: number;
      failed?: number;
      at?: number;
      stats?: { n: number; p50: number; p99: number };
    }) => {
      if (message.completed !== undefined) completed = message.completed;
      if (message.failed !== undefined) failed = message.failed;
      if (message.at !== undefined) lastAt = message.at;
      if (message.stats !== undefined) onStats?.(message.stats);
    },
  );
  return {
    ...child,
    completed: () => completed,
    failed: () => failed,
    lastAt: () => lastAt,
    stats: () =>
      new Promise((resolve) => {
        onStats = resolve;
        child.child.send({ cmd: 'stats' });
      }),
  };
}

interface ClosedLoopResult {
  readonly mode: string;
  readonly jobs: number;
  readonly add_s: number;
  readonly total_s: number;
  readonly jobs_per_s: number;
  readonly latency_ms: { p50: number; p99: number };
  readonly cpu_s: Record<string, number>;
  readonly redis_commands_per_job: number;
}

/** Adds BULLMQ_JOBS jobs (one `add` each with 256 in flight, or `addBulk` of 500) and times until the last completes. */
async function bullClosedLoop(
  redisPort: number,
  redis: Redis,
  redisPid: number,
  bulk: boolean,
): Promise<ClosedLoopResult> {
  const name = bulk ? 'closed-bulk' : 'closed-add';
  const queue = new Queue(name, {
    connection: { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null },
    prefix: BULL_PREFIX,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: false },
  });
  await queue.waitUntilReady();
  const worker = await startBullWorker(redisPort, name);
  try {
    const pids = { 'bullmq-worker': worker.pid, redis: redisPid, bench: process.pid };
    const commandsBefore = await redisCommands(redis);
    const cpuBefore = cpuSnapshot(pids);
    const started = Date.now();
    if (bulk) {
      const batch = 500;
      await pipelined(Math.ceil(BULLMQ_JOBS / batch), 4, (b) =>
        queue.addBulk(
          Array.from({ length: Math.min(batch, BULLMQ_JOBS - b * batch) }, () => ({
            name: 'bench',
            data: { bench: 'e2e' },
          })),
        ),
      );
    } else {
      await pipelined(BULLMQ_JOBS, 256, () => queue.add('bench', { bench: 'e2e' }));
    }
    const added = Date.now();
    await waitUntil(`BullMQ to complete ${BULLMQ_JOBS} jobs`, () => worker.completed() >= BULLMQ_JOBS, 300_000);
    const cpu = cpuDelta(cpuBefore, cpuSnapshot(pids));
    const commands = (await redisCommands(redis)) - commandsBefore;
    const stats = await worker.stats();
    const totalS = (worker.lastAt() - started) / 1000;
    return {
      mode: bulk ? `addBulk(500) x ${BULLMQ_JOBS}` : `add x ${BULLMQ_JOBS}, 256 in flight`,
      jobs: BULLMQ_JOBS,
      add_s: (added - started) / 1000,
      total_s: totalS,
      jobs_per_s: BULLMQ_JOBS / totalS,
      latency_ms: { p50: stats.p50, p99: stats.p99 },
      cpu_s: cpu,
      redis_commands_per_job: commands / BULLMQ_JOBS,
    };
  } finally {
    await worker.stop();
    await queue.close();
  }
}

interface RateRun {
  readonly run: OpenLoopResult;
  readonly latency_ms: { p50: number; p99: number; n: number };
  readonly cpu_s: Record<string, number>;
  readonly measured_s: number;
  readonly redis_commands_per_job: number;
  readonly events_per_job?: number;
  readonly nats_in_msgs_per_job?: number;
  readonly nats_out_msgs_per_job?: number;
  readonly event_types_per_job?: Record<string, number>;
  readonly nats_slow_consumers?: number;
  /** Projection lag probed during the window and drain: stream → read model checkpoint (lib/projection-lag.ts). */
  readonly projection_lag_ms?: { p50: number; p99: number; max: number; n: number };
  /** Stream → a `min_position` list answered by the API, probed beside it. */
  readonly min_position_wait_ms?: { p50: number; p99: number; max: number; n: number };
  /** The API process's event-loop delay over the window and drain (ms; prom-client samples every 10 ms). */
  readonly loop_delay_ms?: { p50: number; p99: number; max: number };
  /** The API process's seconds in GC over the window and drain, by kind and in all. */
  readonly gc_s?: Record<string, number>;
  /** When jobs did not finish: the histories of a few of them. */
  readonly unfinished_examples?: { job: string; events: string[] }[];
}

/** The event history of a few unfinished jobs (type@time), for diagnosis. */
async function unfinishedExamples(apiUrl: string, streams: string[]): Promise<{ job: string; events: string[] }[]> {
  return Promise.all(
    streams.map(async (stream) => {
      const id = stream.split(':').slice(2).join(':');
      const response = await fetch(`${apiUrl}/api/v1/jobs/${id}/events`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      const body = (await response.json()) as { items?: { type: string; time: string }[] };
      return { job: id, events: (body.items ?? []).map((e) => `${e.type}@${e.time.slice(11)}`) };
    }),
  );
}

function sustainableRate(runs: readonly RateRun[]): number {
  return Math.max(0, ...runs.filter((r) => r.run.sustainable).map((r) => r.run.target_rate));
}

function progress(label: string, r: RateRun): void {
  console.log(
    `${label} ${r.run.target_rate}/s: accepted ${r.run.achieved_rate.toFixed(0)}/s, backlog end ${r.run.backlog_end}, ` +
      `slope ${r.run.backlog_slope_per_s.toFixed(1)}/s, p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms` +
      (r.run.sustainable ? ' — sustainable' : ` — NOT sustainable: ${r.run.why_not.join('; ')}`),
  );
}

// --- the run --------------------------------------------------------------------------------

const results: Record<string, unknown> = {
  duration_s: DURATION_S,
  rates: RATES,
  workers: WORKERS,
  max_parallel: MAX_PARALLEL,
  partitions: args.partitions ?? 'default',
  processes: args.processes ?? (args.split ? 'api/scheduler,workflows,reconciler/projector' : 'all roles in one'),
};
let installation: Installation | undefined;
try {
  installation = await startInstallation({
    prefix: PREFIX,
    tenant: TENANT,
    key: KEY,
    workers: WORKERS,
    workerMaxParallel: MAX_PARALLEL,
    partitions: args.partitions,
    split: args.split,
    ...(args.processes === undefined ? {} : { processes: args.processes.split('/') }),
    env: envArgs(args.env),
  });
  const { nats, redis: redisServer, monitorPort, coretex, apiUrl, pids } = installation;
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const nc = await connect({ servers: nats.url, name: 'bench-e2e' });
  const events = new JobEvents();
  nc.subscribe(`${PREFIX}.job.>`, { callback: (_error, msg) => events.onMessage(msg.data) });
  const submit = poster(apiUrl, KEY, '/api/v1/jobs', { topic: 'job.default', payload: { bench: 'e2e' } }, 202);
  const target: OpenLoopTarget = {
    submit,
    completed: () => events.succeeded,
    failed: () => events.failed,
  };

  // Warm-up: a check at 100/s that everything answers, then 5 s at half the first measured rate. Without
  // the second part a cold process (V8 has not optimised the hot paths yet, the HTTP agent opens most
  // of its sockets) met 1,000/s with a backlog that peaked at ~1,500 jobs and took ~13 s to clear:
  // a start-up cost, counted in the first window as if it were the steady state.
  for (const [rate, durationS] of [
    [100, 3],
    [Math.max(100, Math.floor((RATES[0] ?? 200) / 2)), 5],
  ] as const) {
    const warmUp = await runOpenLoop(target, { rate, durationS, drainTimeoutMs: 30_000 });
    if (warmUp.drained_after_s === null || warmUp.errors > 0) {
      throw new Error(
        `the warm-up did not complete: ${warmUp.why_not.join('; ')} (${warmUp.first_error ?? 'no HTTP error'})\n` +
          `--- coretex output ---\n${coretex.output()}`,
      );
    }
    console.log(`warm-up: ${rate * durationS} jobs, drained ${warmUp.drained_after_s.toFixed(2)} s after the window`);
  }

  // What the processes use with nothing to do (polling, heartbeats, leases): the baseline of the CPU figures.
  const idleS = Math.min(5, DURATION_S);
  const idleBefore = cpuSnapshot(pids);
  await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
  const idleCpu = cpuDelta(idleBefore, cpuSnapshot(pids));
  results.idle = { seconds: idleS, cpu_s: idleCpu };

  const lagProbe = await startLagProbe({
    nc,
    stream: JOB_STREAM,
    apiUrl,
    key: KEY,
    intervalMs: 50,
    checkpoint: jobsCheckpointReader(redis, PREFIX),
  });
  const coretexRuns: RateRun[] = [];
  for (const rate of RATES) {
    events.reset();
    lagProbe.take();
    const receivedBefore = events.received;
    // The scrapes outside the counters: their Redis reads and CPU are not the run's.
    const runtimeBefore = await nodeRuntime(apiUrl, METRICS_KEY);
    const before = await counters(monitorPort, redis, pids, [JOB_STREAM]);
    const run = await runOpenLoop(target, { rate, durationS: DURATION_S, drainTimeoutMs: DRAIN_TIMEOUT_MS });
    const after = await counters(monitorPort, redis, pids, [JOB_STREAM]);
    const runtimeAfter = await nodeRuntime(apiUrl, METRICS_KEY);
    const lags = lagProbe.take();
    const lag = lagSummary(lags.readModel);
    const wait = lagSummary(lags.http);
    const jobs = run.accepted;
    const sorted = events.latencies.sort((a, b) => a - b);
    const result: RateRun = {
      run,
      latency_ms: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length },
      cpu_s: cpuDelta(before.cpu, after.cpu),
      measured_s: (after.at - before.at) / 1000,
      events_per_job: ((after.streamHeads[JOB_STREAM] ?? 0) - (before.streamHeads[JOB_STREAM] ?? 0)) / jobs,
      nats_in_msgs_per_job: (after.natsIn - before.natsIn) / jobs,
      // Without the deliveries to this benchmark's own subscription.
      nats_out_msgs_per_job: (after.natsOut - before.natsOut - (events.received - receivedBefore)) / jobs,
      redis_commands_per_job: (after.redisCommands - before.redisCommands) / jobs,
      event_types_per_job: Object.fromEntries(Object.entries(events.types).map(([type, n]) => [type, n / jobs])),
      nats_slow_consumers: after.slowConsumers - before.slowConsumers,
      projection_lag_ms: lag,
      min_position_wait_ms: wait,
      loop_delay_ms: runtimeAfter.loop_delay_ms,
      gc_s: gcDelta(runtimeBefore, runtimeAfter),
      ...(run.drained_after_s === null
        ? { unfinished_examples: await unfinishedExamples(apiUrl, events.outstanding(3)) }
        : {}),
    };
    coretexRuns.push(result);
    progress('coretex', result);
    if (result.nats_slow_consumers !== 0) {
      console.log(`  NATS counted ${result.nats_slow_consumers} slow consumers (events may have been missed)`);
    }
    for (const example of result.unfinished_examples ?? []) {
      console.log(`  unfinished ${example.job}: ${example.events.join(' ')}`);
    }
    if (!run.sustainable) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  results.coretex = { runs: coretexRuns, sustainable_rate: sustainableRate(coretexRuns) };
  await lagProbe.stop();
  await nc.close();
  await installation.stopCoretex();

  // BullMQ -------------------------------------------------------------------------------------
  let bullClosed: ClosedLoopResult[] = [];
  const bullRuns: RateRun[] = [];
  if (!args['skip-bullmq']) {
    bullClosed = [
      await bullClosedLoop(redisServer.port, redis, redisServer.pid, false),
      await bullClosedLoop(redisServer.port, redis, redisServer.pid, true),
    ];
    for (const c of bullClosed) console.log(`bullmq ${c.mode}: ${c.jobs_per_s.toFixed(0)} jobs/s`);
    if (!args['skip-bullmq-open-loop']) {
      const queue = new Queue('open', {
        connection: { host: '127.0.0.1', port: redisServer.port, maxRetriesPerRequest: null },
        prefix: BULL_PREFIX,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: false },
      });
      await queue.waitUntilReady();
      const worker = await startBullWorker(redisServer.port, 'open');
      try {
        const bullTarget: OpenLoopTarget = {
          submit: () => queue.add('bench', { bench: 'e2e' }).then(() => undefined),
          completed: () => worker.completed(),
          failed: () => worker.failed(),
        };
        const bullPids = { 'bullmq-worker': worker.pid, 'redis-server': redisServer.pid, bench: process.pid };
        for (const rate of RATES) {
          await worker.stats(); // starts the latency sample afresh
          const cpuBefore = cpuSnapshot(bullPids);
          const commandsBefore = await redisCommands(redis);
          const startedAt = performance.now();
          const run = await runOpenLoop(bullTarget, { rate, durationS: DURATION_S, drainTimeoutMs: DRAIN_TIMEOUT_MS });
          const stats = await worker.stats();
          const result: RateRun = {
            run,
            latency_ms: stats,
            cpu_s: cpuDelta(cpuBefore, cpuSnapshot(bullPids)),
            measured_s: (performance.now() - startedAt) / 1000,
            redis_commands_per_job: ((await redisCommands(redis)) - commandsBefore) / run.accepted,
          };
          bullRuns.push(result);
          progress('bullmq', result);
          if (!run.sustainable) break;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      } finally {
        await worker.stop();
        await queue.close();
      }
    }
    results.bullmq = {
      version: (
        JSON.parse(readFileSync(join(import.meta.dirname, '..', 'node_modules', 'bullmq', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
      concurrency: BULLMQ_CONCURRENCY,
      closed_loop: bullClosed,
      open_loop: { runs: bullRuns, sustainable_rate: sustainableRate(bullRuns) },
    };
  }
  redis.disconnect();

  // Report -------------------------------------------------------------------------------------
  const ms = (n: number) => (Number.isFinite(n) ? Math.round(n) : '-');
  printTable(
    `bench/e2e — Coretex open loop, ${DURATION_S} s per rate, ${WORKERS} no-op workers x ${MAX_PARALLEL}, Node ${process.version}`,
    coretexRuns.map((r): Row => ({
      'rate/s': r.run.target_rate,
      'accepted/s': Math.round(r.run.achieved_rate),
      'http err': r.run.errors,
      'http p50 ms': ms(r.run.submit_latency_ms.p50),
      'http p99 ms': ms(r.run.submit_latency_ms.p99),
      'e2e p50 ms': ms(r.latency_ms.p50),
      'e2e p99 ms': ms(r.latency_ms.p99),
      'lag p50 ms': ms(r.projection_lag_ms?.p50 ?? Number.NaN),
      'lag p99 ms': ms(r.projection_lag_ms?.p99 ?? Number.NaN),
      'min_pos p50 ms': ms(r.min_position_wait_ms?.p50 ?? Number.NaN),
      'min_pos p99 ms': ms(r.min_position_wait_ms?.p99 ?? Number.NaN),
      'backlog end': r.run.backlog_end,
      'slope/s': r.run.backlog_slope_per_s.toFixed(1),
      'drain s': r.run.drained_after_s === null ? 'no' : r.run.drained_after_s.toFixed(2),
      'events/job': r.events_per_job ?? '-',
      'nats in/job': r.nats_in_msgs_per_job ?? '-',
      'redis cmd/job': r.redis_commands_per_job,
      'loop p99 ms': ms(r.loop_delay_ms?.p99 ?? Number.NaN),
      'gc ms/job':
        r.gc_s?.total === undefined || r.run.accepted === 0
          ? '-'
          : Number(((r.gc_s.total * 1000) / r.run.accepted).toFixed(3)),
      ok: r.run.sustainable ? 'yes' : 'NO',
    })),
  );
  printTable(
    'CPU seconds per process, idle and over each rate (window + drain); "cpu ms/job": all processes but the benchmark',
    [
      {
        'rate/s': 'idle',
        'measured s': idleS,
        ...Object.fromEntries(Object.entries(idleCpu).map(([name, s]) => [name, Number(s.toFixed(2))])),
      },
      ...coretexRuns.map((r): Row => {
        const serverSide = Object.entries(r.cpu_s)
          .filter(([name]) => name !== 'bench')
          .reduce((sum, [, s]) => sum + s, 0);
        return {
          'rate/s': r.run.target_rate,
          'measured s': Number(r.measured_s.toFixed(1)),
          ...Object.fromEntries(Object.entries(r.cpu_s).map(([name, s]) => [name, Number(s.toFixed(2))])),
          'cpu ms/job': Number(((serverSide * 1000) / r.run.accepted).toFixed(3)),
        };
      }),
    ],
  );
  printTable(
    'CPU ms per job, per process (window + drain)',
    coretexRuns.map((r): Row => ({
      'rate/s': r.run.target_rate,
      ...Object.fromEntries(
        Object.entries(r.cpu_s).map(([name, s]) => [name, Number(((s * 1000) / r.run.accepted).toFixed(3))]),
      ),
    })),
  );
  const coretexRate = sustainableRate(coretexRuns);
  const summary: Record<string, number | null> = { coretex_sustainable_rate: coretexRate };
  if (!args['skip-bullmq']) {
    printTable(`BullMQ reference (same redis-server, worker concurrency ${BULLMQ_CONCURRENCY}, one worker process)`, [
      ...bullClosed.map((c): Row => ({
        mode: c.mode,
        'jobs/s': Math.round(c.jobs_per_s),
        'p50 ms': ms(c.latency_ms.p50),
        'p99 ms': ms(c.latency_ms.p99),
        'redis cmd/job': c.redis_commands_per_job,
        'cpu s worker': Number((c.cpu_s['bullmq-worker'] ?? 0).toFixed(2)),
        'cpu s redis': Number((c.cpu_s.redis ?? 0).toFixed(2)),
        'cpu s bench': Number((c.cpu_s.bench ?? 0).toFixed(2)),
        ok: '',
      })),
      ...bullRuns.map((r): Row => ({
        mode: `open loop ${r.run.target_rate}/s for ${DURATION_S} s`,
        'jobs/s': Math.round(r.run.achieved_rate),
        'p50 ms': ms(r.latency_ms.p50),
        'p99 ms': ms(r.latency_ms.p99),
        'redis cmd/job': r.redis_commands_per_job,
        'cpu s worker': Number((r.cpu_s['bullmq-worker'] ?? 0).toFixed(2)),
        'cpu s redis': Number((r.cpu_s['redis-server'] ?? 0).toFixed(2)),
        'cpu s bench': Number((r.cpu_s.bench ?? 0).toFixed(2)),
        ok: r.run.sustainable ? 'yes' : `NO (${r.run.why_not.join('; ')})`,
      })),
    ]);
    const bullAdd = bullClosed[0]?.jobs_per_s ?? Number.NaN;
    const bullOpen = sustainableRate(bullRuns);
    summary.bullmq_add_jobs_per_s = bullAdd;
    summary.bullmq_add_bulk_jobs_per_s = bullClosed[1]?.jobs_per_s ?? null;
    summary.bullmq_sustainable_rate = bullRuns.length > 0 ? bullOpen : null;
    summary.ratio_coretex_to_bullmq_add = coretexRate / bullAdd;
    summary.ratio_coretex_to_bullmq_sustainable = bullRuns.length > 0 && bullOpen > 0 ? coretexRate / bullOpen : null;
    console.log(
      `\nCoretex sustains ${coretexRate} jobs/s = ${(coretexRate / bullAdd).toFixed(2)} x BullMQ's add+process throughput ` +
        `(${bullAdd.toFixed(0)} jobs/s, closed loop)` +
        (bullRuns.length > 0
          ? `; BullMQ sustained ${bullOpen} jobs/s open loop${bullRuns.every((r) => r.run.sustainable) ? ' (every rate tried: at least that)' : ''}`
          : ''),
    );
  } else {
    console.log(`\nCoretex sustains ${coretexRate} jobs/s (BullMQ skipped)`);
  }
  const path = writeResults('e2e', { ...results, summary });
  console.log(`results: ${path}`);
} finally {
  await installation?.dispose();
}
