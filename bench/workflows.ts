/**
 * bench/workflows: the workflow engine end to end (SPEC 2), closed loop, with no-op workers. A private
 * installation (lib/installation.ts: `nats-server -js`, `redis-server`, `coretex start` with every
 * role, `coretex worker --example` processes); runs started over HTTP (`POST
 * /api/v1/workflows/{id}/runs`), a new one as soon as one ends (lib/closed-loop.ts), through a warm-up
 * and a measured window. Everything is measured from the events themselves (core NATS subscriptions on
 * the run and job subjects, lib/workflow-events.ts), never by polling:
 *   linear   s1 → s2 → ... → s10: runs/s (RunStarted → the event that ends the run SUCCEEDED), each
 *            step's dispatch latency (the run event that scheduled its job → the job's JobDispatched,
 *            split into job creation by the process manager and hand-off by the scheduler) and the
 *            step-to-step hand-off (JobSucceeded of step k → JobDispatched of step k+1);
 *   fan-out  one step with for_each over 100 items (max_parallel 100): runs/s, each child's dispatch
 *            latency, until the last child was dispatched, last child done → run end, run start → end;
 *   jobs     the reference: single jobs (`POST /api/v1/jobs`) kept in flight in the same numbers (the
 *            linear runs' count, and the fan-out's children in flight), so that step throughput can be
 *            given as a ratio of job throughput.
 * Per scenario also: events per run, NATS messages and Redis commands per step, CPU per process.
 * Event times have millisecond resolution.
 *
 *   npm run bench workflows -- [--duration 20] [--warm-up 3] [--scenarios linear,fanout,jobs]
 *     [--steps 10] [--linear-runs 32] [--items 100] [--fanout-max-parallel 100] [--fanout-runs 2]
 *     [--job-concurrency <n,...>] [--workers 2] [--worker-max-parallel 128] [--partitions n]
 * BENCH_CPU_PROFILE=<dir> writes a CPU profile of the Coretex process (see lib/installation.ts).
 */
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { type ClosedLoopResult, ClosedLoop } from './lib/closed-loop.ts';
import { poster } from './lib/http-poster.ts';
import { type Installation, startInstallation } from './lib/installation.ts';
import { JobEvents } from './lib/job-events.ts';
import { cpuDelta } from './lib/proc-stat.ts';
import { printTable, type Row, writeResults } from './lib/report.ts';
import { counters, eventStreamName } from './lib/server-counters.ts';
import { type Distribution, distribution, fanOutLatencies, linearLatencies } from './lib/workflow-latencies.ts';
import { WorkflowEvents } from './lib/workflow-events.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '20' },
    'warm-up': { type: 'string', default: '3' },
    scenarios: { type: 'string', default: 'linear,fanout,jobs' },
    steps: { type: 'string', default: '10' },
    'linear-runs': { type: 'string', default: '32' },
    items: { type: 'string', default: '100' },
    'fanout-max-parallel': { type: 'string', default: '100' },
    'fanout-runs': { type: 'string', default: '2' },
    'job-concurrency': { type: 'string' },
    workers: { type: 'string', default: '2' },
    'worker-max-parallel': { type: 'string', default: '128' },
    partitions: { type: 'string' },
  },
});
const DURATION_S = positive(args.duration, '--duration');
const WARM_UP_S = positive(args['warm-up'], '--warm-up');
const SCENARIOS = new Set(args.scenarios.split(','));
const STEPS = positive(args.steps, '--steps');
const LINEAR_RUNS = positive(args['linear-runs'], '--linear-runs');
const ITEMS = positive(args.items, '--items');
const FANOUT_MAX_PARALLEL = positive(args['fanout-max-parallel'], '--fanout-max-parallel');
const FANOUT_RUNS = positive(args['fanout-runs'], '--fanout-runs');
const FANOUT_IN_FLIGHT = FANOUT_RUNS * Math.min(ITEMS, FANOUT_MAX_PARALLEL);
const JOB_CONCURRENCY = (args['job-concurrency'] ?? `${LINEAR_RUNS},${FANOUT_IN_FLIGHT}`)
  .split(',')
  .map((n) => positive(n, '--job-concurrency'));
const WORKERS = positive(args.workers, '--workers');
const WORKER_MAX_PARALLEL = positive(args['worker-max-parallel'], '--worker-max-parallel');
const DRAIN_TIMEOUT_MS = Math.max(15_000, DURATION_S * 500);
const PREFIX = 'benchwf';
const TENANT = 'acme';
const KEY = 'bench-workflows-key-0000000000000000000';
const JOB_STREAM = eventStreamName(PREFIX, 'job');
const RUN_STREAM = eventStreamName(PREFIX, 'run');

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isInteger(n)) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}

const linearSteps = Object.fromEntries(
  Array.from({ length: STEPS }, (_, i) => [
    `s${i + 1}`,
    { topic: 'job.default', depends_on: i === 0 ? [] : [`s${i}`], input: { step: i + 1 } },
  ]),
);
const WORKFLOWS = {
  linear: { id: 'bench-linear', name: `${STEPS} steps in a line`, steps: linearSteps },
  fanout: {
    id: 'bench-fanout',
    name: `for_each over ${ITEMS} items`,
    steps: {
      fan: {
        topic: 'job.default',
        for_each: 'input.items',
        max_parallel: FANOUT_MAX_PARALLEL,
        input: { item: '${item}' },
      },
    },
  },
};

interface ScenarioResult {
  readonly scenario: string;
  readonly in_flight: number;
  readonly loop: ClosedLoopResult;
  /** Step jobs (or single jobs) per run. */
  readonly jobs_per_item: number;
  readonly latencies_ms: Record<string, Distribution>;
  readonly run_events_per_run: number;
  readonly job_events_per_job: number;
  readonly nats_in_msgs_per_job: number;
  readonly redis_commands_per_job: number;
  readonly cpu_s: Record<string, number>;
  readonly cpu_ms_per_job: number;
  readonly event_types: Record<string, number>;
  readonly nats_slow_consumers: number;
}

async function measure(
  installation: Installation,
  redis: Redis,
  scenario: string,
  inFlight: number,
  jobsPerItem: number,
  start: () => Promise<void>,
  follow: (loop: ClosedLoop) => void,
  analyse: (window: { from: number; to: number }) => Record<string, Distribution>,
  types: () => Record<string, number>,
): Promise<ScenarioResult> {
  const { monitorPort, pids } = installation;
  const loop = new ClosedLoop(start, {
    concurrency: inFlight,
    warmUpS: WARM_UP_S,
    durationS: DURATION_S,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
  });
  follow(loop);
  const before = await counters(monitorPort, redis, pids, [JOB_STREAM, RUN_STREAM]);
  const result = await loop.run();
  const after = await counters(monitorPort, redis, pids, [JOB_STREAM, RUN_STREAM]);
  const jobs = result.started * jobsPerItem;
  const head = (name: string) => (after.streamHeads[name] ?? 0) - (before.streamHeads[name] ?? 0);
  const cpu = cpuDelta(before.cpu, after.cpu);
  const serverCpu = Object.entries(cpu)
    .filter(([name]) => name !== 'bench')
    .reduce((sum, [, s]) => sum + s, 0);
  const outcome: ScenarioResult = {
    scenario,
    in_flight: inFlight,
    loop: result,
    jobs_per_item: jobsPerItem,
    latencies_ms: analyse(loop.window()),
    run_events_per_run: head(RUN_STREAM) / result.started,
    job_events_per_job: head(JOB_STREAM) / jobs,
    nats_in_msgs_per_job: (after.natsIn - before.natsIn) / jobs,
    redis_commands_per_job: (after.redisCommands - before.redisCommands) / jobs,
    cpu_s: cpu,
    cpu_ms_per_job: (serverCpu * 1000) / jobs,
    event_types: Object.fromEntries(Object.entries(types()).map(([type, n]) => [type, n / result.started])),
    nats_slow_consumers: after.slowConsumers - before.slowConsumers,
  };
  console.log(
    `${scenario} (${inFlight} in flight): ${result.per_s.toFixed(1)}/s over ${result.duration_s.toFixed(1)} s, ` +
      `${result.failed_in_window} failed, ${result.http_errors} HTTP errors, ` +
      (result.drained_after_s === null ? 'did NOT drain' : `drained in ${result.drained_after_s.toFixed(2)} s`),
  );
  if (result.first_error !== null) console.log(`  first HTTP error: ${result.first_error}`);
  if (outcome.nats_slow_consumers !== 0) {
    console.log(`  NATS counted ${outcome.nats_slow_consumers} slow consumers (events may have been missed)`);
  }
  return outcome;
}

// --- the run --------------------------------------------------------------------------------

let installation: Installation | undefined;
try {
  installation = await startInstallation({
    prefix: PREFIX,
    tenant: TENANT,
    key: KEY,
    workers: WORKERS,
    workerMaxParallel: WORKER_MAX_PARALLEL,
    partitions: args.partitions,
  });
  const { apiUrl } = installation;
  const redis = new Redis(installation.redis.url, { maxRetriesPerRequest: null });
  const nc = await connect({ servers: installation.nats.url, name: 'bench-workflows' });
  const workflowEvents = new WorkflowEvents();
  const jobEvents = new JobEvents();
  nc.subscribe(`${PREFIX}.run.>`, { callback: (_error, msg) => workflowEvents.onRunEvent(msg.data) });
  nc.subscribe(`${PREFIX}.job.w.>`, { callback: (_error, msg) => workflowEvents.onStepJobEvent(msg.data) });
  nc.subscribe(`${PREFIX}.job.a.>`, { callback: (_error, msg) => jobEvents.onMessage(msg.data) });
  await nc.flush();
  for (const definition of Object.values(WORKFLOWS)) {
    const response = await fetch(`${apiUrl}/api/v1/workflows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(definition),
    });
    if (response.status !== 201)
      throw new Error(`defining ${definition.id}: ${response.status} ${await response.text()}`);
  }

  const results: ScenarioResult[] = [];
  const followRuns = (loop: ClosedLoop) => {
    workflowEvents.reset();
    workflowEvents.onRunEnded = (ok) => loop.ended(ok);
  };
  if (SCENARIOS.has('linear')) {
    const start = poster(apiUrl, KEY, `/api/v1/workflows/${WORKFLOWS.linear.id}/runs`, { input: {} }, 201);
    results.push(
      await measure(
        installation,
        redis,
        `linear ${STEPS} steps`,
        LINEAR_RUNS,
        STEPS,
        start,
        followRuns,
        (window) => linearLatencies(workflowEvents, window),
        () => workflowEvents.types,
      ),
    );
  }
  if (SCENARIOS.has('fanout')) {
    const input = { items: Array.from({ length: ITEMS }, (_, i) => i) };
    const start = poster(apiUrl, KEY, `/api/v1/workflows/${WORKFLOWS.fanout.id}/runs`, { input }, 201);
    results.push(
      await measure(
        installation,
        redis,
        `fan-out ${ITEMS} items`,
        FANOUT_RUNS,
        ITEMS,
        start,
        followRuns,
        (window) => fanOutLatencies(workflowEvents, window),
        () => workflowEvents.types,
      ),
    );
  }
  workflowEvents.onRunEnded = null;
  if (SCENARIOS.has('jobs')) {
    const start = poster(apiUrl, KEY, '/api/v1/jobs', { topic: 'job.default', payload: { bench: 'workflows' } }, 202);
    for (const concurrency of JOB_CONCURRENCY) {
      results.push(
        await measure(
          installation,
          redis,
          'single jobs',
          concurrency,
          1,
          start,
          (loop) => {
            jobEvents.reset();
            jobEvents.onEnded = (ok) => loop.ended(ok);
          },
          ({ from, to }) => {
            const samples = jobEvents.samples.filter((s) => s.at >= from && s.at <= to);
            return {
              'submitted → dispatched': distribution(samples.map((s) => s.dispatch_ms)),
              'submitted → succeeded': distribution(samples.map((s) => s.total_ms)),
            };
          },
          () => jobEvents.types,
        ),
      );
    }
  }
  await nc.close();
  redis.disconnect();

  // Report -------------------------------------------------------------------------------------
  const reference = (inFlight: number) =>
    results.find((r) => r.scenario === 'single jobs' && r.in_flight === inFlight)?.loop.per_s;
  const jobsPerS = (r: ScenarioResult) => r.loop.per_s * r.jobs_per_item;
  const referenceInFlight = (r: ScenarioResult) =>
    r.scenario.startsWith('linear') ? r.in_flight : r.scenario.startsWith('fan-out') ? FANOUT_IN_FLIGHT : r.in_flight;
  const ms = (d: Distribution | undefined, p: 'p50' | 'p99') =>
    d === undefined || !Number.isFinite(d[p]) ? '-' : d[p];
  printTable(
    `bench/workflows — closed loop, ${DURATION_S} s measured after ${WARM_UP_S} s warm-up per scenario, ` +
      `${WORKERS} no-op workers x ${WORKER_MAX_PARALLEL}, Node ${process.version}`,
    results.map((r): Row => {
      const ref = reference(referenceInFlight(r));
      const isJobs = r.scenario === 'single jobs';
      return {
        scenario: r.scenario,
        'in flight': isJobs ? `${r.in_flight} jobs` : `${r.in_flight} runs`,
        'runs/s': isJobs ? '-' : Number(r.loop.per_s.toFixed(1)),
        'jobs/s': Math.round(jobsPerS(r)),
        'x jobs/s': isJobs || ref === undefined ? '-' : Number((jobsPerS(r) / ref).toFixed(2)),
        'run p50 ms': isJobs ? '-' : ms(r.latencies_ms['run start → end'], 'p50'),
        'run p99 ms': isJobs ? '-' : ms(r.latencies_ms['run start → end'], 'p99'),
        'run events/run': isJobs ? '-' : Number(r.run_events_per_run.toFixed(2)),
        'job events/job': Number(r.job_events_per_job.toFixed(2)),
        'nats in/job': Number(r.nats_in_msgs_per_job.toFixed(1)),
        'redis cmd/job': Number(r.redis_commands_per_job.toFixed(1)),
        'cpu ms/job': Number(r.cpu_ms_per_job.toFixed(2)),
        failed: r.loop.failed_in_window + r.loop.http_errors,
        drained: r.loop.drained_after_s === null ? 'NO' : 'yes',
      };
    }),
  );
  printTable(
    'Latencies from the events (ms); "x jobs/s" above: step jobs per second over single jobs per second at the same number in flight',
    results.flatMap((r) =>
      Object.entries(r.latencies_ms).map(([what, d]): Row => ({
        scenario: `${r.scenario} (${r.in_flight})`,
        what,
        n: d.n,
        p50: ms(d, 'p50'),
        p99: ms(d, 'p99'),
        max: Number.isFinite(d.max) ? d.max : '-',
      })),
    ),
  );
  printTable(
    'CPU seconds per process over each scenario (warm-up, window and drain)',
    results.map((r): Row => ({
      scenario: `${r.scenario} (${r.in_flight})`,
      ...Object.fromEntries(Object.entries(r.cpu_s).map(([name, s]) => [name, Number(s.toFixed(2))])),
    })),
  );
  const path = writeResults('workflows', {
    duration_s: DURATION_S,
    warm_up_s: WARM_UP_S,
    workers: WORKERS,
    worker_max_parallel: WORKER_MAX_PARALLEL,
    partitions: args.partitions ?? 'default',
    scenarios: results,
  });
  console.log(`results: ${path}`);
} finally {
  await installation?.dispose();
}
