/**
 * The shared stream reader (src/adapters/jetstream/stream-tap.ts) on a real nats-server: subscriptions
 * with different filters and starting points — behind, at the head, far behind, slow — each get exactly
 * the events that match, in order, none twice, while appends keep landing; and the process holds one
 * consumer on the stream for all of them once they have caught up.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { StreamTap } from '../../src/adapters/jetstream/stream-tap.ts';
import { eventFilterSubject, eventStreamName } from '../../src/adapters/jetstream/subjects.ts';
import { startPump } from '../../src/adapters/subscription-pump.ts';
import type { StreamFilter, Subscription } from '../../src/app/ports.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { waitFor } from '../harness/wait-for.ts';

const PARTITIONS = 4;
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: inject('natsUrl') });
});
afterAll(async () => {
  await nc.close();
});

async function openStore(prefix: string): Promise<JetStreamEventStore> {
  return JetStreamEventStore.open(nc, {
    prefix,
    partitions: PARTITIONS,
    replicas: 1,
    hotWindowMs: 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
}

/** Appends `n` first events to job aggregates, ad hoc and step jobs mixed, many in flight. */
async function appendJobs(store: JetStreamEventStore, n: number, label: string): Promise<void> {
  const appends: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    // Step job ids name their run (`<run>.<step>.<n>`): a `.` makes the kind `w`.
    const id = i % 3 === 0 ? `run${label}${i}.s.1` : `${label}-${i}`;
    appends.push(
      store.append(
        streamId('job', 'acme', id),
        { type: 'E', data: { label, i }, time: new Date().toISOString(), actor: 'test' },
        { expectedPosition: 0, firstPosition: 0 },
      ),
    );
    if (appends.length >= 64) await Promise.all(appends.splice(0));
  }
  await Promise.all(appends);
}

/** What a filter should see of the stream: every matching event from `from`, in position order. */
async function expected(store: JetStreamEventStore, filter: StreamFilter, from: number): Promise<number[]> {
  const events = await store.readAll('job', { from, limit: 1_000_000, ...filter });
  return events.map((e) => e.position);
}

function follow(
  tap: StreamTap,
  prefix: string,
  filter: StreamFilter,
  from: number,
  slowMs = 0,
): { seen: StoredEvent[]; sub: Subscription } {
  const seen: StoredEvent[] = [];
  const source = tap.source(eventFilterSubject(prefix, 'job', filter), 64);
  const sub = startPump(
    source,
    from,
    64,
    async (batch) => {
      seen.push(...batch);
      if (slowMs > 0) await new Promise((resolve) => setTimeout(resolve, slowMs));
    },
    () => {},
    () => source.stop(),
  );
  return { seen, sub };
}

describe('StreamTap', () => {
  it('gives every subscription exactly what matches, in order, whatever it starts from, during appends', async () => {
    const paths = { subscriptions: 0, attaches: 0, overflows: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            partition: fc.option(fc.nat({ max: PARTITIONS - 1 }), { nil: undefined }),
            kind: fc.option(fc.constantFrom('a' as const, 'w' as const), { nil: undefined }),
            // Where it starts, as a share of what was appended before it subscribes.
            start: fc.double({ min: 0, max: 1.2, noNaN: true }),
            slow: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.integer({ min: 50, max: 400 }),
        async (subscriptions, before) => {
          const prefix = uniquePrefix('tap');
          const store = await openStore(prefix);
          // Small limits, so the runs cross every path: attach late, overflow and detach, catch up again.
          const tap = new StreamTap(jetstream(nc), await jetstreamManager(nc), eventStreamName(prefix, 'job'), {
            attachWithin: 40,
            queueCap: 60,
          });
          const followers: { filter: StreamFilter; from: number; seen: StoredEvent[]; sub: Subscription }[] = [];
          try {
            await appendJobs(store, before, 'before');
            const during = appendJobs(store, 300, 'during');
            for (const s of subscriptions) {
              const filter: StreamFilter = {
                ...(s.partition === undefined ? {} : { partition: s.partition }),
                ...(s.kind === undefined ? {} : { kind: s.kind }),
              };
              const from = Math.max(1, Math.floor(s.start * before));
              followers.push({ filter, from, ...follow(tap, prefix, filter, from, s.slow ? 5 : 0) });
            }
            await during;
            await appendJobs(store, 50, 'after');
            for (const f of followers) {
              const want = await expected(store, f.filter, f.from);
              await waitFor(
                `${JSON.stringify(f.filter)} from ${f.from} to see ${want.length} events`,
                () => f.seen.length >= want.length,
                { timeoutMs: 30_000 },
              );
              expect(f.seen.map((e) => e.position)).toEqual(want);
            }
          } finally {
            for (const f of followers) await f.sub.stop();
            paths.subscriptions += followers.length;
            paths.attaches += tap.stats.attaches;
            paths.overflows += tap.stats.overflows;
            tap.stop();
            await (await jetstreamManager(nc)).streams.delete(eventStreamName(prefix, 'job')).catch(() => {});
          }
        },
      ),
      { numRuns: 8 },
    );
    // The runs went down every path: queues that overflowed, and subscribers that attached again.
    expect(paths.overflows).toBeGreaterThan(0);
    expect(paths.attaches).toBeGreaterThan(paths.subscriptions);
  });

  it('holds one consumer on the stream for every live subscription of the store', async () => {
    const prefix = uniquePrefix('tap1');
    const store = await openStore(prefix);
    const subs: Subscription[] = [];
    const seen = new Map<number, number>();
    try {
      await appendJobs(store, 30, 'x');
      for (let p = 0; p < PARTITIONS; p++) {
        subs.push(
          store.subscribe('job', { from: 1, partition: p }, async (batch) => {
            seen.set(p, (seen.get(p) ?? 0) + batch.length);
          }),
        );
      }
      subs.push(store.subscribe('job', { from: 1 }, async () => {}));
      const total = (await store.readAll('job', { from: 1, limit: 1000 })).length;
      await waitFor('every partition caught up', () => [...seen.values()].reduce((a, b) => a + b, 0) === total);
      const jsm = await jetstreamManager(nc);
      await waitFor(
        'the private readers gone',
        async () => (await jsm.streams.info(eventStreamName(prefix, 'job'))).state.consumer_count === 1,
      );
      // New events reach the partitions through that one consumer.
      await appendJobs(store, 20, 'y');
      const after = (await store.readAll('job', { from: 1, limit: 1000 })).length;
      await waitFor('the new events', () => [...seen.values()].reduce((a, b) => a + b, 0) === after);
      expect((await jsm.streams.info(eventStreamName(prefix, 'job'))).state.consumer_count).toBe(1);
      for (let p = 0; p < PARTITIONS; p++) {
        const want = (await store.readAll('job', { from: 1, limit: 1000, partition: p })).length;
        expect(seen.get(p) ?? 0).toBe(want);
      }
    } finally {
      for (const sub of subs) await sub.stop();
      await store.close();
    }
  });
  it('ends a subscription stopped while it attaches, and lets go of the stream', async () => {
    const prefix = uniquePrefix('tap2');
    const store = await openStore(prefix);
    try {
      await appendJobs(store, 10, 'x');
      const jsm = await jetstreamManager(nc);
      for (const from of [1, 1_000]) {
        // Stopped at once: the subscription is still attaching (asking the stream where it ends). Its
        // abort has fired before it would wait for events; a stop that hung here hung a process's shutdown.
        const sub = store.subscribe('job', { from }, async () => {});
        const stopped = await Promise.race([
          sub.stop().then(() => 'stopped'),
          new Promise((resolve) => setTimeout(resolve, 5_000, 'still waiting')),
        ]);
        expect(stopped).toBe('stopped');
      }
      // Nothing attached is left behind: the stream's reader goes with its last subscription.
      await waitFor(
        'no consumer on the stream',
        async () => (await jsm.streams.info(eventStreamName(prefix, 'job'))).state.consumer_count === 0,
        { timeoutMs: 15_000 },
      );
    } finally {
      await store.close();
    }
  });
});
