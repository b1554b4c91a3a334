/** The key-value bucket contract: compare-and-set by revision, create-only, delete, max age. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/app/ports.ts';
import { waitFor } from '../harness/wait-for.ts';

export interface KvFixture {
  readonly kv: KvStore;
  dispose(): Promise<void>;
}

let n = 0;
const bucketName = () => `b${Date.now().toString(36)}${n++}`;

export function kvContract(adapter: string, makeFixture: () => Promise<KvFixture>) {
  describe(`KvStore contract: ${adapter}`, () => {
    let f: KvFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('creates only absent keys and compares-and-sets by revision', async () => {
      const b = await f.kv.bucket<{ v: number }>(bucketName());
      const r1 = await b.create('k', { v: 1 });
      expect(r1).not.toBeNull();
      expect(await b.create('k', { v: 2 })).toBeNull();
      const entry = await b.get('k');
      expect(entry).toMatchObject({ key: 'k', value: { v: 1 }, revision: r1 });
      expect(Math.abs((entry?.writtenAt ?? 0) - Date.now())).toBeLessThan(60_000);
      const r2 = await b.update('k', { v: 2 }, r1 as number);
      expect(r2).toBeGreaterThan(r1 as number);
      expect(await b.update('k', { v: 3 }, r1 as number)).toBeNull();
      expect((await b.get('k'))?.value).toEqual({ v: 2 });
      const r3 = await b.put('k', { v: 4 });
      expect(r3).toBeGreaterThan(r2 as number);
      expect(await b.get('missing')).toBeNull();
    });

    it('deletes, optionally at a revision, and the key can be created again', async () => {
      const b = await f.kv.bucket<string>(bucketName());
      const r1 = (await b.create('k', 'a')) as number;
      expect(await b.delete('k', r1 + 1000)).toBe(false);
      expect(await b.get('k')).not.toBeNull();
      expect(await b.delete('k', r1)).toBe(true);
      expect(await b.get('k')).toBeNull();
      expect(await b.create('k', 'b')).not.toBeNull();
      expect(await b.keys()).toEqual(['k']);
      expect(await b.delete('k')).toBe(true);
      expect(await b.keys()).toEqual([]);
    });

    it('lets exactly one of racing creates win', async () => {
      const b = await f.kv.bucket<number>(bucketName());
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => b.create('k', i)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('watches: current entries first, then every write and delete in order', async () => {
      const b = await f.kv.bucket<number>(bucketName());
      await b.put('a', 1);
      await b.put('b', 2);
      const seen: [string, number | null][] = [];
      const watch = await b.watch((key, entry) => seen.push([key, entry?.value ?? null]));
      try {
        await waitFor('the current entries', () => seen.length >= 2);
        expect(seen.slice(0, 2).sort()).toEqual([
          ['a', 1],
          ['b', 2],
        ]);
        await b.put('a', 3);
        await b.delete('b');
        await waitFor('the changes', () => seen.length >= 4);
        expect(seen.slice(2)).toEqual([
          ['a', 3],
          ['b', null],
        ]);
      } finally {
        watch.stop();
      }
    });

    it('forgets entries older than the bucket max age', async () => {
      const b = await f.kv.bucket<string>(bucketName(), { maxAgeMs: 1000 });
      await b.create('k', 'v');
      expect(await b.get('k')).not.toBeNull();
      await waitFor('the entry to age out', async () => (await b.get('k')) === null, {
        timeoutMs: 5000,
        intervalMs: 100,
      });
      expect(await b.create('k', 'again')).not.toBeNull();
    });
  });
}
