/**
 * The archive's objects are kept gzip-compressed (src/adapters/node/gzip-blob-store.ts): what the
 * underlying store holds is a gzip stream several times smaller than the part, and an object stored
 * before compression was introduced is still read as it was written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../../src/adapters/embedded/file-blob-store.ts';
import { GzipBlobStore } from '../../../src/adapters/node/gzip-blob-store.ts';
import { Segment } from '../../../src/app/jobs/archive-segment.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function files(): FileBlobStore {
  const dir = mkdtempSync(join(tmpdir(), 'coretex-gzip-'));
  dirs.push(dir);
  return new FileBlobStore(dir);
}

/** An archive part of `jobs` histories shaped like real ones (four events each). */
function part(jobs: number): Uint8Array {
  const segment = new Segment();
  for (let i = 0; i < jobs; i++) {
    const jobId = `01JOB${String(i).padStart(21, '0')}`;
    const events = ['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded'].map((type, n) => ({
      id: `${jobId}-${n}`,
      type,
      stream_id: `job:acme:${jobId}`,
      tenant: 'acme',
      time: new Date(1_700_000_000_000 + i * 10 + n).toISOString(),
      position: i * 4 + n + 1,
      first_position: n === 0 ? 0 : i * 4 + 1,
      schema_version: 1,
      actor: 'api',
      trace_id: `trace-${i}`,
      causation_id: null,
      correlation_id: null,
      data: { keys: { job_id: jobId, topic: 'job.default', created_at: 1_700_000_000_000 + i * 10 }, attempt: 1 },
    }));
    segment.put({ tenant: 'acme', jobId, events });
  }
  return segment.encode();
}

describe('GzipBlobStore', () => {
  it('stores a gzip stream several times smaller than the object, and reads the object back whole', async () => {
    const inner = files();
    const blobs = new GzipBlobStore(inner);
    const data = part(200);
    await blobs.put('jobs/1/2026-12-06/f1-0', data);

    const stored = (await inner.get('jobs/1/2026-12-06/f1-0')) as Uint8Array;
    expect(stored.length * 4).toBeLessThan(data.length);
    expect(new Uint8Array(gunzipSync(stored))).toEqual(data);
    expect(await blobs.get('jobs/1/2026-12-06/f1-0')).toEqual(data);
    expect(Segment.decode(await blobs.get('jobs/1/2026-12-06/f1-0')).size).toBe(200);
  });

  it('reads an object stored uncompressed (before compression) as it was written', async () => {
    const inner = files();
    const data = part(3);
    await inner.put('jobs/1/2026-12-05/f1-0', data);
    expect(new Uint8Array((await new GzipBlobStore(inner).get('jobs/1/2026-12-05/f1-0')) as Uint8Array)).toEqual(data);
    expect(await new GzipBlobStore(inner).get('jobs/1/missing')).toBeNull();
  });

  it('lists and deletes through to the store beneath', async () => {
    const inner = files();
    const blobs = new GzipBlobStore(inner);
    await blobs.put('a/b', new Uint8Array([1, 2, 3]));
    expect(await blobs.list('a/')).toEqual(['a/b']);
    expect(await blobs.delete('a/b')).toBe(true);
    expect(await inner.list()).toEqual([]);
  });
});
