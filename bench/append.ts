/**
 * bench/append (issue 2): the event store's append path against the physical limit, in one run on a
 * private nats-server:
 *   raw       pipelined js.publish of the same bytes with the same headers (Nats-Msg-Id and
 *             Nats-Expected-Last-Subject-Sequence) and the same in-flight window
 *   pipelined EventStore.append on existing aggregates, expected positions from a real load
 *   awaited   EventStore.append, one at a time
 * Each pipelined worker owns its aggregates, so no append conflicts: this measures the path, not retries.
 */

import { randomBytes } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { JetStreamEventStore } from '../src/adapters/jetstream/event-store.ts';
import { eventSubject } from '../src/adapters/jetstream/subjects.ts';
import { streamId } from '../src/domain/shared/stream.ts';
import { startNatsServer } from '../test/harness/servers.ts';
import { percentile, pipelined, printTable, writeResults } from './lib/report.ts';

const WINDOW = Number(process.env.BENCH_WINDOW ?? 256);
const AGGREGATES = 4096;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const AWAITED = 3000;
const PARTITIONS = 16;

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
try {
  const prefix = 'bench';
  const store = await JetStreamEventStore.open(nc, {
    prefix,
    partitions: PARTITIONS,
    replicas: 1,
    hotWindowMs: 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
  const js = jetstream(nc);
  // A representative event: a JobScheduled-sized body.
  const data = {
    keys: {
      job_id: '01JDV0000000000000000000',
      topic: 'job.default',
      team: 'platform',
      trace_id: randomBytes(16).toString('hex'),
      workflow_id: null,
      run_id: null,
      priority: 'batch',
      created_at: Date.now(),
    },
    status_before: 'PENDING',
    status_after: 'SCHEDULED',
    due_at: Date.now() + 60_000,
    deadline_at: null,
    attempt: 1,
    target: { kind: 'worker', worker_id: 'worker-1', pool: 'default' },
    token: randomBytes(12).toString('base64url'),
    safety: {
      decision: 'ALLOW',
      reason: null,
      source: 'builtin',
      policy_version: randomBytes(16).toString('hex'),
      constraints: null,
      retry_after_ms: null,
    },
    limits: { dispatch_ms: 60_000, running_ms: 900_000, max_attempts: 3 },
  };
  const streams = Array.from({ length: AGGREGATES }, (_, i) => streamId('job', 'acme', `agg-${i}`));
  const rawStreams = Array.from({ length: AGGREGATES }, (_, i) => streamId('job', 'acme', `raw-${i}`));
  const time = new Date().toISOString();

  // Create both sets of aggregates (not timed), then load the store's through the store.
  const last = new Map<number, number>();
  const first = new Map<number, number>();
  const rawLast = new Map<number, number>();
  await pipelined(AGGREGATES, WINDOW, async (i) => {
    const r = await store.append(
      streams[i]!,
      { type: 'JobSubmitted', data, actor: 'bench', time },
      { expectedPosition: 0, firstPosition: 0 },
    );
    const raw = await store.append(
      rawStreams[i]!,
      { type: 'JobSubmitted', data, actor: 'bench', time },
      { expectedPosition: 0, firstPosition: 0 },
    );
    rawLast.set(i, raw.position);
    void r;
  });
  await pipelined(AGGREGATES, WINDOW, async (i) => {
    const history = await store.read(streams[i]!);
    last.set(i, history.lastPosition);
    first.set(i, history.firstPosition);
  });
  const envelopeBytes = JSON.stringify({
    id: 'x'.repeat(32),
    type: 'JobScheduled',
    schema_version: 1,
    stream_id: `job:acme:agg-0`,
    time,
    trace_id: null,
    causation_id: null,
    correlation_id: null,
    actor: 'bench',
    tenant: 'acme',
    first_position: 1,
    data,
  });
  const count = AGGREGATES * ROUNDS;

  // Raw: the same payload bytes, headers and window, straight to JetStream.
  const rawSubjects = rawStreams.map((s) => eventSubject(prefix, s, PARTITIONS));
  const rawMs = await pipelined(count, WINDOW, async (n) => {
    const i = n % AGGREGATES;
    const ack = await js.publish(rawSubjects[i]!, envelopeBytes, {
      msgID: randomBytes(16).toString('base64url'),
      expect: { lastSubjectSequence: rawLast.get(i)! },
    });
    rawLast.set(i, ack.seq);
  });

  // Pipelined EventStore.append.
  const pipelinedMs = await pipelined(count, WINDOW, async (n) => {
    const i = n % AGGREGATES;
    const r = await store.append(
      streams[i]!,
      { type: 'JobScheduled', data: { ...data, attempt: n }, actor: 'bench', time },
      { expectedPosition: last.get(i)!, firstPosition: first.get(i)! },
    );
    last.set(i, r.position);
  });

  // One awaited append at a time.
  const latencies: number[] = [];
  const awaitedStart = performance.now();
  for (let n = 0; n < AWAITED; n++) {
    const i = n % AGGREGATES;
    const t0 = performance.now();
    const r = await store.append(
      streams[i]!,
      { type: 'JobProgressed', data: { ...data, attempt: n }, actor: 'bench', time },
      { expectedPosition: last.get(i)!, firstPosition: first.get(i)! },
    );
    latencies.push(performance.now() - t0);
    last.set(i, r.position);
  }
  const awaitedMs = performance.now() - awaitedStart;
  latencies.sort((a, b) => a - b);

  const rawRate = (count / rawMs) * 1000;
  const pipelinedRate = (count / pipelinedMs) * 1000;
  const awaitedRate = (AWAITED / awaitedMs) * 1000;
  const rows = [
    { path: 'raw pipelined js.publish', messages: count, window: WINDOW, 'msgs/s': rawRate, 'ratio vs raw': 1 },
    {
      path: 'EventStore.append pipelined',
      messages: count,
      window: WINDOW,
      'msgs/s': pipelinedRate,
      'ratio vs raw': pipelinedRate / rawRate,
    },
    {
      path: 'EventStore.append awaited',
      messages: AWAITED,
      window: 1,
      'msgs/s': awaitedRate,
      'ratio vs raw': awaitedRate / rawRate,
    },
  ];
  printTable(
    `bench/append — nats-server ${nc.info?.version}, ${Buffer.byteLength(envelopeBytes)} B events, Node ${process.version}`,
    rows,
  );
  console.log(
    `awaited append latency: p50 ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms`,
  );
  const target = pipelinedRate / rawRate >= 0.7 ? 'met' : 'MISSED';
  console.log(`target: pipelined/raw >= 0.7 — ${(pipelinedRate / rawRate).toFixed(2)} (${target})`);
  const path = writeResults('append', {
    server: nc.info?.version,
    event_bytes: Buffer.byteLength(envelopeBytes),
    window: WINDOW,
    raw_per_s: rawRate,
    pipelined_per_s: pipelinedRate,
    awaited_per_s: awaitedRate,
    ratio_pipelined_to_raw: pipelinedRate / rawRate,
    awaited_latency_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
  });
  console.log(`results: ${path}`);
  await store.close();
} finally {
  await nc.close();
  await server.dispose();
}
