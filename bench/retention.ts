/**
 * bench/retention (docs/retention.md): does memory stay flat with a hot window and the archive?
 * Runs jobs at a steady rate through a private installation (nats-server, redis-server, `coretex
 * start`, one no-op example worker) for several hot windows, sampling nats-server RSS, Redis
 * `used_memory`, the job stream (messages, distinct subjects) and the archive bucket. Two cases:
 *   retention — CORETEX_HOT_WINDOW=<window>, archiving right away (CORETEX_ARCHIVE_AFTER=0);
 *   control   — no hot window (CORETEX_HOT_WINDOW=0): nothing ages out, nothing is archived.
 * Growth is the least-squares slope over the samples after the first window (the warm-up), per
 * window; with retention, the job stream and the read models should stop growing after one window.
 *
 *   npm run bench retention -- [--window 20] [--windows 6] [--rate 100] [--cases retention,control]
 */
import { readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { archiverLag } from './lib/archiver-lag.ts';
import { poster } from './lib/http-poster.ts';
import { startInstallation } from './lib/installation.ts';
import { leastSquaresSlope } from './lib/open-loop.ts';
import { printTable, writeResults } from './lib/report.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const WINDOW_S = Number(option('window', '20'));
const WINDOWS = Number(option('windows', '6'));
const RATE = Number(option('rate', '100'));
const CASES = option('cases', 'retention,control').split(',');
const SAMPLES_PER_WINDOW = 4;
const PREFIX = 'bret';
const TENANT = 'bench';
const KEY = 'bench-retention-key-0000000000000000';

interface Sample {
  readonly t: number;
  readonly submitted: number;
  readonly natsRss: number;
  readonly redisUsed: number;
  readonly streamMessages: number;
  readonly streamSubjects: number;
  readonly archiveObjects: number;
  readonly archiveBytes: number;
  /** Messages ever written to the archive's stream (chunks and meta records): the write volume. */
  readonly archiveWritten: number;
  /** Interior deletes the archive's stream tracks (what rewriting objects leaves behind). */
  readonly archiveDeleted: number;
  /** Job stream head minus the archiver's saved cursor (events it has yet to pass). */
  readonly archiverLag: number;
}

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

async function run(kind: string): Promise<{ kind: string; samples: Sample[]; failures: number }> {
  const window = `${WINDOW_S}s`;
  const env: Record<string, string> =
    kind === 'retention'
      ? {
          CORETEX_HOT_WINDOW: window,
          CORETEX_IDEMPOTENCY_TTL: `${Math.max(1, Math.floor(WINDOW_S / 2))}s`,
          CORETEX_DUPLICATE_WINDOW: `${Math.max(1, Math.floor(WINDOW_S / 4))}s`,
          CORETEX_ARCHIVE_AFTER: '0',
        }
      : { CORETEX_HOT_WINDOW: '0', CORETEX_IDEMPOTENCY_TTL: window, CORETEX_DUPLICATE_WINDOW: '5s' };
  const installation = await startInstallation({
    prefix: PREFIX,
    tenant: TENANT,
    key: KEY,
    workers: 1,
    workerMaxParallel: 64,
    env: process.argv.includes('--log') ? { ...env, CORETEX_LOG_LEVEL: 'info' } : env,
  });
  const nc = await connect({ servers: installation.nats.url });
  const jsm = await jetstreamManager(nc);
  const redis = new Redis(installation.redis.url);
  const post = poster(installation.apiUrl, KEY, '/api/v1/jobs', { topic: 'job.default', payload: { n: 1 } }, 202);
  let submitted = 0;
  let failures = 0;
  const samples: Sample[] = [];
  const started = Date.now();
  const sample = async () => {
    const job = await jsm.streams.info(`${PREFIX.toUpperCase()}_JOB`, { subjects_filter: '>' }).catch(() => null);
    const archive = await jsm.streams.info(`OBJ_${PREFIX}_archive`).catch(() => null);
    const memory = await redis.info('memory');
    samples.push({
      t: (Date.now() - started) / 1000,
      submitted,
      natsRss: rssBytes(installation.nats.pid),
      redisUsed: Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0),
      streamMessages: job?.state.messages ?? 0,
      streamSubjects: job?.state.num_subjects ?? 0,
      // Each object is one meta subject and one chunk subject.
      archiveObjects: Math.round((archive?.state.num_subjects ?? 0) / 2),
      archiveBytes: archive?.state.bytes ?? 0,
      archiveWritten: archive?.state.last_seq ?? 0,
      archiveDeleted: archive?.state.num_deleted ?? 0,
      archiverLag: kind === 'retention' ? await archiverLag(jsm, PREFIX, job?.state.last_seq ?? 0) : 0,
    });
  };
  try {
    const durationMs = WINDOW_S * WINDOWS * 1000;
    const sampleEvery = (WINDOW_S * 1000) / SAMPLES_PER_WINDOW;
    let nextSample = 0;
    const tickMs = 20;
    while (Date.now() - started < durationMs) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE) - submitted;
      for (let i = 0; i < due; i++) {
        submitted++;
        post().catch(() => failures++);
      }
      if (Date.now() - started >= nextSample) {
        nextSample += sampleEvery;
        await sample();
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
    await sample();
  } finally {
    if (process.argv.includes('--log')) {
      console.log(
        installation.coretex
          .output()
          .split('\n')
          .filter((l) => /archiv|error/i.test(l))
          .slice(-30)
          .join('\n'),
      );
    }
    await nc.close();
    redis.disconnect();
    await installation.dispose();
  }
  return { kind, samples, failures };
}

const mib = (bytes: number) => bytes / 2 ** 20;
const results = [];
for (const kind of CASES) results.push(await run(kind));

const rows = results.map(({ kind, samples, failures }) => {
  const warm = samples.filter((s) => s.t >= WINDOW_S);
  const first = warm[0] ?? samples[0];
  const last = samples.at(-1);
  const perWindow = (pick: (s: Sample) => number) =>
    leastSquaresSlope(warm.map((s) => [s.t / WINDOW_S, pick(s)] as const));
  return {
    case: kind,
    jobs: last?.submitted ?? 0,
    failed: failures,
    'nats RSS MiB (1st window → end)': `${mib(first?.natsRss ?? 0).toFixed(1)} → ${mib(last?.natsRss ?? 0).toFixed(1)}`,
    'nats RSS MiB/window': mib(perWindow((s) => s.natsRss)),
    // Flat means these stop growing after the first windows.
    'nats RSS MiB at each window end': Array.from({ length: WINDOWS }, (_, w) =>
      mib(samples.filter((s) => s.t <= (w + 1) * WINDOW_S + 0.5).at(-1)?.natsRss ?? 0).toFixed(0),
    ).join(' '),
    'redis MiB (1st window → end)': `${mib(first?.redisUsed ?? 0).toFixed(1)} → ${mib(last?.redisUsed ?? 0).toFixed(1)}`,
    'redis MiB/window': mib(perWindow((s) => s.redisUsed)),
    'stream subjects (→ end)': `${first?.streamSubjects ?? 0} → ${last?.streamSubjects ?? 0}`,
    'subjects/window': perWindow((s) => s.streamSubjects),
    'archiver lag events (max)': Math.max(0, ...warm.map((s) => s.archiverLag)),
    'archive objects': last?.archiveObjects ?? 0,
    'objects/window': perWindow((s) => s.archiveObjects),
    'archive MiB': mib(last?.archiveBytes ?? 0),
    'archive msgs written/window': perWindow((s) => s.archiveWritten),
    'archive deletes (end)': last?.archiveDeleted ?? 0,
  };
});
printTable(
  `bench/retention — ${RATE} jobs/s for ${WINDOWS} windows of ${WINDOW_S} s (slopes over the samples after the first window)`,
  rows,
);
const path = writeResults('retention', { window_s: WINDOW_S, windows: WINDOWS, rate: RATE, results });
console.log(`results: ${path}`);
