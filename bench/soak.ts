/**
 * bench/soak: a long open-loop run at one steady rate (the installation of bench/e2e: private
 * nats-server and redis-server, `coretex start`, no-op workers), sampling every few seconds the RSS of
 * every process, the Coretex process's V8 heap (its /metrics), nats-server's memory (/varz), Redis's
 * used memory, projection lag (ms, probed as in lib/projection-lag.ts), submit-to-success latency and
 * the jobs in flight. Writes the samples to bench/results/soak.json and plots them as an SVG (default
 * docs/soak.svg).
 *
 *   npm run bench soak -- [--minutes 30] [--rate 200] [--sample-s 10] [--workers 2] [--max-parallel 64]
 *     [--env CORETEX_X=y ...] [--svg docs/soak.svg] [--replot bench/results/soak.json]
 * `--env` passes settings to the Coretex process (e.g. a short hot window to see retention at work).
 * For the saturation point use the step load of bench/e2e (`--rates 300,500,700,...`): it stops at the
 * first rate whose backlog grows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { archiverLag } from './lib/archiver-lag.ts';
import { envArgs } from './lib/env-args.ts';
import { poster } from './lib/http-poster.ts';
import { METRICS_KEY, startInstallation } from './lib/installation.ts';
import { JobEvents } from './lib/job-events.ts';
import { nodeHeap } from './lib/node-heap.ts';
import { runOpenLoop } from './lib/open-loop.ts';
import { rssBytes } from './lib/proc-stat.ts';
import { jobsCheckpointReader, lagSummary, startLagProbe } from './lib/projection-lag.ts';
import { percentile, printTable, writeResults } from './lib/report.ts';
import { eventStreamName } from './lib/server-counters.ts';
import { type SoakSample, soakPlot } from './lib/soak-plot.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    'sample-s': { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    'max-parallel': { type: 'string', default: '64' },
    env: { type: 'string', multiple: true, default: [] },
    svg: { type: 'string', default: 'docs/soak.svg' },
    replot: { type: 'string' },
  },
});
const positive = (text: string, name: string) => {
  const n = Number(text);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, got "${text}"`);
  return n;
};
const MINUTES = positive(args.minutes, '--minutes');
const RATE = positive(args.rate, '--rate');
const SAMPLE_S = positive(args['sample-s'], '--sample-s');
const ENV = envArgs(args.env);
const PREFIX = 'benchsoak';
const KEY = 'bench-soak-key-00000000000000000000000';
const MB = 1024 * 1024;

type Sample = SoakSample;

function plotTitle(rate: number, minutes: number, at: Date): string {
  return `Coretex soak: ${rate} jobs/s for ${minutes} min (${at.toISOString().slice(0, 10)})`;
}

// `--replot <results.json>`: the plot of a saved run, without running anything.
if (args.replot !== undefined) {
  const saved = JSON.parse(readFileSync(args.replot, 'utf8')) as {
    rate: number;
    minutes: number;
    at: string;
    samples: SoakSample[];
  };
  writeFileSync(resolve(args.svg), soakPlot(plotTitle(saved.rate, saved.minutes, new Date(saved.at)), saved.samples));
  console.log(`plot: ${resolve(args.svg)}`);
  process.exit(0);
}

const installation = await startInstallation({
  prefix: PREFIX,
  tenant: 'acme',
  key: KEY,
  workers: positive(args.workers, '--workers'),
  workerMaxParallel: positive(args['max-parallel'], '--max-parallel'),
  env: ENV,
});
try {
  const { nats, redis: redisServer, monitorPort, apiUrl, pids } = installation;
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const nc = await connect({ servers: nats.url, name: 'bench-soak' });
  const jsm = await jetstreamManager(nc);
  const events = new JobEvents();
  nc.subscribe(`${PREFIX}.job.>`, { callback: (_error, msg) => events.onMessage(msg.data) });
  const lagProbe = await startLagProbe({
    nc,
    stream: eventStreamName(PREFIX, 'job'),
    apiUrl,
    key: KEY,
    intervalMs: 200,
    checkpoint: jobsCheckpointReader(redis, PREFIX),
  });
  const processes = Object.entries(pids).filter(([name]) => name !== 'bench');
  const samples: Sample[] = [];
  const allLags: number[] = [];
  const allWaits: number[] = [];
  const started = performance.now();
  const sample = async () => {
    const varz = (await (await fetch(`http://127.0.0.1:${monitorPort}/varz`)).json()) as { mem: number };
    const memory = await redis.info('memory');
    const redisKeys = await redis.dbsize();
    const behind = await archiverLag(jsm, PREFIX);
    const heap = await nodeHeap(apiUrl, METRICS_KEY);
    const lags = lagProbe.take();
    allLags.push(...lags.readModel);
    allWaits.push(...lags.http);
    const window = events.samples.splice(0).map((s) => s.total_ms);
    const lag = lagSummary(lags.readModel);
    const e2e = lagSummary(window);
    samples.push({
      minute: (performance.now() - started) / 60_000,
      rss_mb: Object.fromEntries(processes.map(([name, pid]) => [name, rssBytes(pid) / MB])),
      coretex_heap: heap,
      nats_mem_mb: varz.mem / MB,
      redis_used_mb: Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? Number.NaN) / MB,
      redis_keys: redisKeys,
      archiver_lag: behind,
      lag_ms: { p50: lag.p50, p99: lag.p99, n: lag.n },
      e2e_ms: { p50: e2e.p50, p99: e2e.p99, n: e2e.n },
      in_flight: events.inFlight,
      completed: events.succeeded,
    });
  };
  await sample();
  const sampler = setInterval(
    () => void sample().catch((error: unknown) => console.error('sample failed:', error)),
    SAMPLE_S * 1000,
  );
  const submit = poster(apiUrl, KEY, '/api/v1/jobs', { topic: 'job.default', payload: { bench: 'soak' } }, 202);
  const run = await runOpenLoop(
    { submit, completed: () => events.succeeded, failed: () => events.failed },
    { rate: RATE, durationS: MINUTES * 60, drainTimeoutMs: 60_000 },
  );
  clearInterval(sampler);
  await sample();
  await lagProbe.stop();
  await nc.close();
  redis.disconnect();

  const last = samples.at(-1) as Sample;
  const first = samples.at(1) ?? last; // after the first interval: everything warmed up
  const sortedLags = allLags.sort((a, b) => a - b);
  const sortedWaits = allWaits.sort((a, b) => a - b);
  const latencies = events.latencies.sort((a, b) => a - b);
  printTable(`bench/soak — ${RATE} jobs/s for ${MINUTES} min, sampled every ${SAMPLE_S} s, Node ${process.version}`, [
    ...processes.map(([name]) => ({
      measure: `RSS ${name} (MB)`,
      start: first.rss_mb[name] ?? Number.NaN,
      end: last.rss_mb[name] ?? Number.NaN,
    })),
    {
      measure: 'Coretex V8 heap used (MB)',
      start: first.coretex_heap?.heap_used_mb ?? Number.NaN,
      end: last.coretex_heap?.heap_used_mb ?? Number.NaN,
    },
    { measure: 'nats-server mem (MB, /varz)', start: first.nats_mem_mb, end: last.nats_mem_mb },
    { measure: 'redis used_memory (MB)', start: first.redis_used_mb, end: last.redis_used_mb },
    { measure: 'redis keys', start: first.redis_keys ?? Number.NaN, end: last.redis_keys ?? Number.NaN },
    {
      measure: 'archiver behind (events)',
      start: first.archiver_lag ?? Number.NaN,
      end: last.archiver_lag ?? Number.NaN,
    },
    { measure: 'jobs in flight', start: first.in_flight, end: last.in_flight },
  ]);
  // A stall shows in the samples' own p99 long before it moves the run's.
  const stalled = samples.filter((s) => s.e2e_ms.p99 > 1000).length;
  console.log(
    `\naccepted ${run.accepted} of ${run.sent}, succeeded ${events.succeeded}, failed ${events.failed}, ` +
      `${run.sustainable ? 'sustainable' : `NOT sustainable: ${run.why_not.join('; ')}`}` +
      `\nprojection lag p50 ${percentile(sortedLags, 50).toFixed(1)} ms, p99 ${percentile(sortedLags, 99).toFixed(1)} ms (${sortedLags.length} probes)` +
      `\nmin_position list answered p50 ${percentile(sortedWaits, 50).toFixed(1)} ms, p99 ${percentile(sortedWaits, 99).toFixed(1)} ms` +
      `\nsubmit-to-success p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms` +
      `; ${stalled} of ${samples.length} samples with a p99 over 1 s`,
  );

  const svgPath = resolve(args.svg);
  writeFileSync(svgPath, soakPlot(plotTitle(RATE, MINUTES, new Date()), samples));
  const path = writeResults('soak', {
    rate: RATE,
    minutes: MINUTES,
    env: ENV,
    run: { ...run, samples: undefined },
    lag_ms: { p50: percentile(sortedLags, 50), p99: percentile(sortedLags, 99), n: sortedLags.length },
    min_position_wait_ms: { p50: percentile(sortedWaits, 50), p99: percentile(sortedWaits, 99), n: sortedWaits.length },
    e2e_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length },
    samples,
  });
  console.log(`results: ${path}\nplot: ${svgPath}`);
} finally {
  await installation.dispose();
}
