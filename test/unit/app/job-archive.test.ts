/**
 * The archive's segments (docs/retention.md) on a counting in-memory blob store: histories filed by
 * shard and creation day, parts closed at the size limit, a rewrite after a crash replacing rather
 * than adding, and reads that find a job by its archive_ref in one get, or by search within bounds.
 */
import { describe, expect, it } from 'vitest';
import { Segment } from '../../../src/app/jobs/archive-segment.ts';
import { type ArchivedHistory, JobArchive } from '../../../src/app/jobs/job-archive.ts';
import { type BlobStore, checkBlobName } from '../../../src/app/ports.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import { ulid } from 'ulid';

class CountingBlobs implements BlobStore {
  readonly objects = new Map<string, Uint8Array>();
  gets = 0;
  puts = 0;
  put(name: string, data: Uint8Array): Promise<void> {
    checkBlobName(name);
    this.puts++;
    this.objects.set(name, data.slice());
    return Promise.resolve();
  }
  get(name: string): Promise<Uint8Array | null> {
    this.gets++;
    return Promise.resolve(this.objects.get(name) ?? null);
  }
  list(prefix = ''): Promise<string[]> {
    return Promise.resolve([...this.objects.keys()].filter((n) => n.startsWith(prefix)).sort());
  }
  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.objects.delete(name));
  }
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 10);

function history(jobId: string, createdAt: number, events = 4, tenant = 'acme'): ArchivedHistory {
  const list: StoredEvent[] = Array.from({ length: events }, (_, i) => ({
    id: `${jobId}-${i}`,
    type: i === 0 ? 'JobSubmitted' : i === events - 1 ? 'JobSucceeded' : 'JobScheduled',
    schema_version: 1,
    stream_id: `job:${tenant}:${jobId}`,
    time: new Date(createdAt + i).toISOString(),
    trace_id: null,
    causation_id: null,
    correlation_id: jobId,
    actor: 'test',
    tenant,
    first_position: i === 0 ? 0 : 100,
    data: { keys: { job_id: jobId, created_at: createdAt }, payload: 'x'.repeat(200) },
    position: 100 + i,
  }));
  return { tenant, jobId, events: list };
}

function heldCount(blobs: CountingBlobs): number {
  let n = 0;
  for (const [name, data] of blobs.objects) if (!name.endsWith('/days')) n += Segment.decode(data).size;
  return n;
}

describe('the job archive', () => {
  it('files histories by shard and creation day and reads each back whole, by archive_ref in one get', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 4 });
    const jobs = Array.from({ length: 40 }, (_, i) => history(`job-${i}`, T0 + (i % 3) * DAY));
    const refs = await archive.write(jobs);
    for (const job of jobs) {
      const ref = refs.get(JSON.stringify([job.tenant, job.jobId])) as string;
      const day = new Date(T0 + (Number(job.jobId.slice(4)) % 3) * DAY).toISOString().slice(0, 10);
      expect(ref).toBe(`jobs/${archive.shardOf('acme', job.jobId)}/${day}/0`);
      blobs.gets = 0;
      expect(await archive.find('acme', job.jobId, ref)).toEqual(job);
      expect(blobs.gets).toBe(1);
    }
    // A few objects per shard and day, not one per job.
    expect(blobs.objects.size).toBeLessThanOrEqual(4 * 3 + 4);
    expect(await archive.find('other-tenant', 'job-1')).toBeNull();
  });

  it('closes a part at the size limit and keeps every job findable without a hint', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 1, maxPartBytes: 4_000 });
    const jobs = Array.from({ length: 30 }, (_, i) => history(`big-${i}`, T0));
    await archive.write(jobs.slice(0, 10));
    await archive.write(jobs.slice(10));
    const parts = (await blobs.list('jobs/0000/2026-12-01/')).length;
    expect(parts).toBeGreaterThan(3);
    for (const [name, data] of blobs.objects) {
      if (!name.endsWith('/days')) expect(Segment.decode(data).bodyBytes).toBeLessThan(4_000 + 2_000);
    }
    for (const job of jobs) expect(await archive.find('acme', job.jobId)).toEqual(job);
    expect(heldCount(blobs)).toBe(30);
  });

  it('a batch written again (a crash before JobArchived) replaces its histories, never duplicates them', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 2, maxPartBytes: 6_000 });
    const jobs = Array.from({ length: 12 }, (_, i) => history(`again-${i}`, T0));
    const first = await archive.write(jobs);
    const bytes = new Map(blobs.objects);
    const second = await archive.write(jobs);
    expect(second).toEqual(first);
    expect(heldCount(blobs)).toBe(12);
    expect([...blobs.objects.keys()]).toEqual([...bytes.keys()]);
    for (const [name, data] of blobs.objects) {
      if (!name.endsWith('/days'))
        expect(Buffer.from(data).equals(Buffer.from(bytes.get(name) ?? [])), name).toBe(true);
    }
  });

  it('looks for a ULID id only around the day it was made, so a miss costs a few reads', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 1 });
    const made = Array.from({ length: 20 }, (_, day) => ulid(T0 - day * DAY));
    await archive.write(made.map((id, day) => history(id, T0 - day * DAY)));
    blobs.gets = 0;
    expect(await archive.find('acme', made[7] as string)).not.toBeNull();
    expect(blobs.gets).toBeLessThanOrEqual(2);
    blobs.gets = 0;
    expect(await archive.find('acme', ulid(T0 - 5 * DAY + 1000))).toBeNull();
    expect(blobs.gets).toBeLessThanOrEqual(4);
    // A client-chosen id has no date in it: every day of its shard, newest first.
    await archive.write([history('client-chosen', T0 - 12 * DAY)]);
    expect(await archive.find('acme', 'client-chosen')).not.toBeNull();
  });
});
