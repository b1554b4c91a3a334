/**
 * Coalescing a batch's writes must never change the read model: any sequence of writes, applied in
 * order, and its coalesced form leave the same data behind (the in-memory store is the model).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryReadModelStore } from '../../../src/adapters/embedded/read-model-store.ts';
import { coalesceWrites } from '../../../src/projections/coalesce.ts';
import type { ReadModelNamespace } from '../../../src/projections/projection.ts';
import { del, hdel, hincr, hincrIf, hset, incr, set, type Write, zadd, zrem } from '../../../src/projections/write.ts';

const SETS = ['z1', 'z2'];
const HASHES = ['h1', 'h2'];
const MEMBERS = ['a', 'b', 'c'];
const FIELDS = ['f', 'g', 'counted'];

/** Whether a sorted set holds a member at the point a write is made. */
type Present = (key: string, member: string) => boolean;

/** One write, as an arbitrary over a small key space so that writes meet each other often. */
const writeArb: fc.Arbitrary<(present: Present) => Write> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...SETS), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...MEMBERS), fc.boolean())
      // `newMember` is a promise the projection makes: only claimed when it holds.
      .map(
        ([key, score, member, claim]) =>
          (present: Present) =>
            zadd(key, score, member, claim && !present(key, member)),
      ),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...SETS), fc.constantFrom(...MEMBERS)).map(
      ([key, member]) =>
        () =>
          zrem(key, member),
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...HASHES),
        fc.dictionary(fc.constantFrom(...FIELDS), fc.constantFrom('1', '2', '3'), { maxKeys: 3 }),
      )
      .map(
        ([key, fields]) =>
          () =>
            hset(key, fields),
      ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...HASHES), fc.constantFrom(...HASHES), fc.constantFrom(...FIELDS), fc.boolean())
      .map(
        ([key, guardKey, field, present]) =>
          () =>
            hincrIf(key, 'n', 1, { key: guardKey, field, present }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...HASHES), fc.subarray(FIELDS, { minLength: 1 })).map(
      ([key, fields]) =>
        () =>
          hdel(key, fields),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...HASHES, ...SETS).map((key) => () => del(key)) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...HASHES), fc.constantFrom(...FIELDS)).map(
      ([key, field]) =>
        () =>
          hincr(key, field, 1),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      () => set('s', 'x'),
      () => incr('i', 2),
    ),
  },
);

/** A sequence of writes whose `newMember` claims are true, given which members exist before it. */
function sequence(
  before: readonly Write[],
  makers: readonly ((present: (k: string, m: string) => boolean) => Write)[],
) {
  const members = new Map<string, Set<string>>();
  const present: Present = (key, member) => members.get(key)?.has(member) === true;
  const track = (write: Write) => {
    if (write.op === 'zadd') members.set(write.key, (members.get(write.key) ?? new Set()).add(write.member));
    if (write.op === 'zrem') members.get(write.key)?.delete(write.member);
    if (write.op === 'del') members.delete(write.key);
  };
  before.forEach(track);
  return makers.map((make) => {
    const write = make(present);
    track(write);
    return write;
  });
}

async function applied(before: readonly Write[], batch: readonly Write[]): Promise<Record<string, unknown>> {
  const store = new MemoryReadModelStore();
  const ns: ReadModelNamespace = { projection: 'p', version: 1 };
  await store.commit(ns, 'job', { expect: 0, checkpoint: 1, writes: before });
  await store.commit(ns, 'job', { expect: 1, checkpoint: 2, writes: batch });
  return store.dump(ns);
}

describe('coalesceWrites', () => {
  it('leaves the read model exactly as the writes applied one by one would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(writeArb, { maxLength: 12, size: 'medium' }),
        fc.array(writeArb, { maxLength: 40, size: 'medium' }),
        async (earlier, batch) => {
          const before = sequence([], earlier);
          const writes = sequence(before, batch);
          const coalesced = coalesceWrites(writes);
          expect(coalesced.length).toBeLessThanOrEqual(writes.length);
          expect(await applied(before, coalesced)).toEqual(await applied(before, writes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps one write per member of a sorted set, and none for a new member added and removed', () => {
    const writes = [
      zadd('z', 1, 'job', true),
      zadd('u', 1, 'job'),
      zrem('z', 'job'),
      zadd('u', 2, 'job'),
      zadd('z2', 2, 'job', true),
      zrem('old', 'job'),
    ];
    expect(coalesceWrites(writes)).toEqual([zadd('u', 2, 'job'), zadd('z2', 2, 'job', true), zrem('old', 'job')]);
  });

  it('joins the hset of a document, but not across a guard reading a joining field or a delete', () => {
    const guard = { key: 'd', field: 'counted', present: true };
    expect(
      coalesceWrites([hset('d', { a: '1', counted: '1' }), hincrIf('s', 'x', 1, guard), hset('d', { a: '2', b: '3' })]),
    ).toEqual([hset('d', { a: '2', counted: '1', b: '3' }), hincrIf('s', 'x', 1, guard)]);
    expect(
      coalesceWrites([hset('d', { a: '1' }), hincrIf('s', 'x', 1, guard), hset('d', { counted: '1' })]),
    ).toHaveLength(3);
    expect(coalesceWrites([hset('d', { a: '1' }), del('d'), hset('d', { b: '1' })])).toHaveLength(3);
  });
});
