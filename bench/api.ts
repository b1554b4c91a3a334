/**
 * bench/api (issue 5): `GET /api/v1/jobs?limit=50` through the whole API (key check, rate limit,
 * validation, read-model query on Redis, response schema) against bare Fastify routes on the same
 * machine, at a fixed concurrency with autocannon, each server in its own process:
 *   bare-static   the same page precomputed: the HTTP + JSON floor
 *   bare-list     the same listJobs query on Redis, no auth/validation/serialisation schema
 *   coretex       buildApp with the real deps
 * The jobs read model is seeded by committing the projection's writes for synthetic JobSubmitted
 * events to a private redis-server.
 *
 * Then `POST /api/v1/jobs`: submits/s and latency through `coretex start --roles api` on a private
 * nats-server (JetStream) + the same Redis, at the same concurrency (each answer is a JobSubmitted
 * appended with expected position 0; half the requests carry an Idempotency-Key, which adds a claim
 * in the KV bucket).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { RedisReadModelStore } from '../src/adapters/redis/read-model-store.ts';
import { hashApiKey } from '../src/api/auth/api-keys.ts';
import type { StoredEvent } from '../src/domain/shared/events.ts';
import { formatStreamId, streamId } from '../src/domain/shared/stream.ts';
import { jobsProjection } from '../src/projections/jobs/projection.ts';
import { startNatsServer, startRedisServer } from '../test/harness/servers.ts';
import { syntheticJobSubmitted } from '../test/support/synthetic-jobs.ts';
import { printTable, type Row, writeResults } from './lib/report.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const PREFIX = 'bench';
const BENCH_KEY = 'bench-key';

const redisServer = await startRedisServer();
const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
try {
  await seed(new RedisReadModelStore(redis, PREFIX));
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  for (const mode of ['bare-static', 'bare-list', 'coretex'] as const) {
    const { child, port } = await startTarget(mode);
    try {
      const url = `http://127.0.0.1:${port}/api/v1/jobs?limit=50`;
      const headers = { authorization: `Bearer ${BENCH_KEY}` };
      await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 }); // warm-up
      const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${mode}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      }
      results[mode] = {
        requests_per_s: result.requests.average,
        latency_ms: { p50: result.latency.p50, p99: result.latency.p99 },
        bytes_per_response: result.throughput.average / result.requests.average,
      };
      rows.push({
        server: mode,
        'req/s': result.requests.average,
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
      });
    } finally {
      child.kill('SIGTERM');
    }
  }
  const rate = (mode: string) => Number(rows.find((r) => r.server === mode)?.['req/s'] ?? Number.NaN);
  for (const row of rows) {
    row['vs bare-static'] = Number(row['req/s']) / rate('bare-static');
    row['vs bare-list'] = Number(row['req/s']) / rate('bare-list');
  }
  printTable(
    `bench/api — GET /api/v1/jobs?limit=50 over ${JOBS.toLocaleString('en-US')} jobs, ${CONNECTIONS} connections, ${DURATION_S} s, Node ${process.version}`,
    rows,
  );
  console.log(
    `coretex/bare-static ${(rate('coretex') / rate('bare-static')).toFixed(2)}, coretex/bare-list ${(rate('coretex') / rate('bare-list')).toFixed(2)}`,
  );
  const submit = await benchSubmit();
  printTable(`bench/api — POST /api/v1/jobs on JetStream + Redis, ${CONNECTIONS} connections, ${DURATION_S} s`, [
    {
      server: 'coretex --roles api',
      'submits/s': submit.submits_per_s,
      'p50 ms': submit.latency_ms.p50,
      'p99 ms': submit.latency_ms.p99,
    },
  ]);
  const path = writeResults('api', {
    jobs: JOBS,
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    ...results,
    submit,
    ratio_coretex_to_bare_static: rate('coretex') / rate('bare-static'),
    ratio_coretex_to_bare_list: rate('coretex') / rate('bare-list'),
  });
  console.log(`results: ${path}`);
} finally {
  redis.disconnect();
  await redisServer.dispose();
}

/** Commits the `jobs` projection's writes for JOBS synthetic submissions into a fresh version. */
async function seed(store: RedisReadModelStore): Promise<void> {
  const version = await store.allocateVersion('jobs');
  const ns = { projection: 'jobs', version };
  const base = Date.UTC(2026, 0, 1);
  let checkpoint = 0;
  for (let start = 0; start < JOBS; start += 500) {
    const events: StoredEvent[] = [];
    for (let i = start; i < Math.min(JOBS, start + 500); i++) {
      const jobId = `job-${String(i).padStart(8, '0')}`;
      const event = syntheticJobSubmitted({
        jobId,
        tenant: 'acme',
        createdAt: base + i,
        team: i % 4 === 0 ? 'red' : null,
      });
      events.push({
        ...event,
        id: `bench-${i}`,
        schema_version: 1,
        stream_id: formatStreamId(streamId('job', 'acme', jobId)),
        time: new Date(base + i).toISOString(),
        trace_id: null,
        causation_id: null,
        correlation_id: null,
        actor: 'bench',
        tenant: 'acme',
        first_position: 0,
        position: i + 1,
      });
    }
    const last = events.at(-1)?.position ?? checkpoint;
    const result = await store.commit(ns, 'job', {
      expect: checkpoint,
      checkpoint: last,
      writes: events.flatMap((event) => jobsProjection.evolve(event)),
    });
    if (!result.ok) throw new Error('seeding raced');
    checkpoint = last;
  }
  if (!(await store.switchVersion('jobs', null, { version, schema: jobsProjection.schema }))) {
    throw new Error('could not activate the seeded version');
  }
}

function startTarget(mode: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'lib', 'api-target.ts'), mode, redisServer.url, PREFIX],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match !== null) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** `POST /api/v1/jobs` through a real `coretex start --roles api` on JetStream + Redis. */
async function benchSubmit(): Promise<{ submits_per_s: number; latency_ms: { p50: number; p99: number } }> {
  const nats = await startNatsServer();
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', 'src', 'cli', 'main.ts'), 'start', '--roles', 'api'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NATS_URL: nats.url,
        REDIS_URL: redisServer.url,
        CORETEX_PREFIX: 'benchsubmit',
        CORETEX_API_KEYS: JSON.stringify([
          { id: 'bench', hash: hashApiKey(BENCH_KEY), tenant: 'acme', role: 'operator' },
        ]),
        CORETEX_API_RATE_LIMIT: '100000000/1m',
        CORETEX_LOG_LEVEL: 'warn',
        PORT: '0',
      },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /API listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`coretex exited with ${code}:\n${output}`)));
    });
    let n = 0;
    const options = {
      url: `${url}/api/v1/jobs`,
      method: 'POST' as const,
      connections: CONNECTIONS,
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'job.default', payload: { n: 1 } }),
      // Every other request carries a fresh Idempotency-Key, so claims are part of the cost.
      requests: [
        {
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            headers: {
              ...request.headers,
              ...(n++ % 2 === 0 ? { 'idempotency-key': `bench-${process.pid}-${n}` } : {}),
            },
          }),
        },
      ],
    };
    await autocannon({ ...options, duration: 2 }); // warm-up
    const result = await autocannon({ ...options, duration: DURATION_S });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`submit: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    return {
      submits_per_s: result.requests.average,
      latency_ms: { p50: result.latency.p50, p99: result.latency.p99 },
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await nats.dispose();
  }
}
