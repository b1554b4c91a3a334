/**
 * An ordered reader (src/adapters/jetstream/ordered-reader.ts) whose pull request ends without the
 * server's 408 saying so. nats-server 2.9 does that now and then under load; the client still counts
 * the request's unused messages as coming and does not pull again, so only the missed heartbeats
 * wake it. A proxy between the reader and a real nats-server drops every 408 on its way, and a
 * message is stored every 100 ms: the reader must deliver every one, once, in order, and those stored
 * after a lost expiry must wait no longer than the heartbeats take to notice (they waited 5-7.5 s when
 * the heartbeat was nats.js's default, half the expiry).
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openOrdered, PULL_HEARTBEAT_MS } from '../../src/adapters/jetstream/ordered-reader.ts';
import { type NatsProxy, startNatsProxy } from '../harness/nats-proxy.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { waitFor } from '../harness/wait-for.ts';

let proxy: NatsProxy;
let direct: NatsConnection;
let proxied: NatsConnection;

beforeAll(async () => {
  proxy = await startNatsProxy(inject('natsUrl'), (message) => message.headers.startsWith('NATS/1.0 408'));
  direct = await connect({ servers: inject('natsUrl') });
  proxied = await connect({ servers: proxy.url });
});
afterAll(async () => {
  await proxied.close();
  await direct.close();
  await proxy.close();
});

it('a reader whose pull request expired unannounced delivers again within its heartbeats', async () => {
  const prefix = uniquePrefix('lostexp');
  const stream = `${prefix}_T`.toUpperCase();
  const jsm = await jetstreamManager(direct);
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.t`] });
  const js = jetstream(direct);

  const storedAt = new Map<number, number>();
  const deliveredAt = new Map<number, number>();
  const order: number[] = [];
  // 1,024 messages per pull at ten a second: a request is far from used up when it expires.
  const messages = await openOrdered(jetstream(proxied), stream, null, 1, 1024);
  const reading = (async () => {
    for await (const m of messages) {
      order.push(m.seq);
      deliveredAt.set(m.seq, Date.now());
    }
  })();

  try {
    // The load: a message stored every 100 ms (a rate, not a wait), until 3 s after the first lost
    // expiry (the first pull's, at 5 s).
    const publishes: Promise<void>[] = [];
    const load = setInterval(() => {
      publishes.push(
        js.publish(`${prefix}.t`, new TextEncoder().encode('x')).then((ack) => void storedAt.set(ack.seq, Date.now())),
      );
    }, 100);
    let firstLoss = Infinity;
    try {
      firstLoss = await waitFor('a pull request expired (its 408 dropped)', () => proxy.dropped[0]?.at, {
        timeoutMs: 15_000,
      });
      await waitFor('3 s of load after the lost expiry', () => Date.now() >= firstLoss + 3_000, { timeoutMs: 5_000 });
    } finally {
      clearInterval(load);
      await Promise.all(publishes);
    }
    const last = Math.max(...storedAt.keys());
    await waitFor('every stored message delivered', () => deliveredAt.has(last), { timeoutMs: 15_000 });

    expect(order).toEqual([...storedAt.keys()].sort((a, b) => a - b));
    const afterLoss = [...storedAt].filter(([, at]) => at > firstLoss);
    expect(afterLoss.length).toBeGreaterThan(10);
    const waits = afterLoss.map(([seq, at]) => (deliveredAt.get(seq) ?? Infinity) - at);
    // Two missed heartbeats, the check of the consumer and a new pull, with room for a busy machine.
    expect(Math.max(...waits)).toBeLessThan(6 * PULL_HEARTBEAT_MS);
  } finally {
    messages.stop();
    await reading;
    await jsm.streams.delete(stream);
  }
});
