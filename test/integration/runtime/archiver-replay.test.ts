/**
 * The archiver's crash replay (docs/retention.md) in process: an archiver that wrote a flush's parts
 * and died before any `JobArchived` is replaced by one reading in small batches. The replay must write
 * the same parts again (named after the same start position), so each history is held once — even when
 * its first batches hold no finished job (moving the cursor then would name the replay's parts anew).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../../src/adapters/embedded/file-blob-store.ts';
import { Segment } from '../../../src/app/jobs/archive-segment.ts';
import { Archiver, ARCHIVER_CRASH_POINT } from '../../../src/app/jobs/archiver.ts';
import { JobArchive } from '../../../src/app/jobs/job-archive.ts';
import type { EventStore } from '../../../src/app/ports.ts';
import { FakeWorker } from '../../support/fake-worker.ts';
import { type Harness, startHarness } from '../../support/runtime-harness.ts';
import { waitFor } from '../../harness/wait-for.ts';

let h: Harness;
let dir = '';
afterEach(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('archiver crash replay (in process)', () => {
  it('files each history once when the replay reads in batches without finished jobs first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coretex-archiver-'));
    const blobs = new FileBlobStore(dir);
    const archive = new JobArchive(blobs, { shards: 4 });
    let armed = true;
    h = await startHarness({
      archive,
      crash: {
        hit: (point) => {
          if (point !== ARCHIVER_CRASH_POINT || !armed) return;
          armed = false;
          throw new Error('crash point');
        },
      },
    });
    await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), { id: 'w1' }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const ids = (await Promise.all(Array.from({ length: 6 }, (_, n) => h.submit({ payload: { n } })))).map(
      (job) => job.job_id,
    );
    for (const id of ids) {
      await waitFor(`job ${id} to succeed`, async () => (await h.history(id)).at(-1)?.type === 'JobSucceeded');
    }
    const options = { archiveAfterMs: 0, flushEveryMs: 0, leaseTtlMs: 2_000 };
    const first = new Archiver(h.rt, archive, h.leases, h.cursors, { ...options, owner: 'first' });
    first.start();
    await waitFor('the first archiver to write and crash', () => !armed);
    await first.stop();
    for (const id of ids) expect((await h.history(id)).some((e) => e.type === 'JobArchived')).toBe(false);

    const second = new Archiver(h.rt, archive, h.leases, h.cursors, { ...options, owner: 'second', maxBatch: 1 });
    second.start();
    try {
      for (const id of ids) {
        await waitFor(`job ${id} archived by the replay`, async () =>
          (await h.history(id)).some((e) => e.type === 'JobArchived'),
        );
      }
    } finally {
      await second.stop();
    }
    const parts = (await blobs.list('jobs/')).filter((name) => !name.endsWith('/days'));
    const sizes = await Promise.all(
      parts.map(async (name) => Segment.decode((await blobs.get(name)) ?? new Uint8Array()).size),
    );
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ids.length);
  });

  it("appends a flush's JobArchived events a few at a time, not all at once", async () => {
    dir = mkdtempSync(join(tmpdir(), 'coretex-archiver-'));
    const archive = new JobArchive(new FileBlobStore(dir), { shards: 4 });
    let inFlight = 0;
    let most = 0;
    h = await startHarness({
      archive,
      runtimeEvents: (events) =>
        new Proxy(events, {
          get(target, property) {
            // Bound to the store itself: its private fields are not the proxy's.
            const value = Reflect.get(target, property, target) as unknown;
            if (property !== 'append') {
              return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
            }
            return async (...args: Parameters<EventStore['append']>) => {
              const archiving = args[1].type === 'JobArchived';
              if (archiving) most = Math.max(most, ++inFlight);
              try {
                return await target.append(...args);
              } finally {
                if (archiving) inFlight--;
              }
            };
          },
        }),
    });
    await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), {
      id: 'w1',
      maxParallel: 64,
    }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const ids = (await Promise.all(Array.from({ length: 120 }, (_, n) => h.submit({ payload: { n } })))).map(
      (job) => job.job_id,
    );
    for (const id of ids) {
      await waitFor(`job ${id} to succeed`, async () => (await h.history(id)).at(-1)?.type === 'JobSucceeded', {
        timeoutMs: 30_000,
      });
    }
    const archiver = new Archiver(h.rt, archive, h.leases, h.cursors, {
      owner: 'one',
      archiveAfterMs: 0,
      flushEveryMs: 0,
      leaseTtlMs: 2_000,
    });
    archiver.start();
    try {
      for (const id of ids) {
        await waitFor(`job ${id} archived`, async () => (await h.history(id)).some((e) => e.type === 'JobArchived'));
      }
    } finally {
      await archiver.stop();
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(32);
  });
});
