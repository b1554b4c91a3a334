/**
 * JetStream event streams: created idempotently with explicit settings, R3 refused on nats-server
 * < 2.11, the partition count fixed at creation, and subscriptions that survive a server restart.
 */
import { DiscardPolicy, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../src/adapters/jetstream/kv-store.ts';
import { ConfigError } from '../../src/app/config-error.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { type RunningServer, startNatsServer } from '../harness/servers.ts';
import { waitFor } from '../harness/wait-for.ts';

const settings = (prefix: string, overrides: Partial<Parameters<typeof JetStreamEventStore.open>[1]> = {}) => ({
  prefix,
  partitions: 8,
  replicas: 1,
  hotWindowMs: 72 * 3600_000,
  maxBytes: 64 * 1024 * 1024,
  duplicateWindowMs: 30_000,
  ...overrides,
});

describe('JetStream event streams', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
  });
  afterAll(async () => {
    await nc.close();
  });

  it('are created once with explicit settings, and opening again changes nothing', async () => {
    const prefix = uniquePrefix();
    await JetStreamEventStore.open(nc, settings(prefix));
    await JetStreamEventStore.open(nc, settings(prefix));
    const jsm = await jetstreamManager(nc);
    const job = await jsm.streams.info(`${prefix.toUpperCase()}_JOB`);
    expect(job.config).toMatchObject({
      subjects: [`${prefix}.job.>`],
      storage: StorageType.File,
      num_replicas: 1,
      discard: DiscardPolicy.New,
      deny_delete: true,
      deny_purge: true,
      allow_direct: true,
      max_bytes: 64 * 1024 * 1024,
      max_age: 72 * 3600_000 * 1_000_000,
      duplicate_window: 30_000 * 1_000_000,
      description: 'coretex job events; partitions=8',
    });
    const run = await jsm.streams.info(`${prefix.toUpperCase()}_RUN`);
    expect(run.config.max_age).toBe(0);
    for (const type of ['JOB', 'RUN', 'DLQ', 'WORKFLOW', 'CONFIG', 'OP']) {
      await jsm.streams.delete(`${prefix.toUpperCase()}_${type}`);
    }
  });

  it('answer an append nobody acknowledges as unavailable (503, retry), not as a bug', async () => {
    const prefix = uniquePrefix();
    const events = await JetStreamEventStore.open(nc, settings(prefix));
    // The stream gone from under the store: the publish gets no acknowledgement, as when its node is down.
    await (await jetstreamManager(nc)).streams.delete(`${prefix.toUpperCase()}_JOB`);
    const appended = events.append(
      streamId('job', 'acme', 'j1'),
      { type: 'JobSubmitted', data: {}, time: new Date().toISOString(), actor: 'test', trace_id: null },
      { expectedPosition: 0, firstPosition: 0 },
    );
    await expect(appended).rejects.toMatchObject({ name: 'UnavailableError', code: 'event_store_unavailable' });
    await events.close();
  });

  it('refuse replicated streams and KV buckets on nats-server < 2.11', async () => {
    expect(nc.info?.version).toMatch(/^2\.(9|10)\./);
    const prefix = uniquePrefix();
    const opening = JetStreamEventStore.open(nc, settings(prefix, { replicas: 3 }));
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(/needs nats-server >= 2\.11\.0.*4320/);
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    expect(names.filter((n) => n.startsWith(prefix.toUpperCase()))).toEqual([]);
    await expect(new JetStreamKvStore(nc, { prefix, replicas: 3 }).bucket('leases')).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('refuse to reopen streams with another partition count', async () => {
    const prefix = uniquePrefix();
    await JetStreamEventStore.open(nc, settings(prefix));
    await expect(JetStreamEventStore.open(nc, settings(prefix, { partitions: 16 }))).rejects.toThrow(
      /created with 8 partitions, not 16/,
    );
    const jsm = await jetstreamManager(nc);
    for (const type of ['JOB', 'RUN', 'DLQ', 'WORKFLOW', 'CONFIG', 'OP']) {
      await jsm.streams.delete(`${prefix.toUpperCase()}_${type}`);
    }
  });
});

describe('JetStream subscriptions across a nats-server restart', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('deliver every event, in order, when the server restarts mid-stream', { timeout: 60_000 }, async () => {
    const writerConn = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const readerConn = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const prefix = uniquePrefix();
    const writer = await JetStreamEventStore.open(writerConn, settings(prefix));
    const reader = await JetStreamEventStore.open(readerConn, settings(prefix));
    const seen: StoredEvent[] = [];
    const sub = reader.subscribe('run', { from: 1 }, async (batch) => {
      seen.push(...batch);
    });
    const appendMany = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        for (;;) {
          try {
            await writer.append(
              streamId('run', 'acme', `run-${i}`),
              { type: 'E', data: { i }, actor: 't', time: new Date().toISOString() },
              { expectedPosition: 0, firstPosition: 0 },
            );
            break;
          } catch (error) {
            // While the server restarts a publish can fail; a retry is deduplicated by its id.
            if ((error as Error).name === 'ConcurrencyError') break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
    };
    try {
      await appendMany(0, 50);
      await waitFor('the first 50', () => seen.length >= 50);
      await server.restart();
      await appendMany(50, 50);
      await waitFor('all 100 after the restart', () => seen.length >= 100, { timeoutMs: 30_000 });
      expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([...Array(100).keys()]);
      expect(seen.map((e) => e.position)).toEqual([...Array(100).keys()].map((i) => i + 1));
    } finally {
      await sub.stop();
      await writerConn.close();
      await readerConn.close();
    }
  });
});
