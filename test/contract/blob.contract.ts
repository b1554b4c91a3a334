/**
 * The blob store contract (the archive's segments, docs/retention.md): objects written whole, read
 * back byte for byte across a restart, replaced whole, listed by prefix, deleted; names checked alike.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GzipBlobStore } from '../../src/adapters/node/gzip-blob-store.ts';
import type { BlobStore } from '../../src/app/ports.ts';

/** Each adapter runs the contract alone and as Coretex composes it: gzip-compressed (src/infrastructure.ts). */
export const BLOB_COMPOSITIONS = [
  ['', (blobs: BlobStore): BlobStore => blobs],
  [', gzip', (blobs: BlobStore): BlobStore => new GzipBlobStore(blobs)],
] as const;

export interface BlobFixture {
  readonly blobs: BlobStore;
  /** Another client of the same backing store (a new connection, or the same directory). */
  reopen(): Promise<BlobStore>;
  /** What the backing store holds for the objects, whatever they are (subjects, files, directories). */
  footprint(): Promise<number>;
  dispose(): Promise<void>;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | null) => (data === null ? null : new TextDecoder().decode(data));

export function blobContract(adapter: string, makeFixture: () => Promise<BlobFixture>) {
  describe(`BlobStore contract: ${adapter}`, () => {
    let f: BlobFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('reads back what was put, and null for what was not', async () => {
      expect(await f.blobs.get('jobs/0001/2026-12-06/0')).toBeNull();
      await f.blobs.put('jobs/0001/2026-12-06/0', bytes('{"a":1}\nbody'));
      expect(text(await f.blobs.get('jobs/0001/2026-12-06/0'))).toBe('{"a":1}\nbody');
    });

    it('replaces an object whole, and the other client reads the new one after a restart', async () => {
      await f.blobs.put('x/seg', bytes('first version, longer than the second'));
      await f.blobs.put('x/seg', bytes('second'));
      expect(text(await f.blobs.get('x/seg'))).toBe('second');
      const other = await f.reopen();
      expect(text(await other.get('x/seg'))).toBe('second');
    });

    it('keeps bytes exactly, empty and multi-chunk objects included', async () => {
      const big = new Uint8Array(300 * 1024 + 17);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
      await f.blobs.put('big', big);
      await f.blobs.put('empty', new Uint8Array(0));
      expect(Buffer.from((await f.blobs.get('big')) ?? []).equals(Buffer.from(big))).toBe(true);
      expect((await f.blobs.get('empty'))?.length).toBe(0);
    });

    it('lists names by prefix, sorted, without deleted ones', async () => {
      for (const name of ['jobs/0002/d/1', 'jobs/0001/d/0', 'jobs/0002/d/0', 'jobs/0002/days', 'other']) {
        await f.blobs.put(name, bytes(name));
      }
      expect(await f.blobs.list('jobs/0002/')).toEqual(['jobs/0002/d/0', 'jobs/0002/d/1', 'jobs/0002/days']);
      expect(await f.blobs.delete('jobs/0002/d/0')).toBe(true);
      expect(await f.blobs.delete('jobs/0002/d/0')).toBe(false);
      expect(await f.blobs.get('jobs/0002/d/0')).toBeNull();
      expect(await f.blobs.list('jobs/0002/')).toEqual(['jobs/0002/d/1', 'jobs/0002/days']);
      expect(await f.blobs.list()).toEqual(['jobs/0001/d/0', 'jobs/0002/d/1', 'jobs/0002/days', 'other']);
    });

    it('a deleted object leaves nothing behind (the archive deletes one per compacted part)', async () => {
      await f.blobs.put('keep/0', bytes('kept'));
      const before = await f.footprint();
      const names = ['jobs/0003/2026-12-06/f0000000000000001-0', 'jobs/0003/2026-12-06/f0000000000000009-0', 'x/y'];
      for (const name of names) await f.blobs.put(name, new Uint8Array(200 * 1024).fill(7));
      await f.blobs.put('x/y', bytes('replaced'));
      expect(await f.footprint()).toBeGreaterThan(before);
      for (const name of names) expect(await f.blobs.delete(name)).toBe(true);
      expect(await f.footprint()).toBe(before);
      expect(await f.blobs.list()).toEqual(['keep/0']);
      expect(text(await f.blobs.get('keep/0'))).toBe('kept');
    });

    it('a deleted object can be put again', async () => {
      await f.blobs.put('again', bytes('1'));
      await f.blobs.delete('again');
      await f.blobs.put('again', bytes('2'));
      expect(text(await f.blobs.get('again'))).toBe('2');
    });

    it('refuses names that could escape or collide', async () => {
      for (const name of ['', '/abs', 'a//b', '../up', 'a/../b', '.hidden', 'a/', 'sp ace', 'a*b']) {
        await expect(f.blobs.put(name, bytes('x')), name).rejects.toThrow(/invalid blob name/);
        await expect(f.blobs.get(name), name).rejects.toThrow(/invalid blob name/);
      }
    });
  });
}
