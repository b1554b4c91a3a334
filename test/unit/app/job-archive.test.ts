/**
 * The archive (docs/retention.md) on a counting in-memory blob store: histories filed by shard and
 * creation day in immutable flush parts, a replayed flush replacing its own parts rather than adding,
 * reads that find a job by its archive_ref in one get or by search within bounds, compaction of
 * finished days (a job findable at every step of it, crashes included) and the archive retention.
 */
import { describe, expect, it } from 'vitest';
import { Segment } from '../../../src/app/jobs/archive-segment.ts';
import { type ArchivedHistory, JobArchive, type MaintenanceReport } from '../../../src/app/jobs/job-archive.ts';
import { type BlobStore, checkBlobName } from '../../../src/app/ports.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import { ulid } from 'ulid';

class CountingBlobs implements BlobStore {
  readonly objects = new Map<string, Uint8Array>();
  gets = 0;
  puts = 0;
  put(name: string, data: Uint8Array): Promise<void> {
    checkBlobName(name);
    this.beforeChange('put', name);
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
  deletes = 0;
  /** Called before each put and delete: a test may throw from it to crash the writer there. */
  beforeChange: (op: 'put' | 'delete', name: string) => void = () => {};
  delete(name: string): Promise<boolean> {
    this.beforeChange('delete', name);
    this.deletes++;
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

/** The compacted parts the shards' days maps name. */
async function namedByMaps(blobs: CountingBlobs): Promise<string[]> {
  const names: string[] = [];
  for (const [name, data] of blobs.objects) {
    if (!name.endsWith('/days')) continue;
    const map = JSON.parse(new TextDecoder().decode(data)) as { compacted: Record<string, { parts: string[] }> };
    for (const day of Object.values(map.compacted)) names.push(...day.parts);
  }
  return names.sort();
}

const flushParts = (blobs: CountingBlobs) => [...blobs.objects.keys()].filter((n) => /\/f\d+-\d+$/.test(n));
const compactedParts = (blobs: CountingBlobs) => [...blobs.objects.keys()].filter((n) => /\/c\d+-\d+$/.test(n));

describe('the job archive', () => {
  it('files each flush in new parts by shard and creation day and reads each job back whole, by archive_ref in one get', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 4 });
    const jobs = Array.from({ length: 40 }, (_, i) => history(`job-${i}`, T0 + (i % 3) * DAY));
    const refs = await archive.write(jobs.slice(0, 20), 101);
    for (const [key, ref] of await archive.write(jobs.slice(20), 250)) refs.set(key, ref);
    for (const [i, job] of jobs.entries()) {
      const ref = refs.get(JSON.stringify([job.tenant, job.jobId])) as string;
      const day = new Date(T0 + (i % 3) * DAY).toISOString().slice(0, 10);
      const from = i < 20 ? '0000000000000101' : '0000000000000250';
      expect(ref).toBe(`jobs/${archive.shardOf('acme', job.jobId)}/${day}/f${from}-0`);
      blobs.gets = 0;
      expect(await archive.find('acme', job.jobId, ref)).toEqual(job);
      expect(blobs.gets).toBe(1);
    }
    // The second flush wrote new parts and rewrote none of the first's; no days map per flush.
    expect(flushParts(blobs).length).toBe(blobs.puts);
    expect(blobs.objects.size).toBeLessThanOrEqual(2 * 4 * 3);
    expect(await archive.find('other-tenant', 'job-1')).toBeNull();
  });

  it('splits a large flush at the size limit and keeps every job findable without a hint', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 1, maxPartBytes: 4_000 });
    const jobs = Array.from({ length: 30 }, (_, i) => history(`big-${i}`, T0));
    await archive.write(jobs.slice(0, 10), 1);
    await archive.write(jobs.slice(10), 50);
    expect(flushParts(blobs).length).toBeGreaterThan(3);
    for (const data of blobs.objects.values()) expect(Segment.decode(data).bodyBytes).toBeLessThan(4_000 + 2_000);
    for (const job of jobs) expect(await archive.find('acme', job.jobId)).toEqual(job);
    expect(heldCount(blobs)).toBe(30);
  });

  it('a flush replayed after a crash replaces its own parts: jobs archived before the crash stay, none is held twice', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 2, maxPartBytes: 6_000 });
    const jobs = Array.from({ length: 12 }, (_, i) => history(`again-${i}`, T0));
    const first = await archive.write(jobs, 7);
    const bytes = new Map(blobs.objects);
    // The same batch again: the same names and the same bytes.
    expect(await archive.write(jobs, 7)).toEqual(first);
    expect(new Map(blobs.objects)).toEqual(bytes);
    // A replay without the jobs that took JobArchived before the crash, and with later ones.
    const later = Array.from({ length: 5 }, (_, i) => history(`later-${i}`, T0));
    const replay = await archive.write([...jobs.slice(4), ...later], 7);
    expect(heldCount(blobs)).toBe(17);
    for (const job of [...jobs, ...later]) {
      const key = JSON.stringify([job.tenant, job.jobId]);
      const ref = replay.get(key) ?? first.get(key) ?? '';
      expect(await archive.find('acme', job.jobId, ref)).toEqual(job);
    }
  });

  it('looks for a ULID id only around the day it was made, so a miss costs a few reads', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 1 });
    const made = Array.from({ length: 20 }, (_, day) => ulid(T0 - day * DAY));
    await archive.write(
      made.map((id, day) => history(id, T0 - day * DAY)),
      1,
    );
    blobs.gets = 0;
    expect(await archive.find('acme', made[7] as string)).not.toBeNull();
    expect(blobs.gets).toBeLessThanOrEqual(2);
    blobs.gets = 0;
    expect(await archive.find('acme', ulid(T0 - 5 * DAY + 1000))).toBeNull();
    expect(blobs.gets).toBeLessThanOrEqual(5);
    // A client-chosen id has no date in it: every day of its shard, newest first.
    await archive.write([history('client-chosen', T0 - 12 * DAY)], 30);
    expect(await archive.find('acme', 'client-chosen')).not.toBeNull();
  });

  it('sees a part written after its listing was taken (a miss looks again with a fresh listing)', async () => {
    const blobs = new CountingBlobs();
    const archive = new JobArchive(blobs, { shards: 1, listCacheMs: 60_000 });
    await archive.write([history('early', T0)], 1);
    expect(await archive.find('acme', 'early')).not.toBeNull();
    await archive.write([history('late', T0)], 2);
    expect(await archive.find('acme', 'late')).not.toBeNull();
  });
});

describe('compaction of finished days', () => {
  const HOUR = 3_600_000;

  async function archiveOfThreeDays(blobs: CountingBlobs, now: { t: number }, maxPartBytes = 5_000) {
    const archive = new JobArchive(blobs, { shards: 2, maxPartBytes, compactAtParts: 4 }, () => now.t);
    const jobs: ArchivedHistory[] = [];
    for (let flush = 0; flush < 6; flush++) {
      const batch = Array.from({ length: 7 }, (_, i) => history(`j-${flush}-${i}`, T0 + (flush % 3) * DAY));
      jobs.push(...batch);
      await archive.write(batch, 100 * (flush + 1));
    }
    return { archive, jobs };
  }

  it('merges the flush parts of each day over into a few parts, then deletes them; jobs read the same', async () => {
    const blobs = new CountingBlobs();
    const now = { t: T0 + DAY + 5 * HOUR };
    const { archive, jobs } = await archiveOfThreeDays(blobs, now, 20_000);
    const before = flushParts(blobs).length;
    // Day 0 ended 15 h ago, day 1 ends in 9 h, day 2 is still ahead: only day 0 is compacted.
    const report = await archive.compact(HOUR);
    expect(report.done).toBe(true);
    const day0 = new Date(T0).toISOString().slice(0, 10);
    expect(flushParts(blobs).some((n) => n.includes(day0))).toBe(false);
    expect(compactedParts(blobs).every((n) => n.includes(day0))).toBe(true);
    expect(flushParts(blobs).length).toBe(before - report.merged);
    expect(compactedParts(blobs).length).toBe(report.written);
    expect(report.written).toBeLessThan(report.merged);
    expect(heldCount(blobs)).toBe(jobs.length);
    for (const job of jobs) expect(await archive.find('acme', job.jobId)).toEqual(job);
    // Nothing more to do: a second pass writes nothing.
    const puts = blobs.puts;
    expect((await archive.compact(HOUR)).merged).toBe(0);
    expect(blobs.puts).toBe(puts);
    // Days later everything is compacted; a late flush to an old day is compacted into a new generation.
    now.t = T0 + 4 * DAY;
    await archive.compact(HOUR);
    expect(flushParts(blobs)).toEqual([]);
    const late = history('late-finisher', T0);
    await archive.write([late], 900);
    await archive.compact(HOUR);
    expect(flushParts(blobs)).toEqual([]);
    expect(compactedParts(blobs).some((n) => /\/c0002-0$/.test(n))).toBe(true);
    for (const job of [...jobs, late]) expect(await archive.find('acme', job.jobId)).toEqual(job);
    expect(heldCount(blobs)).toBe(jobs.length + 1);
  });

  it('a job is found at every step of a compaction, and a compaction that crashed at any write is finished by the next pass without holding a job twice', async () => {
    // Count the writes of one clean pass, then crash a fresh archive before each one of them in turn.
    // Before it, the days were compacted while they went on (generations to merge when sealing).
    const prelude = async (blobs: CountingBlobs, now: { t: number }) => {
      const made = await archiveOfThreeDays(blobs, now);
      const intraDay = new JobArchive(blobs, { shards: 2, maxPartBytes: 5_000, compactAtParts: 1 }, () => T0);
      expect((await intraDay.compact(HOUR)).merged).toBeGreaterThan(0);
      await made.archive.write([history('after-intra-day', T0)], 5_000);
      return { archive: made.archive, jobs: [...made.jobs, history('after-intra-day', T0)] };
    };
    const probe = new CountingBlobs();
    const probeNow = { t: T0 + 5 * DAY };
    const { archive: clean } = await prelude(probe, probeNow);
    const [puts, deletes] = [probe.puts, probe.deletes];
    await clean.compact(HOUR);
    const changes = probe.puts - puts + (probe.deletes - deletes);
    expect(changes).toBeGreaterThan(4);
    for (let crashAt = 0; crashAt < changes; crashAt++) {
      const blobs = new CountingBlobs();
      const now = { t: T0 + 5 * DAY };
      const { archive, jobs } = await prelude(blobs, now);
      const reader = new JobArchive(blobs, { shards: 2, listCacheMs: 0 }, () => now.t);
      let seen = 0;
      blobs.beforeChange = () => {
        if (seen++ === crashAt) throw new Error(`crash at change ${crashAt}`);
      };
      await expect(archive.compact(HOUR)).rejects.toThrow(/crash at change/);
      blobs.beforeChange = () => {};
      for (const job of jobs) expect(await reader.find('acme', job.jobId), `${crashAt} ${job.jobId}`).toEqual(job);
      await archive.compact(HOUR);
      expect(flushParts(blobs), `crash at ${crashAt}`).toEqual([]);
      expect(heldCount(blobs), `crash at ${crashAt}`).toBe(jobs.length);
      // Sealed: each shard's day is as few parts as the size limit allows, and every one is named.
      expect(compactedParts(blobs).sort()).toEqual(await namedByMaps(blobs));
      for (const job of jobs) expect(await reader.find('acme', job.jobId)).toEqual(job);
    }
  });

  it('merges the flush parts of a day still going on once there are enough, then seals the day into as few parts as the limit allows', async () => {
    const blobs = new CountingBlobs();
    const now = { t: T0 };
    const archive = new JobArchive(blobs, { shards: 1, compactAtParts: 5 }, () => now.t);
    const jobs: ArchivedHistory[] = [];
    for (let flush = 0; flush < 23; flush++) {
      const job = history(`today-${flush}`, T0);
      jobs.push(job);
      await archive.write([job], flush + 1);
      now.t += 60_000;
      await archive.compact(HOUR);
      // Never more than the threshold of flush parts waiting, whatever the number of flushes.
      expect(flushParts(blobs).length).toBeLessThan(5);
    }
    expect(compactedParts(blobs)).toHaveLength(4);
    expect(flushParts(blobs)).toHaveLength(3);
    const reader = new JobArchive(blobs, { shards: 1, listCacheMs: 0 }, () => now.t);
    for (const job of jobs) expect(await reader.find('acme', job.jobId)).toEqual(job);
    // The day is sealed while a reader is between reading the map and reading the parts it names.
    const stale = new JobArchive(blobs, { shards: 1, listCacheMs: 3_600_000 }, () => now.t);
    expect(await stale.find('acme', 'today-0')).toEqual(jobs[0]);
    now.t = T0 + 2 * DAY;
    let sealing: Promise<MaintenanceReport> | null = null;
    const racing: BlobStore = {
      list: (prefix) => blobs.list(prefix),
      put: (name, data) => blobs.put(name, data),
      delete: (name) => blobs.delete(name),
      async get(name) {
        if (sealing === null && /\/c\d+-0$/.test(name)) {
          sealing = archive.compact(HOUR);
          await sealing;
        }
        return blobs.get(name);
      },
    };
    expect(await new JobArchive(racing, { shards: 1, listCacheMs: 0 }, () => now.t).find('acme', 'today-0')).toEqual(
      jobs[0],
    );
    const report = await (sealing as unknown as Promise<MaintenanceReport>);
    expect(report.merged).toBe(3);
    expect(compactedParts(blobs)).toEqual(['jobs/0000/2026-12-01/c0005-0']);
    expect(flushParts(blobs)).toEqual([]);
    for (const job of jobs) expect(await stale.find('acme', job.jobId)).toEqual(job);
    for (const job of jobs) expect(await reader.find('acme', job.jobId)).toEqual(job);
    // Sealed once: the next pass writes nothing.
    const puts = blobs.puts;
    await archive.compact(HOUR);
    expect(blobs.puts).toBe(puts);
  });

  it('a reader with an older listing still finds jobs whose flush parts were compacted away', async () => {
    const blobs = new CountingBlobs();
    const now = { t: T0 + 5 * DAY };
    const { archive, jobs } = await archiveOfThreeDays(blobs, now);
    const reader = new JobArchive(blobs, { shards: 2, listCacheMs: 3_600_000 }, () => now.t);
    expect(await reader.find('acme', 'j-0-0')).not.toBeNull();
    await archive.compact(HOUR);
    blobs.gets = 0;
    for (const job of jobs) expect(await reader.find('acme', job.jobId)).toEqual(job);
  });
});

describe('archive retention', () => {
  it('deletes the parts and map entries of days older than the retention, and keeps the rest', async () => {
    const blobs = new CountingBlobs();
    const now = { t: T0 };
    const archive = new JobArchive(blobs, { shards: 2 }, () => now.t);
    const old = Array.from({ length: 6 }, (_, i) => history(`old-${i}`, T0 - 40 * DAY));
    const edge = Array.from({ length: 6 }, (_, i) => history(`edge-${i}`, T0 - 29 * DAY));
    const recent = Array.from({ length: 6 }, (_, i) => history(`recent-${i}`, T0 - 2 * DAY));
    await archive.write([...old, ...edge], 1);
    await archive.compact(3_600_000);
    await archive.write(recent, 2);
    expect(compactedParts(blobs).length).toBeGreaterThan(0);
    expect((await archive.expire(0)).expired).toBe(0);
    const report = await archive.expire(30 * DAY);
    expect(report.expired).toBeGreaterThan(0);
    for (const job of old) expect(await archive.find('acme', job.jobId)).toBeNull();
    for (const job of [...edge, ...recent]) expect(await archive.find('acme', job.jobId)).toEqual(job);
    expect(heldCount(blobs)).toBe(12);
    for (const [name, data] of blobs.objects) {
      if (name.endsWith('/days')) expect(new TextDecoder().decode(data)).not.toContain('-10-');
    }
    // Two days later the edge day is past the retention too.
    now.t += 2 * DAY;
    await archive.expire(30 * DAY);
    expect(heldCount(blobs)).toBe(6);
  });
});
