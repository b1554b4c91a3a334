/** The read-model store contract (ARCHITECTURE.md section 4): every adapter passes it unchanged. */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadModelStore, ScoredMember } from '../../src/app/ports.ts';
import type { ReadModelNamespace } from '../../src/projections/projection.ts';
import { del, hdel, hincr, hincrIf, hset, incr, set, zadd, zrem } from '../../src/projections/write.ts';

export interface ReadModelFixture {
  readonly store: ReadModelStore;
  dispose(): Promise<void>;
}

let n = 0;
const namespace = (): ReadModelNamespace => ({ projection: `p${Date.now().toString(36)}${n++}`, version: 1 });

export function readModelContract(adapter: string, makeFixture: () => Promise<ReadModelFixture>) {
  describe(`ReadModelStore contract: ${adapter}`, () => {
    let f: ReadModelFixture;
    let store: ReadModelStore;
    beforeEach(async () => {
      f = await makeFixture();
      store = f.store;
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('commits writes with the checkpoint, and every write kind does what it says', async () => {
      const ns = namespace();
      expect(await store.checkpoint(ns, 'job')).toBe(0);
      const result = await store.commit(ns, 'job', {
        expect: 0,
        checkpoint: 5,
        writes: [
          hset('doc:a', { state: 'PENDING', topic: 'job.x' }),
          hset('doc:b', { state: 'RUNNING' }),
          zadd('idx', 10, 'a'),
          zadd('idx', 20, 'b'),
          set('s', 'v'),
          incr('c', 2),
          hincr('stats', 'PENDING', 3),
          hincr('stats', 'PENDING', -1),
        ],
      });
      expect(await store.hgetall(ns, 'stats')).toEqual({ PENDING: '2' });
      expect(result).toEqual({ ok: true });
      expect(await store.checkpoint(ns, 'job')).toBe(5);
      expect(await store.checkpoint(ns, 'run')).toBe(0);
      await store.commit(ns, 'job', {
        expect: 5,
        checkpoint: 9,
        writes: [
          hset('doc:a', { state: 'RUNNING', attempt: '1' }),
          hdel('doc:b', ['state']),
          zrem('idx', 'a'),
          del('s'),
          incr('c', 3),
        ],
      });
      expect(await store.hgetall(ns, 'doc:a')).toEqual({ state: 'RUNNING', topic: 'job.x', attempt: '1' });
      expect(await store.hgetall(ns, 'doc:b')).toBeNull();
      expect(await store.hgetallMany(ns, ['doc:b', 'doc:a', 'nope'])).toEqual([
        null,
        { state: 'RUNNING', topic: 'job.x', attempt: '1' },
        null,
      ]);
      expect(await store.zcard(ns, 'idx')).toBe(1);
      expect(await store.get(ns, 's')).toBeNull();
      expect(await store.get(ns, 'c')).toBe('5');
    });

    it('applies a guarded increment only when the guard field is there (or not), as of that write', async () => {
      const ns = namespace();
      const has = { key: 'doc:g', field: 'counted', present: true };
      const lacks = { ...has, present: false };
      await store.commit(ns, 'job', {
        expect: 0,
        checkpoint: 1,
        writes: [
          hincrIf('stats', 'a', 1, has), // no doc yet: skipped
          hincrIf('stats', 'b', 1, lacks), // applied
          hset('doc:g', { counted: '1' }),
          hincrIf('stats', 'a', 5, has), // the hset above counts: applied
          hincrIf('stats', 'b', 5, lacks), // skipped
          hset('doc:h', { other: 'x' }),
          hincrIf('stats', 'c', 1, { key: 'doc:h', field: 'counted', present: true }), // other fields only: skipped
        ],
      });
      expect(await store.hgetall(ns, 'stats')).toEqual({ a: '5', b: '1' });
    });

    it('keeps any text exactly: quotes, backslashes, control characters, non-ASCII, emoji, big batches', async () => {
      const ns = namespace();
      const texts = ['say "hi"', 'a\\b\\u0041', 'tab\tnew\nline\u0000nul', 'ünïcødé', '漢字', '🚀 rocket', '', ' '];
      const fields = Object.fromEntries(texts.map((text, i) => [`f${i}-${text}`, text]));
      const many = Array.from({ length: 3000 }, (_, i) => zadd('big', i, `member-${i}-é`));
      const result = await store.commit(ns, 'job', {
        expect: 0,
        checkpoint: 1,
        writes: [hset('doc:ü "q"', fields), set('s:🚀', texts.join('|')), ...many, hincr('h', 'n', -3)],
      });
      expect(result).toEqual({ ok: true });
      expect(await store.hgetall(ns, 'doc:ü "q"')).toEqual(fields);
      expect(await store.get(ns, 's:🚀')).toBe(texts.join('|'));
      expect(await store.zcard(ns, 'big')).toBe(3000);
      expect(await store.range(ns, 'big', { order: 'desc', limit: 1 })).toEqual([
        { member: 'member-2999-é', score: 2999 },
      ]);
      expect(await store.hgetall(ns, 'h')).toEqual({ n: '-3' });
    });

    it('commits text holding a lone UTF-16 surrogate (a client can send one escaped in JSON)', async () => {
      const ns = namespace();
      const result = await store.commit(ns, 'job', {
        expect: 0,
        checkpoint: 2,
        writes: [hset('doc', { label: 'x\ud800y', other: 'plain' })],
      });
      expect(result).toEqual({ ok: true });
      expect(await store.checkpoint(ns, 'job')).toBe(2);
      expect((await store.hgetall(ns, 'doc'))?.other).toBe('plain');
    });

    it('is fenced: a batch whose expectation is stale writes nothing and reports the checkpoint', async () => {
      const ns = namespace();
      await store.commit(ns, 'job', { expect: 0, checkpoint: 3, writes: [incr('probe', 1)] });
      const stale = await store.commit(ns, 'job', {
        expect: 0,
        checkpoint: 3,
        writes: [incr('probe', 1), set('x', 'y')],
      });
      expect(stale).toEqual({ ok: false, checkpoint: 3 });
      const ahead = await store.commit(ns, 'job', { expect: 7, checkpoint: 9, writes: [incr('probe', 1)] });
      expect(ahead).toEqual({ ok: false, checkpoint: 3 });
      expect(await store.get(ns, 'probe')).toBe('1');
      expect(await store.get(ns, 'x')).toBeNull();
      expect(await store.checkpoint(ns, 'job')).toBe(3);
    });

    it('lets exactly one of racing commits with the same fence win', async () => {
      const ns = namespace();
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          store.commit(ns, 'job', { expect: 0, checkpoint: 4, writes: [incr('probe', 1)] }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await store.get(ns, 'probe')).toBe('1');
    });

    it('keeps namespaces (projection versions) apart and drops one whole', async () => {
      const a = namespace();
      const b = { ...a, version: 2 };
      await store.commit(a, 'job', { expect: 0, checkpoint: 1, writes: [set('k', 'a'), zadd('z', 1, 'm')] });
      await store.commit(b, 'job', { expect: 0, checkpoint: 1, writes: [set('k', 'b')] });
      expect(await store.get(a, 'k')).toBe('a');
      expect(await store.get(b, 'k')).toBe('b');
      expect(Object.keys(await store.dump(a)).sort()).toEqual(['_checkpoint:job', 'k', 'z']);
      expect(await store.dropNamespace(a)).toBe(3);
      expect(await store.get(a, 'k')).toBeNull();
      expect(await store.checkpoint(a, 'job')).toBe(0);
      expect(await store.get(b, 'k')).toBe('b');
    });

    it('switches the active version only from the expected one, and never reuses a version', async () => {
      const name = namespace().projection;
      expect(await store.activeVersion(name)).toBeNull();
      const v1 = await store.allocateVersion(name);
      const v2 = await store.allocateVersion(name);
      expect(v2).toBeGreaterThan(v1);
      expect(await store.switchVersion(name, null, { version: v1, schema: 1 })).toBe(true);
      expect(await store.switchVersion(name, null, { version: v2, schema: 1 })).toBe(false);
      expect(await store.switchVersion(name, { version: v2, schema: 1 }, { version: v2, schema: 2 })).toBe(false);
      expect(await store.switchVersion(name, { version: v1, schema: 1 }, { version: v2, schema: 2 })).toBe(true);
      expect(await store.activeVersion(name)).toEqual({ version: v2, schema: 2 });
    });

    it('ranges newest first and oldest first, with inclusive bounds and a composite cursor over ties', async () => {
      const ns = namespace();
      const items: [number, string][] = [
        [100, 'a'],
        [200, 'b'],
        [200, 'c'],
        [200, 'd'],
        [300, 'e'],
      ];
      await store.commit(ns, 'job', { expect: 0, checkpoint: 1, writes: items.map(([s, m]) => zadd('z', s, m)) });
      const members = (r: ScoredMember[]) => r.map((i) => i.member);
      expect(members(await store.range(ns, 'z', { order: 'desc', limit: 10 }))).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(members(await store.range(ns, 'z', { order: 'asc', limit: 10 }))).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await store.range(ns, 'z', { order: 'desc', limit: 2 })).toEqual([
        { member: 'e', score: 300 },
        { member: 'd', score: 200 },
      ]);
      expect(
        members(await store.range(ns, 'z', { order: 'desc', limit: 10, after: { score: 200, member: 'd' } })),
      ).toEqual(['c', 'b', 'a']);
      expect(
        members(await store.range(ns, 'z', { order: 'asc', limit: 10, after: { score: 200, member: 'b' } })),
      ).toEqual(['c', 'd', 'e']);
      expect(members(await store.range(ns, 'z', { order: 'desc', limit: 10, min: 200, max: 200 }))).toEqual([
        'd',
        'c',
        'b',
      ]);
      expect(
        members(await store.range(ns, 'z', { order: 'asc', limit: 10, max: 250, after: { score: 100, member: 'a' } })),
      ).toEqual(['b', 'c', 'd']);
      // A cursor whose member is gone still continues in place.
      expect(
        members(await store.range(ns, 'z', { order: 'desc', limit: 10, after: { score: 200, member: 'cc' } })),
      ).toEqual(['c', 'b', 'a']);
      expect(await store.range(ns, 'missing', { order: 'desc', limit: 10 })).toEqual([]);
    });

    it('property: paging returns every item exactly once, in order, while other items are written between pages', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc.record({ member: fc.stringMatching(/^[a-z0-9]{1,6}$/), score: fc.integer({ min: 0, max: 40 }) }),
            {
              selector: (r) => r.member,
              maxLength: 60,
            },
          ),
          fc.integer({ min: 1, max: 7 }),
          fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
          fc.array(
            fc.record({
              member: fc.stringMatching(/^[A-Z]{1,4}$/),
              score: fc.integer({ min: 0, max: 40 }),
              remove: fc.boolean(),
            }),
            {
              maxLength: 20,
            },
          ),
          async (items, limit, order, churn) => {
            const ns = namespace();
            await store.commit(ns, 'job', {
              expect: 0,
              checkpoint: 1,
              writes: items.map((i) => zadd('z', i.score, i.member)),
            });
            const seen: ScoredMember[] = [];
            let after: ScoredMember | undefined;
            let checkpoint = 1;
            for (let page = 0; page < 200; page++) {
              const got = await store.range(ns, 'z', { order, limit, ...(after === undefined ? {} : { after }) });
              seen.push(...got);
              // Other writers add and remove *other* items between page reads.
              const burst = churn.slice(page * 3, page * 3 + 3);
              if (burst.length > 0) {
                await store.commit(ns, 'job', {
                  expect: checkpoint,
                  checkpoint: checkpoint + 1,
                  writes: burst.map((c) => (c.remove ? zrem('z', c.member) : zadd('z', c.score, c.member))),
                });
                checkpoint++;
              }
              if (got.length < limit) break;
              after = got.at(-1);
            }
            const stable = seen.filter((s) => /^[a-z0-9]+$/.test(s.member));
            const sign = order === 'asc' ? 1 : -1;
            const want = [...items].sort((x, y) => sign * (x.score - y.score || (x.member < y.member ? -1 : 1)));
            expect(stable).toEqual(want);
            await store.dropNamespace(ns);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
