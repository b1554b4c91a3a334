/**
 * The event store contract (ARCHITECTURE.md sections 3 and 7): every adapter must pass it unchanged.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore, EventToAppend } from '../../src/app/ports.ts';
import { ConcurrencyError } from '../../src/domain/shared/errors.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { parseStepJobId, stepJobId } from '../../src/domain/shared/ids.ts';
import { type AggregateType, partitionOf, type StreamId, streamId } from '../../src/domain/shared/stream.ts';
import { waitFor } from '../harness/wait-for.ts';

export interface EventStoreFixture {
  readonly store: EventStore;
  readonly partitions: number;
  /** Closes this store and opens it again on the same data (a process restart). */
  reopen(): Promise<EventStore>;
  dispose(): Promise<void>;
}

let counter = 0;
const fresh = (label = 'agg') => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

function event(type: string, data: unknown, actor = 'test'): EventToAppend {
  return { type, data, actor, time: new Date().toISOString() };
}

export function eventStoreContract(
  adapter: string,
  makeFixture: () => Promise<EventStoreFixture>,
  propertyRuns: number,
) {
  describe(`EventStore contract: ${adapter}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    const job = (id = fresh(), tenant = 'acme'): StreamId => streamId('job', tenant, id);

    it('appends a first event with expected position 0 and reads it back with its envelope', async () => {
      const s = job();
      const result = await store.append(
        s,
        { ...event('JobSubmitted', { n: 1 }), trace_id: 'tr-1' },
        { expectedPosition: 0, firstPosition: 0 },
      );
      expect(result.position).toBeGreaterThan(0);
      expect(result.duplicate).toBe(false);
      const history = await store.read(s);
      expect(history.lastPosition).toBe(result.position);
      expect(history.firstPosition).toBe(result.position);
      expect(history.events).toHaveLength(1);
      const [stored] = history.events;
      expect(stored).toMatchObject({
        type: 'JobSubmitted',
        schema_version: 1,
        stream_id: `job:acme:${s.id}`,
        tenant: 'acme',
        actor: 'test',
        trace_id: 'tr-1',
        causation_id: null,
        correlation_id: null,
        first_position: 0,
        data: { n: 1 },
        position: result.position,
      });
      expect(stored?.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(Date.parse(stored?.time ?? '')).not.toBeNaN();
      expect(await store.lastPosition(s)).toBe(result.position);
    });

    it('reads an unknown aggregate as empty', async () => {
      const history = await store.read(job());
      expect(history).toEqual({ events: [], lastPosition: 0, firstPosition: 0 });
      expect(await store.lastPosition(job())).toBe(0);
    });

    it('is create-only at expected position 0', async () => {
      const s = job();
      await store.append(s, event('A', { v: 1 }), { expectedPosition: 0, firstPosition: 0 });
      await expect(
        store.append(s, event('A', { v: 2 }), { expectedPosition: 0, firstPosition: 0 }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.read(s)).events).toHaveLength(1);
    });

    it('lets exactly one of two writers at the same position win', async () => {
      const s = job();
      const first = await store.append(s, event('A', {}), { expectedPosition: 0, firstPosition: 0 });
      const results = await Promise.allSettled([
        store.append(s, event('B', { writer: 1 }), { expectedPosition: first.position, firstPosition: first.position }),
        store.append(s, event('B', { writer: 2 }), { expectedPosition: first.position, firstPosition: first.position }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      const error = (lost[0] as PromiseRejectedResult).reason as ConcurrencyError;
      expect(error.expectedPosition).toBe(first.position);
      expect((await store.read(s)).events.map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('deduplicates a retried append of the same event at the same position', async () => {
      const s = job();
      const first = await store.append(s, event('A', { v: 1 }), { expectedPosition: 0, firstPosition: 0 });
      const retry = await store.append(s, event('A', { v: 1 }, 'someone-else'), {
        expectedPosition: 0,
        firstPosition: 0,
      });
      expect(retry.duplicate).toBe(true);
      expect(retry.position).toBe(first.position);
      expect((await store.read(s)).events).toHaveLength(1);
    });

    it('does not deduplicate a different event at the same position', async () => {
      const s = job();
      const first = await store.append(s, event('A', { v: 1 }), { expectedPosition: 0, firstPosition: 0 });
      await store.append(s, event('B', { v: 1 }), { expectedPosition: first.position, firstPosition: first.position });
      await expect(
        store.append(s, event('B', { v: 2 }), { expectedPosition: first.position, firstPosition: first.position }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('does not deduplicate the same event repeated at another position', async () => {
      const s = job();
      const a = await store.append(s, event('Progress', { pct: 50 }), { expectedPosition: 0, firstPosition: 0 });
      const b = await store.append(s, event('Progress', { pct: 50 }), {
        expectedPosition: a.position,
        firstPosition: a.position,
      });
      expect(b.duplicate).toBe(false);
      expect(b.position).toBeGreaterThan(a.position);
      expect((await store.read(s)).events.map((e) => e.position)).toEqual([a.position, b.position]);
    });

    it('keeps ids per tenant: the same id under two tenants is two aggregates', async () => {
      const id = fresh();
      await store.append(job(id, 'acme'), event('A', { t: 'acme' }), { expectedPosition: 0, firstPosition: 0 });
      await store.append(job(id, 'globex'), event('A', { t: 'globex' }), { expectedPosition: 0, firstPosition: 0 });
      expect((await store.read(job(id, 'acme'))).events.map((e) => e.data)).toEqual([{ t: 'acme' }]);
      expect((await store.read(job(id, 'globex'))).events.map((e) => e.data)).toEqual([{ t: 'globex' }]);
    });

    it('accepts ids that would break a subject or key', async () => {
      for (const id of ['a.b.c', 'star*', 'gt>', 'with space', 'ünïcødé', 'x'.repeat(200)]) {
        const s = job(`${fresh()}-${id}`);
        await store.append(s, event('A', { id }), { expectedPosition: 0, firstPosition: 0 });
        expect((await store.read(s)).events.map((e) => e.data)).toEqual([{ id }]);
      }
    });

    it('orders events by position within and across aggregates', async () => {
      const streams = [job(), job(), job()];
      const positions: number[] = [];
      const last = new Map<StreamId, number>();
      for (let round = 0; round < 4; round++) {
        for (const s of streams) {
          const r = await store.append(s, event('E', { round }), {
            expectedPosition: last.get(s) ?? 0,
            firstPosition: (await store.read(s)).firstPosition,
          });
          last.set(s, r.position);
          positions.push(r.position);
        }
      }
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const s of streams) {
        const history = await store.read(s);
        expect(history.events.map((e) => e.data)).toEqual([0, 1, 2, 3].map((round) => ({ round })));
      }
    });

    it('reads from a given position', async () => {
      const s = job();
      let expected = 0;
      const positions: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await store.append(s, event('E', { i }), {
          expectedPosition: expected,
          firstPosition: positions[0] ?? 0,
        });
        expected = r.position;
        positions.push(r.position);
      }
      const tail = await store.read(s, { from: positions[2] as number });
      expect(tail.events.map((e) => e.position)).toEqual(positions.slice(2));
      expect(tail.lastPosition).toBe(positions[4]);
    });

    it('starts a load at the latest snapshot (first_position)', async () => {
      const s = job();
      const a = await store.append(s, event('A', {}), { expectedPosition: 0, firstPosition: 0 });
      const b = await store.append(s, event('B', {}), { expectedPosition: a.position, firstPosition: a.position });
      const snap = await store.append(s, event('Snapshot', { state: 'S' }), {
        expectedPosition: b.position,
        firstPosition: 0,
      });
      const c = await store.append(s, event('C', {}), {
        expectedPosition: snap.position,
        firstPosition: snap.position,
      });
      const history = await store.read(s);
      expect(history.events.map((e) => e.type)).toEqual(['Snapshot', 'C']);
      expect(history.firstPosition).toBe(snap.position);
      expect(history.lastPosition).toBe(c.position);
      expect((await store.read(s, { from: 1 })).events.map((e) => e.type)).toEqual(['A', 'B', 'Snapshot', 'C']);
    });

    it('reads a long history completely and in order', async () => {
      const s = job();
      let last = 0;
      let first = 0;
      for (let i = 0; i < 60; i++) {
        const r = await store.append(s, event('E', { i }), { expectedPosition: last, firstPosition: first });
        if (first === 0) first = r.position;
        last = r.position;
        // Interleave another aggregate so the history is not contiguous in the stream.
        await store.append(job(), event('Noise', {}), { expectedPosition: 0, firstPosition: 0 });
      }
      const history = await store.read(s);
      expect(history.events.map((e) => (e.data as { i: number }).i)).toEqual([...Array(60).keys()]);
    });

    it('takes many appends in flight at once', async () => {
      const streams = Array.from({ length: 300 }, () => job());
      const results = await Promise.all(
        streams.map((s, i) => store.append(s, event('A', { i }), { expectedPosition: 0, firstPosition: 0 })),
      );
      const positions = results.map((r) => r.position);
      expect(new Set(positions).size).toBe(300);
      for (const [i, s] of streams.entries()) expect(await store.lastPosition(s)).toBe(positions[i]);
    });

    it('readAll returns events in position order from a position, with a limit', async () => {
      const before = await store.headPosition('run');
      const runs = Array.from({ length: 5 }, () => streamId('run', 'acme', fresh('run')));
      const appended: number[] = [];
      for (const s of runs)
        appended.push(
          (await store.append(s, event('RunStarted', {}), { expectedPosition: 0, firstPosition: 0 })).position,
        );
      const all = await store.readAll('run', { from: before + 1, limit: 100 });
      expect(all.map((e) => e.position)).toEqual(appended);
      const page = await store.readAll('run', { from: appended[1] as number, limit: 2 });
      expect(page.map((e) => e.position)).toEqual(appended.slice(1, 3));
      expect(await store.readAll('run', { from: (appended.at(-1) as number) + 1, limit: 10 })).toEqual([]);
      expect(await store.headPosition('run')).toBe(appended.at(-1));
    });

    it('readAll filters by partition and by job kind; step jobs take their run partition', async () => {
      const runId = fresh('run');
      const stepJob = job(stepJobId(runId, 'build', 1));
      const adHoc = Array.from({ length: 12 }, () => job());
      const from = (await store.headPosition('job')) + 1;
      for (const s of [...adHoc, stepJob])
        await store.append(s, event('JobSubmitted', {}), { expectedPosition: 0, firstPosition: 0 });
      const runPartition = partitionOf(streamId('run', 'acme', runId), fixture.partitions);
      expect(partitionOf(stepJob, fixture.partitions)).toBe(runPartition);

      for (let p = 0; p < fixture.partitions; p++) {
        const got = await store.readAll('job', { from, limit: 100, partition: p });
        const want = [...adHoc, stepJob].filter((s) => partitionOf(s, fixture.partitions) === p);
        expect(got.map((e) => e.stream_id).sort()).toEqual(want.map((s) => `job:acme:${s.id}`).sort());
      }
      const steps = await store.readAll('job', { from, limit: 100, kind: 'w' });
      expect(steps.map((e) => e.stream_id)).toEqual([`job:acme:${stepJob.id}`]);
      expect(parseStepJobId(stepJob.id)).not.toBeNull();
      const stepsInPartition = await store.readAll('job', { from, limit: 100, kind: 'w', partition: runPartition });
      expect(stepsInPartition).toHaveLength(1);
      const adHocOnly = await store.readAll('job', { from, limit: 100, kind: 'a' });
      expect(adHocOnly).toHaveLength(12);
    });

    it('subscribe delivers from a position, in order, including events appended later', async () => {
      const streams = Array.from({ length: 10 }, () => streamId('workflow', 'acme', fresh('wf')));
      const first = await store.append(streams[0] as StreamId, event('E', { i: 0 }), {
        expectedPosition: 0,
        firstPosition: 0,
      });
      const seen: StoredEvent[] = [];
      const sub = store.subscribe('workflow', { from: first.position }, async (batch) => {
        seen.push(...batch);
      });
      try {
        for (let i = 1; i < streams.length; i++) {
          await store.append(streams[i] as StreamId, event('E', { i }), { expectedPosition: 0, firstPosition: 0 });
        }
        await waitFor('all ten events', () => seen.length >= 10);
        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([...Array(10).keys()]);
        const positions = seen.map((e) => e.position);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        await waitFor('the subscription cursor', () => sub.nextPosition === (seen.at(-1)?.position ?? 0) + 1);
      } finally {
        await sub.stop();
      }
    });

    it('subscribe by partition sees only that partition', async () => {
      const from = (await store.headPosition('dlq')) + 1;
      const streams = Array.from({ length: 20 }, () => streamId('dlq', 'acme', fresh('dlq')));
      const target = partitionOf(streams[0] as StreamId, fixture.partitions);
      const seen: StoredEvent[] = [];
      const sub = store.subscribe('dlq', { from, partition: target }, async (batch) => {
        seen.push(...batch);
      });
      try {
        for (const s of streams) await store.append(s, event('E', {}), { expectedPosition: 0, firstPosition: 0 });
        const want = streams
          .filter((s) => partitionOf(s, fixture.partitions) === target)
          .map((s) => `dlq:acme:${s.id}`);
        await waitFor('the partition events', () => seen.length >= want.length);
        expect(seen.map((e) => e.stream_id)).toEqual(want);
      } finally {
        await sub.stop();
      }
    });

    it('subscribe redelivers a batch whose handler failed (at least once, nothing skipped)', async () => {
      const from = (await store.headPosition('op')) + 1;
      const streams = Array.from({ length: 8 }, () => streamId('op', 'acme', fresh('op')));
      for (const s of streams) await store.append(s, event('E', {}), { expectedPosition: 0, firstPosition: 0 });
      const handled: number[] = [];
      let failures = 0;
      const errors: unknown[] = [];
      const sub = store.subscribe(
        'op',
        { from, maxBatch: 3, onError: (error) => errors.push(error) },
        async (batch) => {
          if (failures < 2 && batch.some((e) => e.stream_id.endsWith(streams[4]?.id ?? ''))) {
            failures++;
            throw new Error('handler failed');
          }
          handled.push(...batch.map((e) => e.position));
        },
      );
      try {
        await waitFor('all events handled', () => handled.length >= 8, { timeoutMs: 15_000 });
        expect(errors).toHaveLength(2);
        expect(handled).toEqual([...new Set(handled)].sort((a, b) => a - b));
        expect(handled[0]).toBe(from);
        expect(handled).toHaveLength(8);
      } finally {
        await sub.stop();
      }
    });

    it('a subscription resumed from its saved position after a restart loses nothing', async () => {
      const from = (await store.headPosition('config')) + 1;
      const streams = Array.from({ length: 30 }, () => streamId('config', 'acme', fresh('cfg')));
      for (const s of streams.slice(0, 20))
        await store.append(s, event('E', {}), { expectedPosition: 0, firstPosition: 0 });
      const seen: number[] = [];
      let saved = from;
      const sub = store.subscribe('config', { from, maxBatch: 5 }, async (batch) => {
        seen.push(...batch.map((e) => e.position));
        saved = (batch.at(-1)?.position ?? saved) + 1;
      });
      await waitFor('a first part', () => seen.length >= 10);
      await sub.stop();
      const reopened = await fixture.reopen();
      store = reopened;
      for (const s of streams.slice(20))
        await reopened.append(s, event('E', {}), { expectedPosition: 0, firstPosition: 0 });
      const resumed = reopened.subscribe('config', { from: saved }, async (batch) => {
        seen.push(...batch.map((e) => e.position));
      });
      try {
        const head = await reopened.headPosition('config');
        await waitFor('every event', () => seen.at(-1) === head);
        expect(new Set(seen).size).toBe(30);
        expect(seen).toEqual([...seen].sort((a, b) => a - b));
        const all = await reopened.readAll('config', { from, limit: 1000 });
        expect(seen).toEqual(all.map((e) => e.position));
      } finally {
        await resumed.stop();
      }
    });

    it('persists events across a restart', async () => {
      const s = job();
      const a = await store.append(s, event('A', { v: 1 }), { expectedPosition: 0, firstPosition: 0 });
      const b = await store.append(s, event('B', { v: 2 }), {
        expectedPosition: a.position,
        firstPosition: a.position,
      });
      const reopened = await fixture.reopen();
      store = reopened;
      const history = await reopened.read(s);
      expect(history.events.map((e) => [e.type, e.position])).toEqual([
        ['A', a.position],
        ['B', b.position],
      ]);
      await expect(
        reopened.append(s, event('C', {}), { expectedPosition: a.position, firstPosition: a.position }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      const retried = await reopened.append(s, event('B', { v: 2 }), {
        expectedPosition: a.position,
        firstPosition: a.position,
      });
      expect(retried).toMatchObject({ duplicate: true, position: b.position });
    });

    it('property: any interleaving of writers yields consecutive expectations and keeps every acknowledged append', async () => {
      const types: AggregateType[] = ['job', 'run'];
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.record({ writer: fc.nat(3), stream: fc.nat(2), type: fc.constantFrom(...types) }), {
            minLength: 1,
            maxLength: 16,
          }),
          async (scheduler, ops) => {
            const run = fresh('prop');
            const streamOf = (type: AggregateType, n: number) => streamId(type, 'acme', `${run}-${n}`);
            const acknowledged: { stream: string; position: number; op: number }[] = [];
            const writers = [0, 1, 2, 3].map(async (writer) => {
              for (const [index, op] of ops.entries()) {
                if (op.writer !== writer) continue;
                const s = streamOf(op.type, op.stream);
                for (;;) {
                  const history = await scheduler.schedule(store.read(s));
                  // Settle first: the scheduler only observes the promise once it schedules it.
                  const outcome = await scheduler.schedule(
                    store
                      .append(s, event('Probe', { op: index, expected: history.lastPosition }), {
                        expectedPosition: history.lastPosition,
                        firstPosition: history.firstPosition,
                      })
                      .then(
                        (result) => ({ result }),
                        (error: unknown) => ({ error }),
                      ),
                  );
                  if ('result' in outcome) {
                    acknowledged.push({
                      stream: `${op.type}:${op.stream}`,
                      position: outcome.result.position,
                      op: index,
                    });
                    break;
                  }
                  if (!(outcome.error instanceof ConcurrencyError)) throw outcome.error;
                }
              }
            });
            await scheduler.waitFor(Promise.all(writers));
            for (const type of types) {
              for (let n = 0; n < 3; n++) {
                const history = await store.read(streamOf(type, n));
                let previous = 0;
                for (const e of history.events) {
                  expect((e.data as { expected: number }).expected).toBe(previous);
                  previous = e.position;
                }
                const acked = acknowledged.filter((a) => a.stream === `${type}:${n}`);
                expect(history.events.map((e) => [e.position, (e.data as { op: number }).op])).toEqual(
                  acked.sort((x, y) => x.position - y.position).map((a) => [a.position, a.op]),
                );
              }
            }
          },
        ),
        { numRuns: propertyRuns },
      );
    });
  });
}
