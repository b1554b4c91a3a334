/**
 * The archive's compaction and retention (docs/retention.md) on a real nats-server object store: a
 * finished day's flush parts become a few compacted parts and leave no subject behind, readers find
 * every job while compaction runs, and retention deletes the old days' objects and their subjects.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JetStreamBlobStore } from '../../src/adapters/jetstream/blob-store.ts';
import { type ArchivedHistory, JobArchive } from '../../src/app/jobs/job-archive.ts';
import type { BlobStore } from '../../src/app/ports.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { dropPrefix } from '../worker/support.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 12);
const SHARDS = 2;

let nc: NatsConnection;
const prefixes: string[] = [];

beforeAll(async () => {
  nc = await connect({ servers: inject('natsUrl') });
});
afterAll(async () => {
  for (const prefix of prefixes) await dropPrefix(nc, prefix);
  await nc.close();
});

function history(jobId: string, createdAt: number): ArchivedHistory {
  const events: StoredEvent[] = ['JobSubmitted', 'JobScheduled', 'JobSucceeded'].map((type, i) => ({
    id: `${jobId}-${i}`,
    type,
    schema_version: 1,
    stream_id: `job:acme:${jobId}`,
    time: new Date(createdAt + i).toISOString(),
    trace_id: null,
    causation_id: null,
    correlation_id: jobId,
    actor: 'test',
    tenant: 'acme',
    first_position: 0,
    data: { keys: { job_id: jobId, created_at: createdAt }, payload: 'p'.repeat(300) },
    position: i + 1,
  }));
  return { tenant: 'acme', jobId, events };
}

async function open(now: { t: number }) {
  const prefix = uniquePrefix('am');
  prefixes.push(prefix);
  const blobs = await JetStreamBlobStore.open(nc, { prefix, replicas: 1 });
  const jsm = await jetstreamManager(nc);
  const subjects = async () => (await jsm.streams.info(`OBJ_${prefix}_archive`)).state.num_subjects ?? 0;
  const archive = new JobArchive(blobs, { shards: SHARDS }, () => now.t);
  // A reader in another process: its own listing, never reused.
  const reader = new JobArchive(blobs, { shards: SHARDS, listCacheMs: 0 }, () => now.t);
  return { blobs, archive, reader, subjects };
}

/** `flushes` flushes of `perFlush` jobs for each of the given creation days. */
async function fill(archive: JobArchive, days: readonly number[], flushes: number, perFlush: number) {
  const jobs: ArchivedHistory[] = [];
  let from = 1;
  for (let f = 0; f < flushes; f++) {
    const batch = days.flatMap((at, d) => Array.from({ length: perFlush }, (_, i) => history(`j${d}-${f}-${i}`, at)));
    jobs.push(...batch);
    await archive.write(batch, from);
    from += 50;
  }
  return jobs;
}

describe('archive compaction and retention on JetStream', () => {
  it('compacts a finished day into one part per shard, leaves no subject of the flush parts, and readers find every job between any two of its steps', async () => {
    const now = { t: T0 + DAY + 2 * HOUR };
    const { blobs, archive, reader, subjects } = await open(now);
    const jobs = await fill(archive, [T0 - 3 * HOUR, T0 + DAY], 4, 3);
    expect((await blobs.list('jobs/')).length).toBeGreaterThanOrEqual(4 * SHARDS);
    // The compactor's writes and deletes go through a store that first lets a reader (another
    // client, fresh listing each time) look up every job of the day being compacted.
    const compacted = jobs.filter((job) => job.jobId.startsWith('j0-'));
    const misses: string[] = [];
    let sweeps = 0;
    const sweep = async () => {
      sweeps++;
      for (const job of compacted) if ((await reader.find('acme', job.jobId)) === null) misses.push(job.jobId);
    };
    const interleaved: BlobStore = {
      get: (name) => blobs.get(name),
      list: (prefix) => blobs.list(prefix),
      put: async (name, data) => {
        await sweep();
        await blobs.put(name, data);
      },
      delete: async (name) => {
        await sweep();
        return blobs.delete(name);
      },
    };
    const report = await new JobArchive(interleaved, { shards: SHARDS }, () => now.t).compact(HOUR);
    await sweep();
    expect(misses).toEqual([]);
    expect(report.done).toBe(true);
    // Only the finished day (T0's) was compacted: its 4 flush parts per shard became 1; a map each.
    expect(report.merged).toBe(4 * SHARDS);
    expect(report.written).toBe(SHARDS);
    expect(sweeps).toBe(report.merged + 2 * SHARDS + 1);
    const names = await blobs.list('jobs/');
    expect(names.filter((n) => /\/c\d+-\d+$/.test(n))).toHaveLength(SHARDS);
    expect(names.filter((n) => n.includes('2026-11-20/f'))).toEqual([]);
    // Two subjects per object (meta and chunks): nothing of the deleted parts is left in the stream.
    expect(await subjects()).toBe(2 * names.length);
    for (const job of jobs) expect(await archive.find('acme', job.jobId)).toEqual(job);
  }, 60_000);

  it('deletes the days past the archive retention, their objects and subjects, and keeps the others', async () => {
    const now = { t: T0 };
    const { blobs, archive, reader, subjects } = await open(now);
    const jobs = await fill(archive, [T0 - 40 * DAY, T0 - 10 * DAY, T0], 3, 4);
    await archive.compact(HOUR);
    const all = await blobs.list('jobs/');
    const report = await archive.expire(30 * DAY);
    expect(report.done).toBe(true);
    const left = await blobs.list('jobs/');
    expect(left.some((n) => n.includes('/2026-10-'))).toBe(false);
    expect(report.expired).toBe(all.filter((n) => n.includes('/2026-10-')).length);
    expect(await subjects()).toBe(2 * left.length);
    for (const job of jobs) {
      const expected = job.jobId.startsWith('j0-') ? null : job;
      expect(await reader.find('acme', job.jobId)).toEqual(expected);
    }
  }, 60_000);
});
