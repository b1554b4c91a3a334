/**
 * bench/readmodel (issue 4), in one run on private servers:
 *  1. rebuild throughput of the `jobs` read model (events/s) against
 *     - a pipelined Redis write of the same write set with no event reading (the write limit), and
 *     - the raw ordered-consumer read rate of the same events (the read limit);
 *  2. list-page latency (limit 50, several filters) at 10 thousand vs 1 million jobs.
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { JetStreamEventStore } from '../src/adapters/jetstream/event-store.ts';
import { RedisReadModelStore } from '../src/adapters/redis/read-model-store.ts';
import { rebuildProjection } from '../src/app/projections/rebuild.ts';
import type { StoredEvent } from '../src/domain/shared/events.ts';
import { streamId } from '../src/domain/shared/stream.ts';
import { writesOfBatch } from '../src/projections/coalesce.ts';
import { jobsProjection } from '../src/projections/jobs/projection.ts';
import { listJobs } from '../src/projections/jobs/queries.ts';
import type { Write } from '../src/projections/write.ts';
import { startNatsServer, startRedisServer } from '../test/harness/servers.ts';
import { happyPath } from './lib/synthetic-jobs.ts';
import { percentile, pipelined, printTable, writeResults } from './lib/report.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 25_000);
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_LARGE ?? 1_000_000);
const PREFIX = 'bench';
const REBUILD_BATCH = 1000;

const nats = await startNatsServer();
const redisServer = await startRedisServer();
const nc = await connect({ servers: nats.url });
const redis = new Redis(redisServer.url);
const results: Record<string, unknown> = {};
try {
  const events = await JetStreamEventStore.open(nc, {
    prefix: PREFIX,
    partitions: 16,
    replicas: 1,
    hotWindowMs: 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
  const store = new RedisReadModelStore(redis, PREFIX);

  // --- A history of JOBS happy-path jobs (4 events each), appended pipelined.
  const t0 = Date.now() - JOBS * 10;
  const lifecycles = Array.from({ length: JOBS }, (_, i) => happyPath(i, 'acme', t0 + i * 10));
  await pipelined(JOBS, 256, async (i) => {
    const s = streamId('job', 'acme', lifecycles[i]![0]!.data.keys.job_id);
    let expected = 0;
    let first = 0;
    for (const e of lifecycles[i]!) {
      const r = await events.append(
        s,
        { type: e.type, data: e.data, actor: 'bench', time: new Date(t0 + i * 10).toISOString() },
        {
          expectedPosition: expected,
          firstPosition: first,
        },
      );
      if (first === 0) first = r.position;
      expected = r.position;
    }
  });
  const total = await events.headPosition('job');

  // --- Read limit: an ordered consumer over the whole stream, decoding JSON, nothing else.
  const all: StoredEvent[] = [];
  const readStart = performance.now();
  const consumer = await jetstream(nc).consumers.get(`${PREFIX.toUpperCase()}_JOB`, {
    deliver_policy: DeliverPolicy.All,
  });
  const messages = await consumer.consume({ max_messages: 1024 });
  for await (const m of messages) {
    all.push({ ...(JSON.parse(new TextDecoder().decode(m.data)) as StoredEvent), position: m.seq });
    if (m.seq >= total) break;
  }
  messages.stop();
  const readMs = performance.now() - readStart;

  // --- Write limit: the same write set, pipelined straight to Redis (no reading, no Lua, no fence): what
  // the rebuild commits, i.e. each batch of 1,000 events' writes coalesced (src/projections/coalesce.ts).
  const writes: Write[] = [];
  for (let i = 0; i < all.length; i += REBUILD_BATCH)
    writes.push(...writesOfBatch(jobsProjection, all.slice(i, i + REBUILD_BATCH)));
  const uncoalesced = all.reduce((n, e) => n + jobsProjection.evolve(e).length, 0);
  const ns = `{${PREFIX}:rawjobs:v1}:`;
  const writeStart = performance.now();
  for (let i = 0; i < writes.length; i += 5000) {
    const pipeline = redis.pipeline();
    for (const w of writes.slice(i, i + 5000)) {
      if (w.op === 'hset') pipeline.hset(ns + w.key, w.fields);
      else if (w.op === 'zadd') pipeline.zadd(ns + w.key, w.score, w.member);
      else if (w.op === 'zrem') pipeline.zrem(ns + w.key, w.member);
      else if (w.op === 'del') pipeline.del(ns + w.key);
      else if (w.op === 'set') pipeline.set(ns + w.key, w.value);
    }
    await pipeline.exec();
  }
  const writeMs = performance.now() - writeStart;

  // --- Rebuild: read + evolve + fenced Lua commits.
  const rebuild = await rebuildProjection({ events, store }, jobsProjection, {
    batchSize: REBUILD_BATCH,
    dropOldAfterMs: 0,
  });

  const readRate = (total / readMs) * 1000;
  const writeRate = (total / writeMs) * 1000;
  const rebuildRate = (rebuild.events / rebuild.ms) * 1000;
  printTable(
    `bench/readmodel — rebuild of \`jobs\` over ${total.toLocaleString('en-US')} events (${JOBS.toLocaleString('en-US')} jobs), ${writes.length.toLocaleString('en-US')} writes (${uncoalesced.toLocaleString('en-US')} before coalescing)`,
    [
      { path: 'raw ordered-consumer read', 'events/s': readRate, 'rebuild ratio': rebuildRate / readRate },
      {
        path: 'pipelined Redis write of the same write set',
        'events/s': writeRate,
        'rebuild ratio': rebuildRate / writeRate,
      },
      { path: 'rebuild (read + evolve + fenced commit)', 'events/s': rebuildRate, 'rebuild ratio': 1 },
    ],
  );
  console.log(
    `target: rebuild >= 0.5 x pipelined write — ${(rebuildRate / writeRate).toFixed(2)} (${rebuildRate / writeRate >= 0.5 ? 'met' : 'MISSED'})`,
  );
  results.rebuild = {
    events: total,
    writes: writes.length,
    writes_before_coalescing: uncoalesced,
    read_per_s: readRate,
    write_per_s: writeRate,
    rebuild_per_s: rebuildRate,
  };

  // --- List latency at 10k vs 1M jobs: seed read models directly with committed writes.
  const latency = async (count: number) => {
    const seedNs = { projection: `list${count}`, version: 1 };
    let checkpoint = 0;
    const base = Date.now() - count * 5;
    for (let i = 0; i < count; i += 2000) {
      const batch: Write[] = [];
      for (let j = i; j < Math.min(count, i + 2000); j++) {
        const [submitted] = happyPath(j, 'acme', base + j * 5);
        batch.push(
          ...jobsProjection.evolve({
            ...(submitted as StoredEvent),
            id: `e${j}`,
            schema_version: 1,
            stream_id: `job:acme:${j}`,
            time: new Date(base + j * 5).toISOString(),
            trace_id: null,
            causation_id: null,
            correlation_id: null,
            actor: 'bench',
            tenant: 'acme',
            first_position: 0,
            position: j + 1,
          }),
        );
      }
      const r = await store.commit(seedNs, 'job', { expect: checkpoint, checkpoint: checkpoint + 1, writes: batch });
      if (!r.ok) throw new Error('seed commit failed');
      checkpoint++;
    }
    const filters = [
      {},
      { state: 'PENDING' as const },
      { topic: 'job.email' },
      { team: 'data', state: 'PENDING' as const },
    ];
    const samples: number[] = [];
    for (let round = -40; round < 400; round++) {
      const filter = filters[((round % filters.length) + filters.length) % filters.length]!;
      const started = performance.now();
      let page = await listJobs(store, seedNs, { tenant: 'acme', filter, sort: 'created', limit: 50 });
      // Every other sample pages deep: the cursor must cost the same as the first page.
      if (round % 2 === 1 && page.next_cursor !== null) {
        page = await listJobs(store, seedNs, {
          tenant: 'acme',
          filter,
          sort: 'created',
          limit: 50,
          cursor: page.next_cursor,
        });
      }
      if (round >= 0) samples.push(performance.now() - started); // the first 40 warm up
      if (page.items.length !== 50) throw new Error(`short page (${page.items.length}) at ${count}`);
    }
    await store.dropNamespace(seedNs);
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  };
  const small = await latency(SMALL);
  const large = await latency(LARGE);
  printTable('bench/readmodel — list page (limit 50) latency', [
    { jobs: SMALL, 'p50 ms': small.p50, 'p99 ms': small.p99 },
    { jobs: LARGE, 'p50 ms': large.p50, 'p99 ms': large.p99 },
    { jobs: 'ratio large/small', 'p50 ms': large.p50 / small.p50, 'p99 ms': large.p99 / small.p99 },
  ]);
  console.log(
    `target: p50 ratio <= 1.5 — ${(large.p50 / small.p50).toFixed(2)} (${large.p50 / small.p50 <= 1.5 ? 'met' : 'MISSED'})`,
  );
  results.list = { small: { jobs: SMALL, ...small }, large: { jobs: LARGE, ...large } };
  console.log(`results: ${writeResults('readmodel', results)}`);
  await events.close();
} finally {
  await nc.close();
  redis.disconnect();
  await nats.dispose();
  await redisServer.dispose();
}
