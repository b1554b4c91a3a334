/**
 * The aggregate repository's cache on the embedded event store: an owner following a stream of new
 * aggregates learns them from their first event without reading them back, and an aggregate known to
 * be new is decided without a read — yet a wrong guess never appends on a state that is not the real one.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedEventStore } from '../../../src/adapters/embedded/event-store.ts';
import { AggregateRepository, type Decider } from '../../../src/app/aggregate-repository.ts';
import type { EventStore } from '../../../src/app/ports.ts';
import { systemClock } from '../../../src/app/ports.ts';
import type { DomainEvent, StoredEvent } from '../../../src/domain/shared/events.ts';
import { ConcurrencyError } from '../../../src/domain/shared/errors.ts';
import { formatStreamId, partitionOf, streamId } from '../../../src/domain/shared/stream.ts';
import { waitFor } from '../../harness/wait-for.ts';

/** A counter: `Added{by, total}`; `Snapshot{total}` starts a history. */
type CounterEvent = DomainEvent<'Added', { by: number; total: number }> | DomainEvent<'Snapshot', { total: number }>;
const counter: Decider<number, CounterEvent> = {
  initial: 0,
  evolve: (_state, event) => event.data.total,
  isFinished: () => false,
  envelopeOf: () => ({ trace_id: null, correlation_id: null }),
  startsHistory: (event) => event.type === 'Snapshot',
};

function add(by: number) {
  return (current: { state: number }) => ({
    events: [{ type: 'Added', data: { by, total: current.state + by } }] as [CounterEvent],
  });
}

/** The store, with the reads made through it counted. */
async function countingStore(): Promise<{ store: EventStore; reads: () => number }> {
  const inner = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
  let reads = 0;
  const store = new Proxy(inner, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      return property === 'read'
        ? (...args: unknown[]) => {
            reads++;
            return bound(...args);
          }
        : bound;
    },
  });
  return { store, reads: () => reads };
}

const stream = streamId('op', 'acme', 'c1');

describe('AggregateRepository', () => {
  it('learns an aggregate from the event that starts its history, and follows it from there without reads', async () => {
    const { store, reads } = await countingStore();
    const writer = new AggregateRepository(store, systemClock, counter);
    const owner = new AggregateRepository(store, systemClock, counter);
    await writer.execute(stream, add(2), { actor: 'api', expectNew: true });
    await writer.execute(stream, add(3), { actor: 'api' });
    const history = await store.read(stream);
    const readsBefore = reads();
    for (const event of history.events) owner.observe(event);
    const loaded = await owner.load(stream);
    expect(loaded).toEqual({ state: 5, position: history.lastPosition, firstPosition: history.firstPosition });
    expect(reads()).toBe(readsBefore);
    await owner.execute(stream, add(1), { actor: 'scheduler' });
    expect(reads()).toBe(readsBefore);
    expect((await store.read(stream)).events.map((e) => (e.data as { total: number }).total)).toEqual([2, 5, 6]);
  });

  it('does not take a later event for a whole aggregate, nor an event older than what it holds', async () => {
    const { store, reads } = await countingStore();
    const writer = new AggregateRepository(store, systemClock, counter);
    await writer.execute(stream, add(2), { actor: 'api' });
    await writer.execute(stream, add(3), { actor: 'api' });
    const [first, second] = (await store.read(stream)).events as [StoredEvent, StoredEvent];
    const owner = new AggregateRepository(store, systemClock, counter);
    owner.observe(second);
    const readsBefore = reads();
    expect((await owner.load(stream)).state).toBe(5);
    expect(reads()).toBe(readsBefore + 1);
    owner.observe(first);
    expect((await owner.load(stream)).state).toBe(5);
  });

  it('restarts from a snapshot seen on the stream', async () => {
    const { store, reads } = await countingStore();
    const writer = new AggregateRepository(store, systemClock, counter);
    await writer.execute(stream, add(2), { actor: 'api' });
    await writer.execute(stream, () => ({ events: [{ type: 'Snapshot', data: { total: 40 } }] as [CounterEvent] }), {
      actor: 'reconciler',
    });
    const snapshot = (await store.read(stream)).events.at(-1) as StoredEvent;
    expect(snapshot.first_position).toBe(0);
    const owner = new AggregateRepository(store, systemClock, counter);
    const readsBefore = reads();
    owner.observe(snapshot);
    expect(await owner.load(stream)).toEqual({
      state: 40,
      position: snapshot.position,
      firstPosition: snapshot.position,
    });
    expect(reads()).toBe(readsBefore);
  });

  it('is primed with a whole history read elsewhere: decides on it without a read, and on the real state when it was stale', async () => {
    const { store, reads } = await countingStore();
    const writer = new AggregateRepository(store, systemClock, counter);
    await writer.execute(stream, add(2), { actor: 'api' });
    await writer.execute(stream, add(3), { actor: 'api' });
    const history = await store.read(stream);
    const archiver = new AggregateRepository(store, systemClock, counter);
    archiver.prime(stream, history.events);
    const readsBefore = reads();
    await archiver.execute(stream, add(1), { actor: 'archiver' });
    expect(reads()).toBe(readsBefore);

    // Stale by the time it is used: the append is refused and the decision is made on the real state.
    const stale = await store.read(stream);
    await writer.execute(stream, add(10), { actor: 'api' });
    const late = new AggregateRepository(store, systemClock, counter);
    late.prime(stream, stale.events);
    await late.execute(stream, add(100), { actor: 'archiver' });
    expect((await store.read(stream)).events.map((e) => (e.data as { total: number }).total)).toEqual([
      2, 5, 6, 16, 116,
    ]);
  });

  it('decides on the last event alone and appends right after it; something appended since is a conflict', async () => {
    const { store, reads } = await countingStore();
    const writer = new AggregateRepository(store, systemClock, counter);
    await writer.execute(stream, add(2), { actor: 'api' });
    await writer.execute(stream, add(3), { actor: 'api' });
    const last = (await store.read(stream)).events.at(-1) as StoredEvent;
    const late = new AggregateRepository(store, systemClock, counter);
    const readsBefore = reads();
    const done = await late.executeOnLast(
      stream,
      last,
      (event) => add(10)({ state: (event.data as { total: number }).total }),
      {
        actor: 'archiver',
      },
    );
    expect(done).not.toBeInstanceOf(Error);
    expect(reads()).toBe(readsBefore);
    const after = await store.read(stream);
    expect(after.events.map((e) => (e.data as { total: number }).total)).toEqual([2, 5, 15]);
    expect(after.events.at(-1)?.first_position).toBe(after.firstPosition);

    const stale = await late.executeOnLast(stream, last, () => add(1)({ state: 0 }), { actor: 'archiver' });
    expect(stale).toBeInstanceOf(ConcurrencyError);
    expect((await store.read(stream)).events).toHaveLength(3);
  });

  it('is not primed with a history that does not start at a first event or a snapshot', async () => {
    const { store, reads } = await countingStore();
    const writer = new AggregateRepository(store, systemClock, counter);
    await writer.execute(stream, add(2), { actor: 'api' });
    await writer.execute(stream, add(3), { actor: 'api' });
    const [, second] = (await store.read(stream)).events as [StoredEvent, StoredEvent];
    const repository = new AggregateRepository(store, systemClock, counter);
    repository.prime(stream, [second]);
    const readsBefore = reads();
    expect((await repository.load(stream)).state).toBe(5);
    expect(reads()).toBe(readsBefore + 1);
  });

  it('decides a new aggregate without a read, and on the real state when it existed after all', async () => {
    const { store, reads } = await countingStore();
    const repository = new AggregateRepository(store, systemClock, counter);
    await repository.execute(stream, add(1), { actor: 'api', expectNew: true });
    expect(reads()).toBe(0);

    // Another process created it meanwhile: the guess "new" meets the expected position 0 and fails.
    const other = streamId('op', 'acme', 'c2');
    await new AggregateRepository(store, systemClock, counter).execute(other, add(10), { actor: 'other' });
    const executed = await repository.execute(other, add(5), { actor: 'api', expectNew: true });
    expect(executed).not.toBeInstanceOf(Error);
    expect((await store.read(other)).events.map((e) => (e.data as { total: number }).total)).toEqual([10, 15]);
    expect(formatStreamId(other)).toBe('op:acme:c2');
  });

  it('re-checks a decision that appends nothing against the store when it was made on a cached state', async () => {
    const { store } = await countingStore();
    const owner = new AggregateRepository(store, systemClock, counter);
    const other = new AggregateRepository(store, systemClock, counter);
    await owner.execute(stream, add(1), { actor: 'owner', expectNew: true });
    // Another process moves the aggregate on; the owner's cache still holds total 1.
    await other.execute(stream, add(5), { actor: 'other' });
    // "Ignore unless the total is 6": on the stale cache it would be ignored (an input dropped).
    const seen: number[] = [];
    const executed = await owner.execute(
      stream,
      (current) => {
        seen.push(current.state);
        return current.state === 6 ? add(1)(current) : { events: [] as [] };
      },
      { actor: 'owner' },
    );
    expect(seen).toEqual([1, 6]);
    expect(executed).toMatchObject({ after: { state: 7 } });
  });

  it('forgets a partition taken over: events followed from a saved cursor are not folded onto a state that missed others', async () => {
    const { store } = await countingStore();
    // State = sum of `by`: folding an event onto a state that missed others gives a wrong sum.
    const adder: Decider<number, CounterEvent> = {
      ...counter,
      evolve: (state, event) => (event.type === 'Added' ? state + event.data.by : event.data.total),
    };
    const owner = new AggregateRepository(store, systemClock, adder);
    const other = new AggregateRepository(store, systemClock, adder);
    await owner.execute(stream, add(1), { actor: 'owner', expectNew: true });
    // The owner loses the partition; another process appends twice; the owner takes it back and follows
    // the stream from the other's saved cursor: it sees only the last event.
    await other.execute(stream, add(5), { actor: 'other' });
    const last = await other.execute(stream, add(1), { actor: 'other' });
    if (last instanceof Error || last.appended === null) throw new Error('append failed');
    owner.forgetPartition(partitionOf(stream, 2), 2);
    owner.observe(last.appended);
    expect((await owner.load(stream)).state).toBe(7);
  });

  it('hands an append failure to the caller only: no unhandled rejection (it would end the process)', async () => {
    const inner = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    // An append whose acknowledgement never came (a NATS node lost mid-request), as the adapter reports it.
    const failing: EventStore = new Proxy(inner, {
      get(target, property) {
        if (property === 'append') return () => Promise.reject(new Error('no reply within 5000 ms'));
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const repository = new AggregateRepository(failing, systemClock, counter);
      await expect(repository.execute(stream, add(1), { actor: 'api', expectNew: true })).rejects.toThrow(
        'no reply within 5000 ms',
      );
      // Node reports an unhandled rejection after the microtasks of the turn it happened in.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('never moves a cached aggregate backwards: a slow fresh load finishing late keeps the newer state', async () => {
    const inner = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    let release: () => void = () => {};
    let holdNextRead = false;
    const slow: EventStore = new Proxy(inner, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        const bound = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
        if (property !== 'read') return bound;
        return async (...args: unknown[]) => {
          const history = await bound(...args);
          if (holdNextRead) {
            holdNextRead = false;
            await new Promise<void>((resolve) => (release = resolve));
          }
          return history;
        };
      },
    });
    const repository = new AggregateRepository(slow, systemClock, counter);
    await repository.execute(stream, add(1), { actor: 'a', expectNew: true });
    holdNextRead = true;
    const late = repository.load(stream, { fresh: true }); // reads position 1, then waits
    await waitFor('the slow read to hold', () => !holdNextRead);
    await repository.execute(stream, add(5), { actor: 'a' }); // cached at position 2, total 6
    release();
    expect((await late).position).toBe(1);
    expect(await repository.load(stream)).toMatchObject({ position: 2, state: 6 });
  });

  it('loads at least a given position: a cache behind it is read again', async () => {
    const { store } = await countingStore();
    const owner = new AggregateRepository(store, systemClock, counter);
    const other = new AggregateRepository(store, systemClock, counter);
    await owner.execute(stream, add(1), { actor: 'owner', expectNew: true });
    const moved = await other.execute(stream, add(5), { actor: 'other' });
    if (moved instanceof Error) throw moved;
    expect((await owner.load(stream)).state).toBe(1);
    expect(await owner.load(stream, { atLeast: moved.after.position })).toMatchObject({ state: 6 });
  });

  it('keeps finished aggregates for the reactions to their last event, without pushing live ones out', async () => {
    const { store, reads } = await countingStore();
    // A counter is "finished" at 100 or more; the cache holds 40 live and 10 finished ones.
    const finishing: Decider<number, CounterEvent> = { ...counter, isFinished: (total) => total >= 100 };
    const repo = new AggregateRepository(store, systemClock, finishing, { maxCached: 40 });
    const live = Array.from({ length: 30 }, (_, i) => streamId('op', 'acme', `live-${i}`));
    for (const s of live) await repo.execute(s, add(1), { actor: 't', expectNew: true });
    // A flood of aggregates that finish: each is asked about again just after (a reaction).
    for (let i = 0; i < 200; i++) {
      const s = streamId('op', 'acme', `done-${i}`);
      await repo.execute(s, add(100), { actor: 't', expectNew: true });
      const before = reads();
      expect((await repo.load(s, { atLeast: 1 })).state).toBe(100);
      expect(reads()).toBe(before);
    }
    // The live ones are all still cached.
    const before = reads();
    for (const s of live) expect((await repo.load(s)).state).toBe(1);
    expect(reads()).toBe(before);
  });
});
