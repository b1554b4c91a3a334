/**
 * The generic command handler: load → decide → append; a racing writer makes it reload and decide
 * again (bounded), a decision with no event answers the current position, and a cached aggregate
 * catches up with events appended by others.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedEventStore } from '../../../src/adapters/embedded/event-store.ts';
import { LruAggregateCache } from '../../../src/app/commands/aggregate-cache.ts';
import { CommandHandler, type Decider } from '../../../src/app/commands/command-handler.ts';
import type { AppendOptions, EventStore, EventToAppend } from '../../../src/app/ports.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { ConcurrencyError, ConflictError } from '../../../src/domain/shared/errors.ts';
import type { DomainEvent } from '../../../src/domain/shared/events.ts';
import { streamId, type StreamId } from '../../../src/domain/shared/stream.ts';

/** A counter: `Add{by}` appends `Added{by, total}`; adding 0 changes nothing; a negative total is refused. */
type Added = DomainEvent<'Added', { by: number; total: number }>;
interface Add {
  by: number;
}
const counter: Decider<number, Add, Added> = {
  initialState: 0,
  evolve: (state, event) => (event.type === 'Added' ? event.data.total : state),
  decide: (command, state) => {
    if (state + command.by < 0) return new ConflictError('would go negative', 'negative');
    return command.by === 0
      ? { events: [] }
      : { events: [{ type: 'Added', data: { by: command.by, total: state + command.by } }] };
  },
};

const meta = { actor: 'test', trace_id: 'abc' };

/** An event store where another writer appends to the stream just before our next `times` appends. */
function racing(inner: EventStore, times: number): EventStore {
  let left = times;
  return new Proxy(inner, {
    get(target, property) {
      if (property !== 'append') {
        const value = Reflect.get(target, property) as unknown;
        // Bound to the store itself: its methods use private fields, which a proxy receiver lacks.
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return async (stream: StreamId, event: EventToAppend, options: AppendOptions) => {
        if (left > 0) {
          left--;
          const history = await target.read(stream);
          const total = (history.events.at(-1)?.data as { total?: number } | undefined)?.total ?? 0;
          await target.append(
            stream,
            { type: 'Added', data: { by: 10, total: total + 10 }, time: new Date().toISOString(), actor: 'other' },
            { expectedPosition: history.lastPosition, firstPosition: history.firstPosition },
          );
        }
        return target.append(stream, event, options);
      };
    },
  });
}

describe('CommandHandler', () => {
  it('appends the decided event with the metadata and answers the state and the position token', async () => {
    const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    const handler = new CommandHandler({ events, clock: systemClock }, counter);
    const stream = streamId('op', 'acme', 'c1');
    const first = await handler.execute(stream, { by: 2 }, meta);
    const second = await handler.execute(stream, { by: 3 }, meta);
    expect(second.state).toBe(5);
    expect(second.position).toBe(`op:${second.lastPosition}`);
    expect(second.lastPosition).toBeGreaterThan(first.lastPosition);
    const history = await events.read(stream);
    expect(history.events.map((e) => [e.type, e.actor, e.trace_id])).toEqual([
      ['Added', 'test', 'abc'],
      ['Added', 'test', 'abc'],
    ]);
    expect(history.events[1]?.first_position).toBe(first.lastPosition);
  });

  it('a decision with no event answers the current position and appends nothing', async () => {
    const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    const handler = new CommandHandler({ events, clock: systemClock }, counter);
    const stream = streamId('op', 'acme', 'c2');
    const none = await handler.execute(stream, { by: 0 }, meta);
    expect([none.position, none.appended]).toEqual(['op:0', null]);
    const added = await handler.execute(stream, { by: 1 }, meta);
    const again = await handler.execute(stream, { by: 0 }, meta);
    expect(again.position).toBe(added.position);
    expect(await events.headPosition('op')).toBe(added.lastPosition);
  });

  it('domain errors are thrown as they are', async () => {
    const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    const handler = new CommandHandler({ events, clock: systemClock }, counter);
    await expect(handler.execute(streamId('op', 'acme', 'c3'), { by: -1 }, meta)).rejects.toMatchObject({
      code: 'negative',
    });
  });

  it('reloads and decides again when another writer got there first, on what they wrote', async () => {
    const inner = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    const handler = new CommandHandler({ events: racing(inner, 2), clock: systemClock }, counter, {
      cache: new LruAggregateCache(10),
    });
    const result = await handler.execute(streamId('op', 'acme', 'c4'), { by: 1 }, meta);
    // Two racing appends of 10 each, then ours on top of them.
    expect(result.state).toBe(21);
    const history = await inner.read(streamId('op', 'acme', 'c4'));
    expect(history.events.map((e) => e.actor)).toEqual(['other', 'other', 'test']);
  });

  it('gives up with ConcurrencyError after maxAttempts', async () => {
    const inner = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    const handler = new CommandHandler({ events: racing(inner, 100), clock: systemClock }, counter, { maxAttempts: 3 });
    await expect(handler.execute(streamId('op', 'acme', 'c5'), { by: 1 }, meta)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const history = await inner.read(streamId('op', 'acme', 'c5'));
    expect(history.events.every((e) => e.actor === 'other')).toBe(true);
  });

  it('a cached aggregate catches up with events appended by others', async () => {
    const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 2 });
    const cache = new LruAggregateCache<number>(10);
    const handler = new CommandHandler({ events, clock: systemClock }, counter, { cache });
    const stream = streamId('op', 'acme', 'c6');
    const first = await handler.execute(stream, { by: 1 }, meta);
    await events.append(
      stream,
      { type: 'Added', data: { by: 5, total: 6 }, time: new Date().toISOString(), actor: 'other' },
      { expectedPosition: first.lastPosition, firstPosition: first.lastPosition },
    );
    const loaded = await handler.load(stream);
    expect(loaded.state).toBe(6);
    expect((await handler.execute(stream, { by: 1 }, meta)).state).toBe(7);
  });
});
