/**
 * The NATS helpers of src/nats against a real nats-server: the request multiplexer (replies reach their
 * own waiter, silence and absence are told apart, a closed connection fails whatever still waits),
 * stream publishes (ack, duplicate, refused expectation, typed), direct gets (by subject, by sequence
 * and subject, nothing found, a typed refusal), and connections whose writes are
 * coalesced per event-loop turn (nothing lost or reordered, a flush covers what the turn wrote, and
 * they carry on after the server restarts).
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectCoalesced } from '../../src/nats/connect.ts';
import { type DirectMessage, DirectGetError, directGet } from '../../src/nats/direct-get.ts';
import { NoRespondersError, Requests, RequestTimeoutError } from '../../src/nats/requests.ts';
import { publishToStream, StreamPublishError, WRONG_LAST_SEQUENCE } from '../../src/nats/stream-publish.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { startNatsServer } from '../harness/servers.ts';
import { waitFor } from '../harness/wait-for.ts';

const decoder = new TextDecoder();

describe('Requests on a real nats-server', () => {
  let nc: NatsConnection;
  let prefix: string;
  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
    prefix = uniquePrefix('req');
  });
  afterAll(async () => {
    await nc.close();
  });

  it('routes each of many concurrent replies to its own request', async () => {
    const subject = `${prefix}.echo`;
    // Replies in the reverse order of arrival, so routing by arrival order would mismatch them.
    const held: { respond: () => void }[] = [];
    const sub = nc.subscribe(subject, {
      callback: (_error, msg) => {
        held.push({ respond: () => msg.respond(`re:${decoder.decode(msg.data)}`) });
        if (held.length === 200) for (const h of held.reverse()) h.respond();
      },
    });
    await nc.flush();
    const requests = Requests.of(nc);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => requests.request(subject, String(i), 5_000)),
    );
    expect(replies.map((m) => decoder.decode(m.data))).toEqual(Array.from({ length: 200 }, (_, i) => `re:${i}`));
    expect(requests.pending).toBe(0);
    sub.unsubscribe();
  });

  it('is one multiplexer per connection', () => {
    expect(Requests.of(nc)).toBe(Requests.of(nc));
  });

  it('tells no responders from a timeout', async () => {
    const requests = Requests.of(nc);
    await expect(requests.request(`${prefix}.nobody`, 'x', 5_000)).rejects.toBeInstanceOf(NoRespondersError);

    const silent = nc.subscribe(`${prefix}.silent`, { callback: () => {} });
    await nc.flush();
    const started = Date.now();
    const error = await requests.request(`${prefix}.silent`, 'x', 150).catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).subject).toBe(`${prefix}.silent`);
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(requests.pending).toBe(0);
    silent.unsubscribe();
  });

  it('lets a late reply to a timed-out request go nowhere, and keeps serving new ones', async () => {
    const subject = `${prefix}.late`;
    let first: (() => void) | null = null;
    const sub = nc.subscribe(subject, {
      callback: (_error, msg) => {
        if (first === null) first = () => msg.respond('late');
        else msg.respond('on time');
      },
    });
    await nc.flush();
    const requests = Requests.of(nc);
    await expect(requests.request(subject, 'a', 50)).rejects.toBeInstanceOf(RequestTimeoutError);
    (first as unknown as () => void)();
    const reply = await requests.request(subject, 'b', 5_000);
    expect(decoder.decode(reply.data)).toBe('on time');
    sub.unsubscribe();
  });

  it('fails what still waits when the connection closes', async () => {
    const own = await connect({ servers: inject('natsUrl') });
    const silent = own.subscribe(`${prefix}.void`, { callback: () => {} });
    await own.flush();
    const waiting = Requests.of(own).request(`${prefix}.void`, 'x', 60_000);
    const failed = expect(waiting).rejects.toThrow(/closed/);
    silent.unsubscribe();
    await own.close();
    await failed;
  });
});

describe('publishToStream on a real nats-server', () => {
  let nc: NatsConnection;
  let subject: string;
  let stream: string;
  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
    const prefix = uniquePrefix('pub');
    stream = prefix.toUpperCase();
    subject = `${prefix}.events`;
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], duplicate_window: 60_000_000_000 });
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream);
    await nc.close();
  });

  it('answers the stored sequence, and the same one for a repeated message id', async () => {
    const requests = Requests.of(nc);
    const first = await publishToStream(requests, subject, '{"n":1}', { msgId: 'm-1', timeoutMs: 5_000 });
    expect(first).toEqual({ stream, seq: first.seq, duplicate: false });
    const again = await publishToStream(requests, subject, '{"n":1}', { msgId: 'm-1', timeoutMs: 5_000 });
    expect(again).toEqual({ stream, seq: first.seq, duplicate: true });
    const next = await publishToStream(requests, subject, '{"n":2}', { msgId: 'm-2', timeoutMs: 5_000 });
    expect(next.seq).toBe(first.seq + 1);
  });

  it('refuses a publish whose expected last subject sequence is not the last, with its code', async () => {
    const requests = Requests.of(nc);
    const own = `${subject}.expect`;
    const first = await publishToStream(requests, own, 'a', { expectedLastSubjectSequence: 0, timeoutMs: 5_000 });
    const refused = await publishToStream(requests, own, 'b', {
      expectedLastSubjectSequence: 0,
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StreamPublishError);
    expect((refused as StreamPublishError).code).toBe(WRONG_LAST_SEQUENCE);
    expect((refused as StreamPublishError).status).toBe(400);
    const second = await publishToStream(requests, own, 'b', {
      expectedLastSubjectSequence: first.seq,
      timeoutMs: 5_000,
    });
    expect(second.seq).toBeGreaterThan(first.seq);
  });

  it('says no responders when no stream captures the subject', async () => {
    await expect(
      publishToStream(Requests.of(nc), 'nostream.anywhere', 'x', { timeoutMs: 5_000 }),
    ).rejects.toBeInstanceOf(NoRespondersError);
  });
});

describe('directGet on a real nats-server', () => {
  let nc: NatsConnection;
  let prefix: string;
  let stream: string;
  const seqs: Record<string, number[]> = { a: [], b: [] };
  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
    prefix = uniquePrefix('dget');
    stream = prefix.toUpperCase();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], allow_direct: true });
    // a1 b1 a2 b2 a3: the two subjects interleaved.
    for (const [name, n] of [
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['b', 2],
      ['a', 3],
    ] as const) {
      const ack = await publishToStream(Requests.of(nc), `${prefix}.${name}`, `${name}${n}`, { timeoutMs: 5_000 });
      seqs[name]?.push(ack.seq);
    }
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream);
    await nc.close();
  });
  const text = (m: DirectMessage | null) => (m === null ? null : decoder.decode(m.data));

  it("answers a subject's last message with its sequence and subject", async () => {
    const last = await directGet(Requests.of(nc), stream, { last_by_subj: `${prefix}.a` });
    expect(last).not.toBeNull();
    expect({ seq: last?.seq, subject: last?.subject, text: text(last) }).toEqual({
      seq: seqs.a?.[2],
      subject: `${prefix}.a`,
      text: 'a3',
    });
  });

  it('answers the first message at or after a sequence that matches a subject, and null past the last', async () => {
    const requests = Requests.of(nc);
    const [a1, a2, a3] = seqs.a as [number, number, number];
    const afterA1 = await directGet(requests, stream, { seq: a1 + 1, next_by_subj: `${prefix}.a` });
    expect([afterA1?.seq, text(afterA1)]).toEqual([a2, 'a2']);
    const atA1 = await directGet(requests, stream, { seq: a1, next_by_subj: `${prefix}.a` });
    expect(text(atA1)).toBe('a1');
    const any = await directGet(requests, stream, { seq: a1 + 1 });
    expect(text(any)).toBe('b1');
    expect(await directGet(requests, stream, { seq: a3 + 1, next_by_subj: `${prefix}.a` })).toBeNull();
    expect(requests.pending).toBe(0);
  });

  it('answers null for a subject without messages', async () => {
    expect(await directGet(Requests.of(nc), stream, { last_by_subj: `${prefix}.none` })).toBeNull();
  });

  it('fails typed when the stream refuses the query', async () => {
    const refused = await directGet(Requests.of(nc), stream, { seq: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DirectGetError);
    expect((refused as DirectGetError).status).toBeGreaterThanOrEqual(400);
  });
});

describe('connectCoalesced on a real nats-server', () => {
  it('delivers every message of a turn in order, and a flush covers what the turn wrote', async () => {
    const observer = await connect({ servers: inject('natsUrl') });
    const subject = `${uniquePrefix('coalesce')}.n`;
    const seen: number[] = [];
    observer.subscribe(subject, {
      callback: (_error, msg) => {
        seen.push(Number(decoder.decode(msg.data)));
      },
    });
    await observer.flush();
    const nc = await connectCoalesced({ servers: inject('natsUrl') });
    // Publishes from many promise continuations of one turn, then more from later turns.
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => Promise.resolve().then(() => nc.publish(subject, String(i)))),
    );
    for (let i = 500; i < 1000; i++) {
      nc.publish(subject, String(i));
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Written in this turn, right before the flush (nats.js's close, like drain, is not a flush).
    nc.publish(subject, '1000');
    await nc.flush();
    await nc.close();
    await waitFor('all 1001 messages', () => seen.length === 1001);
    expect(seen).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    await observer.close();
  });

  it('keeps requests and publishes working after the server restarts', async () => {
    const server = await startNatsServer();
    try {
      const nc = await connectCoalesced({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
      const echo = () =>
        nc.subscribe('echo', {
          callback: (_error, msg) => {
            msg.respond(msg.data);
          },
        });
      echo();
      const requests = Requests.of(nc);
      expect(decoder.decode((await requests.request('echo', 'before', 5_000)).data)).toBe('before');
      await server.restart();
      const reply = await waitFor('a reply after the restart', () =>
        requests.request('echo', 'after', 500).then((m) => decoder.decode(m.data)),
      );
      expect(reply).toBe('after');
      await nc.close();
    } finally {
      await server.dispose();
    }
  });
});
