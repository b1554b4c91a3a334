/**
 * The fault suite's probe projector (a process, killed and restarted with the Coretex engine): the
 * real `ProjectionRunner` with a projection that INCRs one counter per application of each job and
 * run event (not idempotent on purpose), so an event applied twice shows as a 2 and one skipped as a
 * missing key. CORETEX_CRASH_AT arms the projector's crash points here too.
 * Usage: probe-process <nats> <redis> <prefix> <owner> <leaseTtlMs>
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
import { FAULT_PROBE } from './probe-projection.ts';

const [natsUrl, redisUrl, prefix, owner, ttl] = process.argv.slice(2);
if (!natsUrl || !redisUrl || !prefix || !owner) throw new Error('usage: probe-process nats redis prefix owner [ttlMs]');
const nc = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
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
const deps = {
  events,
  store: new RedisReadModelStore(redis, prefix),
  leases: new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock),
  clock: systemClock,
  crash: crashPointsFromEnv(),
  log: silentLogger,
};
new ProjectionRunner(deps, FAULT_PROBE, { owner, leaseTtlMs: Number(ttl ?? 1500), pollMs: 100, maxBatch: 64 }).start();
process.stdout.write(`probe runner started: ${owner}\n`);
