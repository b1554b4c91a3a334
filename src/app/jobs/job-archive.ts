/**
 * The archive of finished jobs' histories (docs/retention.md), on a BlobStore. Histories are grouped
 * in segments so the store holds a few objects per shard and day, not one per job:
 *   `jobs/<shard>/<day>/<part>`  a segment: the histories of the jobs of that shard created that day
 *                                (shard = hash(tenant, id) mod S), in parts of at most `maxPartBytes`;
 *   `jobs/<shard>/days`          the shard's days and how many parts each has (the readers' map).
 * One archiver writes at a time (under a lease); a part is read, extended and written whole, then the
 * days map, so a reader never finds a map entry for a part that is not there. A batch written again
 * after a crash replaces its histories where the first try put them (the days map remembers which
 * parts the latest write touched): rewrites are idempotent, and no job is held twice.
 *
 * Writes are read-modify-write with no compare-and-set (the object store has none): the archiver's
 * lease is what keeps a second writer out, and it checks the lease just before each write.
 */
import { fnv1a32 } from '../../domain/shared/stream.ts';
import type { BlobStore } from '../ports.ts';
import { type ArchivedHistory, historyKey, Segment } from './archive-segment.ts';

export type { ArchivedHistory };

export interface JobArchiveOptions {
  /** S: shards per day (fixed for an installation: readers compute the shard from (tenant, id)). */
  readonly shards: number;
  /** A part is closed and the next one started beyond this many bytes. */
  readonly maxPartBytes: number;
}

export const DEFAULT_ARCHIVE_OPTIONS: JobArchiveOptions = { shards: 256, maxPartBytes: 4 * 1024 * 1024 };

interface DaysMap {
  /** Day (`YYYY-MM-DD`, UTC) → number of parts. */
  readonly days: Record<string, number>;
  /** Day → the first part the latest write to it touched (where a rewrite looks for its jobs). */
  readonly recent?: Record<string, number>;
}

const WRITE_CONCURRENCY = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class JobArchive {
  readonly #blobs: BlobStore;
  readonly #options: JobArchiveOptions;

  constructor(blobs: BlobStore, options: Partial<JobArchiveOptions> = {}) {
    this.#blobs = blobs;
    this.#options = { ...DEFAULT_ARCHIVE_OPTIONS, ...options };
  }

  shardOf(tenant: string, jobId: string): string {
    return String(fnv1a32(`${tenant}:${jobId}`) % this.#options.shards).padStart(4, '0');
  }

  /**
   * Writes the histories into their segments; answers each job's `archive_ref` (the part's name), by
   * `historyKey(tenant, id)`. Resolves only once every part and days map is stored.
   */
  async write(histories: readonly ArchivedHistory[]): Promise<Map<string, string>> {
    const byShard = new Map<string, ArchivedHistory[]>();
    for (const history of histories) {
      const shard = this.shardOf(history.tenant, history.jobId);
      const list = byShard.get(shard) ?? [];
      list.push(history);
      byShard.set(shard, list);
    }
    const refs = new Map<string, string>();
    const shards = [...byShard];
    const workers = Array.from({ length: Math.min(WRITE_CONCURRENCY, shards.length) }, async () => {
      for (let next = shards.shift(); next !== undefined; next = shards.shift()) {
        for (const [key, ref] of await this.#writeShard(next[0], next[1])) refs.set(key, ref);
      }
    });
    await Promise.all(workers);
    return refs;
  }

  /**
   * A job's archived history, or null. `hint` is its `archive_ref` when known (one read). Otherwise the
   * shard's days are searched: for an id that is a ULID only the day it was made and the days either
   * side (a job is filed under the day it was created, which is when Coretex made its id), so a miss
   * costs a few reads, not the whole shard; any other id, every day newest first (ids that start with
   * a ULID, as step jobs' do, the ULID's day first).
   */
  async find(tenant: string, jobId: string, hint: string | null = null): Promise<ArchivedHistory | null> {
    if (hint !== null) {
      const found = Segment.decode(await this.#blobs.get(hint)).find(tenant, jobId);
      if (found !== null) return found;
    }
    const shard = this.shardOf(tenant, jobId);
    const days = (await this.#days(shard)).days;
    for (const day of searchOrder(jobId, Object.keys(days))) {
      for (let part = (days[day] ?? 0) - 1; part >= 0; part--) {
        const name = partName(shard, day, part);
        if (name === hint) continue;
        const found = Segment.decode(await this.#blobs.get(name)).find(tenant, jobId);
        if (found !== null) return found;
      }
    }
    return null;
  }

  async #writeShard(shard: string, histories: readonly ArchivedHistory[]): Promise<Map<string, string>> {
    const map = await this.#days(shard);
    const days = { ...map.days };
    const recent = { ...(map.recent ?? {}) };
    const byDay = new Map<string, ArchivedHistory[]>();
    for (const history of histories) {
      const day = dayOf(history);
      const list = byDay.get(day) ?? [];
      list.push(history);
      byDay.set(day, list);
    }
    const refs = new Map<string, string>();
    for (const [day, list] of byDay) {
      const last = Math.max(0, (days[day] ?? 1) - 1);
      // The parts the previous write to this day touched: a batch written again after a crash finds
      // its histories there and replaces them in place, so no job is ever held twice.
      const segments = new Map<number, Segment>();
      for (let part = Math.min(recent[day] ?? last, last); part <= last; part++) {
        segments.set(part, Segment.decode(await this.#blobs.get(partName(shard, day, part))));
      }
      const dirty = new Set<number>();
      let current = last;
      for (const history of list) {
        const key = historyKey(history.tenant, history.jobId);
        let part = [...segments].find(([, segment]) => segment.has(key))?.[0];
        if (part === undefined) {
          const open = segments.get(current) as Segment;
          if (open.size > 0 && open.bodyBytes >= this.#options.maxPartBytes) {
            current++;
            segments.set(current, new Segment());
          }
          part = current;
        }
        (segments.get(part) as Segment).put(history);
        dirty.add(part);
        refs.set(key, partName(shard, day, part));
      }
      for (const part of [...dirty].sort((a, b) => a - b)) {
        await this.#blobs.put(partName(shard, day, part), (segments.get(part) as Segment).encode());
      }
      days[day] = current + 1;
      recent[day] = last;
    }
    await this.#blobs.put(daysName(shard), encoder.encode(JSON.stringify({ days, recent } satisfies DaysMap)));
    return refs;
  }

  async #days(shard: string): Promise<DaysMap> {
    const data = await this.#blobs.get(daysName(shard));
    return data === null ? { days: {} } : (JSON.parse(decoder.decode(data)) as DaysMap);
  }
}

function partName(shard: string, day: string, part: number): string {
  return `jobs/${shard}/${day}/${part}`;
}

function daysName(shard: string): string {
  return `jobs/${shard}/days`;
}

/** The UTC day the job was created (its keys carry `created_at`; a snapshot's too). */
function dayOf(history: ArchivedHistory): string {
  const first = history.events[0];
  const keys = (first?.data as { keys?: { created_at?: unknown } } | undefined)?.keys;
  const at = typeof keys?.created_at === 'number' ? keys.created_at : Date.parse(first?.time ?? '');
  return new Date(Number.isFinite(at) ? at : 0).toISOString().slice(0, 10);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}/;
const DAY_MS = 86_400_000;

/** The days of a shard to look in for `jobId`, most likely first. */
function searchOrder(jobId: string, days: readonly string[]): string[] {
  const made = ulidTime(jobId);
  if (made !== null && jobId.length === 26) {
    const near = [made, made - DAY_MS, made + DAY_MS].map((ms) => new Date(ms).toISOString().slice(0, 10));
    return near.filter((day) => days.includes(day));
  }
  const order = [...days].sort().reverse();
  if (made === null) return order;
  const day = new Date(made).toISOString().slice(0, 10);
  return order.includes(day) ? [day, ...order.filter((d) => d !== day)] : order;
}

/** When a ULID (or an id that starts with one) was made, or null. */
function ulidTime(id: string): number | null {
  const upper = id.toUpperCase();
  if (!ULID.test(upper)) return null;
  let ms = 0;
  for (const char of upper.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(char);
  return ms > Date.UTC(2000, 0, 1) && ms < Date.UTC(2200, 0, 1) ? ms : null;
}
