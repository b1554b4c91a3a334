/**
 * The shared live-event tail: a feed that resumes while events keep arriving gets every position after
 * its resume point exactly once, in order — the replay and the live tail meet without a gap or a repeat.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedEventStore } from '../../../src/adapters/embedded/event-store.ts';
import { LiveEventHub } from '../../../src/app/events/live-events.ts';
import { silentLogger } from '../../../src/app/ports.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import { streamId } from '../../../src/domain/shared/stream.ts';
import { waitFor } from '../../harness/wait-for.ts';

async function appendMany(events: EmbeddedEventStore, from: number, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      events.append(
        streamId('op', 'acme', `op-${from + i}`),
        { type: 'Probe', data: { n: from + i }, time: new Date().toISOString(), actor: 'test' },
        { expectedPosition: 0, firstPosition: 0 },
      ),
    ),
  );
}

describe('LiveEventHub', () => {
  it('resumes during a burst of appends: every later position exactly once, in order', async () => {
    const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 4 });
    const hub = new LiveEventHub({ events, log: silentLogger });
    // Start the shared tail with a first feed, then fill the stream.
    const early = await hub.openFeed({ streams: ['op'], resume: new Map(), deliver: () => {} });
    await appendMany(events, 0, 1500);
    const got: number[] = [];
    const burst = appendMany(events, 1500, 1500);
    const feed = await hub.openFeed({
      streams: ['op'],
      resume: new Map([['op', 200]]),
      deliver: (batch: readonly StoredEvent[]) => got.push(...batch.map((event) => event.position)),
    });
    await burst;
    await appendMany(events, 3000, 100);
    await waitFor('every position', () => got.at(-1) === 3100);
    expect(got).toEqual(Array.from({ length: 2900 }, (_, i) => 201 + i));
    feed.close();
    early.close();
    await hub.stop();
    await events.close();
  });

  it('a feed without a resume point starts at the live head; stop ends open feeds', async () => {
    const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 4 });
    await appendMany(events, 0, 10);
    const hub = new LiveEventHub({ events, log: silentLogger });
    const got: number[] = [];
    let ended = false;
    await hub.openFeed({
      streams: ['op', 'job'],
      resume: new Map(),
      deliver: (batch) => got.push(...batch.map((event) => event.position)),
      onEnd: () => (ended = true),
    });
    await appendMany(events, 10, 5);
    await waitFor('the live events', () => got.length === 5);
    expect(got).toEqual([11, 12, 13, 14, 15]);
    await hub.stop();
    expect(ended).toBe(true);
    expect(hub.feeds).toBe(0);
    await events.close();
  });
});
