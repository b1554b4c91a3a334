/**
 * The projection runner and rebuild, in process on the embedded adapters: redelivered batches are
 * applied once, a live runner follows a rebuild's switch-over, and a rebuild equals the live build.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedEventStore } from '../../src/adapters/embedded/event-store.ts';
import { EmbeddedKvStore } from '../../src/adapters/embedded/kv-store.ts';
import { MemoryReadModelStore } from '../../src/adapters/embedded/read-model-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../src/app/coordination/kv-lease-store.ts';
import type { EventStore, SubscribeOptions, Subscription } from '../../src/app/ports.ts';
import { noCrashPoints, silentLogger, systemClock } from '../../src/app/ports.ts';
import { rebuildProjection } from '../../src/app/projections/rebuild.ts';
import { ProjectionRunner } from '../../src/app/projections/runner.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { type AggregateType, streamId } from '../../src/domain/shared/stream.ts';
import { incr } from '../../src/projections/write.ts';
import { probeProjection } from '../support/probe-projection.ts';
import { waitFor } from '../harness/wait-for.ts';

/** Wraps an event store so every batch is delivered twice, and now and then an older batch again. */
function redelivering(inner: EventStore): EventStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'subscribe') return Reflect.get(target, property, receiver) as unknown;
      return (
        type: AggregateType,
        options: SubscribeOptions,
        handler: (b: readonly StoredEvent[]) => Promise<void>,
      ): Subscription => {
        let previous: readonly StoredEvent[] = [];
        return target.subscribe(type, options, async (batch) => {
          await handler(batch);
          await handler(batch);
          if (previous.length > 0 && batch.length % 2 === 0) await handler(previous);
          previous = batch;
        });
      };
    },
  });
}

async function setup() {
  const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 4 });
  const store = new MemoryReadModelStore();
  const leases = new KvLeaseStore(
    await new EmbeddedKvStore({ dataDir: null }).bucket<LeaseRecord>('leases'),
    systemClock,
  );
  let n = 0;
  const append = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        events.append(
          streamId('op', 'acme', `op-${n++}`),
          { type: 'Probe', data: {}, actor: 't', time: new Date().toISOString() },
          { expectedPosition: 0, firstPosition: 0 },
        ),
      ),
    );
  const deps = { events, store, leases, clock: systemClock, crash: noCrashPoints, log: silentLogger };
  return { events, store, leases, append, deps };
}

describe('projection runner (in process)', () => {
  it('applies redelivered batches once', async () => {
    const { events, store, append, deps } = await setup();
    await append(50);
    const runner = new ProjectionRunner({ ...deps, events: redelivering(events) }, probeProjection, {
      owner: 'one',
      pollMs: 20,
      maxBatch: 4,
    });
    runner.start();
    try {
      await append(50);
      await waitFor(
        'all 100',
        async () => runner.namespace !== null && (await store.checkpoint(runner.namespace, 'op')) === 100,
      );
      const ns = runner.namespace!;
      for (let p = 1; p <= 100; p++) expect(await store.get(ns, `n:${p}`)).toBe('1');
      expect(await store.get(ns, 'total')).toBe('100');
    } finally {
      await runner.stop();
    }
  });

  it('hands over between two runners through the lease, every event once', async () => {
    const { store, append, deps } = await setup();
    await append(30);
    const a = new ProjectionRunner(deps, probeProjection, { owner: 'a', leaseTtlMs: 300, pollMs: 30, maxBatch: 5 });
    const b = new ProjectionRunner(deps, probeProjection, { owner: 'b', leaseTtlMs: 300, pollMs: 30, maxBatch: 5 });
    a.start();
    b.start();
    try {
      await waitFor('one runner active', () => a.active !== b.active);
      const [holder, other] = a.active ? [a, b] : [b, a];
      await holder.stop();
      await append(30);
      await waitFor('the other takes over', () => other.active, { timeoutMs: 5000 });
      await waitFor(
        'all 60',
        async () => other.namespace !== null && (await store.checkpoint(other.namespace, 'op')) === 60,
      );
      const ns = other.namespace!;
      for (let p = 1; p <= 60; p++) expect(await store.get(ns, `n:${p}`)).toBe('1');
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('rebuilds into a new version identical to the live one, and the live runner follows the switch', async () => {
    const { events, store, append, deps } = await setup();
    await append(200);
    const runner = new ProjectionRunner(deps, probeProjection, { owner: 'live', pollMs: 20, maxBatch: 16 });
    runner.start();
    try {
      await waitFor(
        'the live build',
        async () => runner.namespace !== null && (await store.checkpoint(runner.namespace, 'op')) === 200,
      );
      const before = runner.namespace!;
      const liveDump = await store.dump(before);
      const progress: number[] = [];
      const result = await rebuildProjection({ events, store }, probeProjection, {
        batchSize: 50,
        dropOldAfterMs: 100,
        onProgress: (p) => progress.push(p.position),
      });
      expect(result).toMatchObject({ switched: true, previous: before.version, events: 200 });
      expect(progress.at(-1)).toBe(200);
      const after = { projection: 'probe', version: result.version };
      expect(await store.dump(after)).toEqual(liveDump);
      expect(await store.activeVersion('probe')).toEqual({ version: result.version, schema: 1 });
      await waitFor('the old keys to be dropped', async () => Object.keys(await store.dump(before)).length === 0);
      await waitFor('the live runner to follow', () => runner.namespace?.version === result.version);
      await append(10);
      await waitFor('new events in the new version', async () => (await store.checkpoint(after, 'op')) === 210);
      expect(await store.get(after, 'total')).toBe('210');
      expect(await events.headPosition('op')).toBe(210);
    } finally {
      await runner.stop();
    }
  });

  it('rebuilds by itself when the schema of its projection changed (an upgrade), then follows the new version', async () => {
    const { store, append, deps } = await setup();
    await append(100);
    // An older release built the read model with schema 1 and a different evolve.
    const old = new ProjectionRunner(
      deps,
      { ...probeProjection, evolve: (e) => [incr(`old:${e.position}`, 1)] },
      {
        owner: 'old',
        pollMs: 20,
      },
    );
    old.start();
    await waitFor(
      'the old build',
      async () => old.namespace !== null && (await store.checkpoint(old.namespace, 'op')) === 100,
    );
    const oldVersion = old.namespace!.version;
    await old.stop();
    // The new release: same name, schema 2.
    const upgraded = new ProjectionRunner(deps, { ...probeProjection, schema: 2 }, { owner: 'new', pollMs: 20 });
    upgraded.start();
    try {
      await waitFor('a rebuilt version with schema 2', async () => (await store.activeVersion('probe'))?.schema === 2, {
        timeoutMs: 20_000,
      });
      const active = await store.activeVersion('probe');
      expect(active?.version).not.toBe(oldVersion);
      await waitFor('the runner to follow it', () => upgraded.namespace?.version === active?.version);
      await append(5);
      const ns = upgraded.namespace!;
      await waitFor('new events in it', async () => (await store.checkpoint(ns, 'op')) === 105);
      expect(await store.get(ns, 'total')).toBe('105');
      expect(await store.get(ns, 'old:1')).toBeNull();
    } finally {
      await upgraded.stop();
    }
  });
});
