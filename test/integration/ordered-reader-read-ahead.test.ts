/**
 * An ordered reader (src/adapters/jetstream/ordered-reader.ts) whose caller is slower than the stream
 * holds a bounded number of messages ahead of it. nats.js's own iterator does not: a pull request
 * that has delivered everything sends no heartbeats, so a caller that takes longer than two heartbeats
 * over a pull's worth makes nats.js queue one more full pull per heartbeat, all sent once the caller
 * moves on, and the server then delivers ever more ahead (in a soak, 219,000 messages held by the
 * archiver's reader after ten minutes). Here a caller is busy for much longer than the two heartbeats
 * (1 s) nats.js waits for: how far the server has delivered past what the caller took (seen by a proxy
 * on the reader's connection) must stay within
 * the reader's bound, and every message must arrive once, in order, across the reader's pauses.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openOrdered, PULL_HEARTBEAT_MS, READ_AHEAD_PULLS } from '../../src/adapters/jetstream/ordered-reader.ts';
import { type NatsProxy, startNatsProxy } from '../harness/nats-proxy.ts';
import { uniquePrefix } from '../harness/prefix.ts';

let writer: NatsConnection;
let reader: NatsConnection;
let proxy: NatsProxy;
/** The highest stream sequence the server has delivered to the reader's connection. */
let highestDelivered = 0;

beforeAll(async () => {
  writer = await connect({ servers: inject('natsUrl') });
  // The reader's connection goes through a proxy that watches the deliveries (drops nothing): a
  // JetStream delivery's reply subject is $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>...
  proxy = await startNatsProxy(inject('natsUrl'), ({ reply }) => {
    if (reply?.startsWith('$JS.ACK.') === true)
      highestDelivered = Math.max(highestDelivered, Number(reply.split('.')[5]));
    return false;
  });
  reader = await connect({ servers: proxy.url });
});
afterAll(async () => {
  await reader.close();
  await writer.close();
  await proxy.close();
});

const PULL = 64;
const STORED = 10_000;

it('a reader slower than its stream holds a bounded read-ahead and loses nothing across its pauses', async () => {
  highestDelivered = 0;
  const prefix = uniquePrefix('readahead');
  const stream = `${prefix}_T`.toUpperCase();
  const jsm = await jetstreamManager(writer);
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.*`] });
  const js = jetstream(writer);
  // Two subjects interleaved; the reader follows one, so its pauses resume a filtered consumer.
  const wanted: number[] = [];
  for (let from = 0; from < STORED; from += 500) {
    const acks = await Promise.all(
      Array.from({ length: 500 }, (_, i) => js.publish(`${prefix}.${(from + i) % 2 === 0 ? 'a' : 'b'}`, 'x')),
    );
    for (const ack of acks) if (ack.seq % 2 === 1) wanted.push(ack.seq);
  }

  // How many wanted messages the server has delivered past the last one taken: what the reader holds.
  const aheadOfCaller = () => {
    const last = taken.at(-1) ?? 0;
    return wanted.filter((seq) => seq > last && seq <= highestDelivered).length;
  };
  const taken: number[] = [];
  // At most the reader's own queue and the pull nats.js had in hand when it paused, and one pull more
  // (nats.js asks again when it misses heartbeats while a pull is outstanding; rare, but allowed).
  const bound = (READ_AHEAD_PULLS + 2) * PULL;
  const messages = await openOrdered(jetstream(reader), stream, `${prefix}.a`, 1, PULL);
  let mostAhead = 0;
  const iterator = messages[Symbol.asyncIterator]();
  try {
    const take = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const step = await iterator.next();
        if (step.done === true) throw new Error('the reader ended early');
        taken.push(step.value.seq);
      }
    };
    // The caller takes one message and is then busy for twelve heartbeats (as the archiver is while it
    // writes a batch away), then takes two pulls' worth and is busy again: whatever nats.js asked for
    // meanwhile arrives now. Watched throughout: the server must never get further ahead than the bound.
    await take(1);
    const watch = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        mostAhead = Math.max(mostAhead, aheadOfCaller());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await watch(12 * PULL_HEARTBEAT_MS);
    await take(2 * PULL);
    await watch(4 * PULL_HEARTBEAT_MS);
    // The rest at full speed.
    while (taken.length < wanted.length) {
      const step = await iterator.next();
      if (step.done === true) break;
      taken.push(step.value.seq);
    }
  } finally {
    messages.stop();
    await jsm.streams.delete(stream);
  }

  expect(taken).toEqual(wanted);
  expect(mostAhead).toBeGreaterThan(0);
  expect(mostAhead).toBeLessThanOrEqual(bound);
});
