/**
 * Picks and opens the adapters for the configured mode: the embedded default (file-backed event
 * store and KV in this process) or NATS JetStream + Redis. Part of the composition root.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { InProcessBus } from './adapters/embedded/bus.ts';
import { FileBlobStore } from './adapters/embedded/file-blob-store.ts';
import { EmbeddedEventStore } from './adapters/embedded/event-store.ts';
import { EmbeddedKvStore } from './adapters/embedded/kv-store.ts';
import { MemoryReadModelStore } from './adapters/embedded/read-model-store.ts';
import { NatsBus } from './adapters/jetstream/bus.ts';
import { connectNats, waitForJetStream } from './adapters/jetstream/connection.ts';
import { assertReplicasSupported } from './adapters/jetstream/replication.ts';
import { JetStreamBlobStore } from './adapters/jetstream/blob-store.ts';
import { GzipBlobStore } from './adapters/node/gzip-blob-store.ts';
import { JetStreamEventStore } from './adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from './adapters/jetstream/kv-store.ts';
import { RedisReadModelStore } from './adapters/redis/read-model-store.ts';
import { KvCursorStore } from './app/coordination/kv-cursor-store.ts';
import { KvLeaseStore, type LeaseRecord } from './app/coordination/kv-lease-store.ts';
import type {
  BlobStore,
  Bus,
  CursorStore,
  EventStore,
  KvStore,
  LeaseStore,
  Logger,
  ReadModelStore,
} from './app/ports.ts';
import { systemClock } from './app/ports.ts';
import type { Settings } from './settings.ts';

export interface Infrastructure {
  readonly description: string;
  readonly events: EventStore;
  readonly kv: KvStore;
  readonly leases: LeaseStore;
  readonly cursors: CursorStore;
  readonly readModels: ReadModelStore;
  readonly bus: Bus;
  /** The archive's segments (docs/retention.md). */
  readonly blobs: BlobStore;
  readonly nats: NatsConnection | null;
  readonly redis: Redis | null;
  close(): Promise<void>;
}

/** `log` hears about waits at start-up (JetStream not answering yet). */
export async function openInfrastructure(settings: Settings, log: Logger | null = null): Promise<Infrastructure> {
  return settings.mode === 'embedded' ? openEmbedded(settings) : openDistributed(settings, log);
}

async function openEmbedded(settings: Settings): Promise<Infrastructure> {
  const events = await EmbeddedEventStore.open({
    dataDir: settings.dataDir,
    partitions: settings.partitions,
    fsync: settings.fsync,
    duplicateWindowMs: settings.duplicateWindowMs,
  });
  const kv = new EmbeddedKvStore({ dataDir: settings.dataDir, fsync: settings.fsync });
  const bus = new InProcessBus();
  return {
    description: `embedded (data in ${settings.dataDir}, fsync ${settings.fsync})`,
    events,
    kv,
    leases: new KvLeaseStore(await new EmbeddedKvStore({ dataDir: null }).bucket<LeaseRecord>('leases'), systemClock),
    cursors: new KvCursorStore(await kv.bucket<number>('cursors')),
    readModels: new MemoryReadModelStore(),
    bus,
    blobs: new GzipBlobStore(new FileBlobStore(join(settings.dataDir, 'archive'))),
    nats: null,
    redis: null,
    async close() {
      await bus.close();
      await events.close();
      await kv.close();
    },
  };
}

async function openDistributed(settings: Settings, log: Logger | null): Promise<Infrastructure> {
  const nats = await connectNats({
    url: settings.natsUrl as string,
    ...(settings.natsUser === null ? {} : { user: settings.natsUser }),
    ...(settings.natsPass === null ? {} : { pass: settings.natsPass }),
  });
  const redis = new Redis(settings.redisUrl as string, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    // Commands issued in the same tick go out in one write: the projectors' fenced commits, the
    // queries of concurrent requests and the lease renewals would otherwise cost a syscall each.
    enableAutoPipelining: true,
  });
  try {
    // A replica count this server cannot honour is a configuration error: say so before the first
    // JetStream request, which on a cluster still electing its meta leader could time out instead.
    assertReplicasSupported(nats, settings.replicas, 'Coretex streams and buckets');
    await waitForJetStream(nats, log);
    await redis.connect();
    const events = await JetStreamEventStore.open(
      nats,
      {
        prefix: settings.prefix,
        partitions: settings.partitions,
        replicas: settings.replicas,
        hotWindowMs: settings.hotWindowMs,
        maxBytes: settings.streamMaxBytes,
        duplicateWindowMs: settings.duplicateWindowMs,
      },
      log,
    );
    const kv = new JetStreamKvStore(nats, { prefix: settings.prefix, replicas: settings.replicas });
    const bus = await NatsBus.open(nats, {
      prefix: settings.prefix,
      replicas: settings.replicas,
      captureMaxAgeMs: settings.captureMaxAgeMs,
    });
    return {
      description: `NATS JetStream ${nats.info?.version ?? ''} at ${settings.natsUrl} (prefix ${settings.prefix}, ${settings.partitions} partitions, R${settings.replicas}) + Redis at ${settings.redisUrl}`,
      events,
      kv,
      leases: new KvLeaseStore(await kv.bucket<LeaseRecord>('leases'), systemClock),
      cursors: new KvCursorStore(await kv.bucket<number>('cursors')),
      readModels: new RedisReadModelStore(redis, settings.prefix),
      bus,
      blobs: new GzipBlobStore(
        await JetStreamBlobStore.open(nats, { prefix: settings.prefix, replicas: settings.replicas }),
      ),
      nats,
      redis,
      async close() {
        await bus.close();
        await events.close();
        await nats.drain();
        redis.disconnect();
      },
    };
  } catch (error) {
    await nats.close();
    redis.disconnect();
    throw error;
  }
}
