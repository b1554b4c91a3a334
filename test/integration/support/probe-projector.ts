/**
 * A projector process for fault tests: runs the probe projection's runner against real NATS + Redis
 * until killed. CORETEX_CRASH_AT (if set) makes it die at a named crash point. Prints one JSON line
 * per commit: {"checkpoint": n}.
 */
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { JetStreamEventStore } from '../../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../../src/adapters/jetstream/kv-store.ts';
import { crashPointsFromEnv } from '../../../src/adapters/process/crash-points.ts';
import { RedisReadModelStore } from '../../../src/adapters/redis/read-model-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../../src/app/coordination/kv-lease-store.ts';
import { silentLogger, systemClock } from '../../../src/app/ports.ts';
import { ProjectionRunner } from '../../../src/app/projections/runner.ts';
import { probeProjection } from '../../support/probe-projection.ts';

const [natsUrl, redisUrl, prefix, owner, ttl] = process.argv.slice(2);
if (!natsUrl || !redisUrl || !prefix || !owner)
  throw new Error('usage: probe-projector nats redis prefix owner [ttlMs]');
const nc = await connect({ servers: natsUrl });
const redis = new Redis(redisUrl);
const events = await JetStreamEventStore.open(nc, {
  prefix,
  partitions: 4,
  replicas: 1,
  hotWindowMs: 0,
  maxBytes: -1,
  duplicateWindowMs: 30_000,
});
const kv = new JetStreamKvStore(nc, { prefix, replicas: 1 });
const runner = new ProjectionRunner(
  {
    events,
    store: new RedisReadModelStore(redis, prefix),
    leases: new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock),
    clock: systemClock,
    crash: crashPointsFromEnv(),
    log: silentLogger,
  },
  probeProjection,
  {
    owner,
    leaseTtlMs: Number(ttl ?? 1000),
    pollMs: 100,
    maxBatch: 7,
    onCommit: (_stream, checkpoint) => process.stdout.write(`${JSON.stringify({ checkpoint })}\n`),
  },
);
runner.start();
process.stdout.write(`${JSON.stringify({ started: owner })}\n`);
