/**
 * What a projector process of the fault tests runs its `ProjectionRunner` on: the real JetStream event
 * store (4 partitions, no hot window unless told: it must match the installation's, or opening the store
 * would set the job stream's max age back), the Redis read-model store, leases in the NATS KV bucket, the
 * system clock and the crash points armed by CORETEX_CRASH_AT.
 */
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../src/adapters/jetstream/kv-store.ts';
import { crashPointsFromEnv } from '../../src/adapters/process/crash-points.ts';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../src/app/coordination/kv-lease-store.ts';
import { silentLogger, systemClock } from '../../src/app/ports.ts';

export async function projectorDeps(options: {
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Keep reconnecting to NATS for ever (a test that restarts nats-server under the process). */
  readonly reconnect?: boolean;
  /** The installation's CORETEX_HOT_WINDOW in ms (default 0: none). */
  readonly hotWindowMs?: number;
}) {
  const nc = await connect({
    servers: options.natsUrl,
    ...(options.reconnect === true ? { maxReconnectAttempts: -1, reconnectTimeWait: 200 } : {}),
  });
  const events = await JetStreamEventStore.open(nc, {
    prefix: options.prefix,
    partitions: 4,
    replicas: 1,
    hotWindowMs: options.hotWindowMs ?? 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
  const kv = new JetStreamKvStore(nc, { prefix: options.prefix, replicas: 1 });
  return {
    events,
    store: new RedisReadModelStore(new Redis(options.redisUrl), options.prefix),
    leases: new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock),
    clock: systemClock,
    crash: crashPointsFromEnv(),
    log: silentLogger,
  };
}
