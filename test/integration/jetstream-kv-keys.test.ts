/**
 * Listing a JetStream KV bucket's keys (the partition leases list their members every turn) leaves no
 * consumer on the server: nats.js's own listing left one per call for five minutes. The listing is of
 * live keys only: deleted ones and ones past the bucket's age are left out, as `get` leaves them out.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JetStreamKvStore } from '../../src/adapters/jetstream/kv-store.ts';
import { kvBucketName } from '../../src/adapters/jetstream/subjects.ts';
import type { Clock } from '../../src/app/ports.ts';
import { uniquePrefix } from '../harness/prefix.ts';

let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: inject('natsUrl') });
});
afterAll(async () => {
  await nc.close();
});

describe('JetStream KV key listing', () => {
  it('lists live keys and leaves no consumer behind however often it lists', async () => {
    const prefix = uniquePrefix();
    const bucket = await new JetStreamKvStore(nc, { prefix, replicas: 1 }).bucket<number>('members');
    await Promise.all(['c', 'a', 'b', 'gone'].map((key, i) => bucket.put(key, i)));
    expect(await bucket.delete('gone')).toBe(true);
    for (let turn = 0; turn < 20; turn++) expect((await bucket.keys()).sort()).toEqual(['a', 'b', 'c']);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(`KV_${kvBucketName(prefix, 'members')}`);
    expect(info.state.consumer_count).toBe(0);
    await jsm.streams.delete(info.config.name);
  });

  it('leaves out keys past the bucket age that the server has not removed yet', async () => {
    const prefix = uniquePrefix();
    let now = Date.now();
    const clock: Clock = { now: () => now };
    const bucket = await new JetStreamKvStore(nc, { prefix, replicas: 1, clock }).bucket<number>('members', {
      maxAgeMs: 60_000,
    });
    await bucket.put('old', 1);
    expect(await bucket.keys()).toEqual(['old']);
    now += 61_000;
    expect(await bucket.keys()).toEqual([]);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`KV_${kvBucketName(prefix, 'members')}`);
  });
});
