/**
 * The archive of finished jobs' histories (docs/retention.md), on a BlobStore. Histories are grouped
 * in segments (archive-segment.ts) filed by shard (hash(tenant, id) mod S) and creation day; the object
 * names are in archive-layout.ts.
 *
 * Nothing is rewritten in the steady state. Each flush of the archiver writes new parts, one per shard
 * and day it touches, named after the stream position the flush started at. A flush replayed after a
 * crash starts at the same position, so it finds its own parts: it merges what they hold with its
 * batch and writes them again under the same names (a replay covers at least the crashed flush's
 * positions, see archiver.ts), so no history is lost and none is held twice.
 *
 * Once a day is over, `compact` merges each shard's flush parts of that day into a few large parts,
 * records them in the shard's days map, and only then deletes the flush parts: a reader finds a job at
 * every moment. `expire` deletes the days past the archive retention.
 *
 * One archiver writes at a time (under a lease); there is no compare-and-set (the object store has
 * none), so it checks its lease before writing.
 */
import { fnv1a32 } from '../../domain/shared/stream.ts';
import type { BlobStore } from '../ports.ts';
import {
  compactedPartName,
  DAY_MS,
  dayOfTime,
  daysMapName,
  flushPartName,
  isDayOver,
  isExpired,
  type PartName,
  parsePartName,
  splitBySize,
} from './archive-layout.ts';
import { type ArchivedHistory, Segment } from './archive-segment.ts';

export type { ArchivedHistory };

export interface JobArchiveOptions {
  /** S: shards per day (fixed for an installation: readers compute the shard from (tenant, id)). */
  readonly shards: number;
  /** A part is closed and the next one started beyond this many bytes. */
  readonly maxPartBytes: number;
  /**
   * How long a listing of the archive's flush parts is reused by readers. Parts are immutable and a
   * miss re-lists once, so this only bounds how often a busy reader lists.
   */
  readonly listCacheMs: number;
  /**
   * A shard's flush parts of a day still going on are merged once there are this many, so the
   * objects a day holds are bounded by the time it ends, whatever the flush interval.
   */
  readonly compactAtParts: number;
}

export const DEFAULT_ARCHIVE_OPTIONS: JobArchiveOptions = {
  shards: 256,
  maxPartBytes: 4 * 1024 * 1024,
  listCacheMs: 2_000,
  compactAtParts: 16,
};

/** A shard's compacted days: the parts each day's flush parts were merged into. */
interface DaysMap {
  readonly compacted: Record<string, CompactedDay>;
}

interface CompactedDay {
  /** The compacted parts, oldest generation first. */
  readonly parts: readonly string[];
  /** The latest generation written (a late flush to the day is compacted into the next one). */
  readonly generation: number;
  /** The highest flush position merged: flush parts of the day up to it are held by `parts`. */
  readonly upTo: number;
  /**
   * The day was over when last compacted: its parts were merged into as few as the size limit allows
   * (parts merged while it went on were not). Late flush parts to it are merged on their own.
   */
  readonly sealed?: boolean;
}

/** Bounds a maintenance pass (compaction, retention): checked before each shard's writes. */
export type KeepGoing = () => boolean;

export interface MaintenanceReport {
  /** Flush parts merged and deleted. */
  merged: number;
  /** Compacted parts written. */
  written: number;
  /** Objects deleted by retention. */
  expired: number;
  /** False when `keepGoing` stopped the pass before the end (the next pass goes on). */
  done: boolean;
}

const WRITE_CONCURRENCY = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class JobArchive {
  readonly #blobs: BlobStore;
  readonly #options: JobArchiveOptions;
  readonly #now: () => number;
  #listing: { readonly at: number; readonly parts: Promise<PartName[]> } | null = null;
  /** The writer's parts, by name (see `#writerIndex`); null until listed. */
  #index: Map<string, PartName> | null = null;

  constructor(blobs: BlobStore, options: Partial<JobArchiveOptions> = {}, now: () => number = Date.now) {
    this.#blobs = blobs;
    this.#options = { ...DEFAULT_ARCHIVE_OPTIONS, ...options };
    this.#now = now;
  }

  shardOf(tenant: string, jobId: string): string {
    return String(fnv1a32(`${tenant}:${jobId}`) % this.#options.shards).padStart(4, '0');
  }

  /**
   * Writes the histories of the flush that started at stream position `from` into new parts; answers
   * each job's `archive_ref` (its part's name), by `historyKey(tenant, id)`. Written again with the
   * same `from` (a replay), it keeps what the parts already held and replaces the same jobs.
   */
  async write(histories: readonly ArchivedHistory[], from: number): Promise<Map<string, string>> {
    const groups = new Map<string, { shard: string; day: string; histories: ArchivedHistory[] }>();
    for (const history of histories) {
      const shard = this.shardOf(history.tenant, history.jobId);
      const day = dayOf(history);
      const group = groups.get(`${shard}/${day}`) ?? { shard, day, histories: [] };
      group.histories.push(history);
      groups.set(`${shard}/${day}`, group);
    }
    const refs = new Map<string, string>();
    await inParallel([...groups.values()], WRITE_CONCURRENCY, async ({ shard, day, histories: list }) => {
      for (const [key, ref] of await this.#writeFlushParts(shard, day, from, list)) refs.set(key, ref);
    });
    return refs;
  }

  /**
   * A job's archived history, or null. `hint` is its `archive_ref` when known (one read). Otherwise
   * the shard's parts are searched: for an id that is a ULID only the day it was made and the days
   * either side (a job is filed under the day it was created, which is when Coretex made its id), so a
   * miss costs a few reads; any other id, every day newest first (ids that start with a ULID, as step
   * jobs' do, the ULID's day first). Flush parts come from a listing (reused for `listCacheMs`; a miss
   * on a reused listing looks once more with a fresh one), compacted parts from the shard's days map,
   * read again when a listed flush part is gone: compaction writes the map before deleting flush
   * parts, so a job being compacted is found in one or the other.
   */
  async find(tenant: string, jobId: string, hint: string | null = null): Promise<ArchivedHistory | null> {
    const tried = new Set<string>();
    /** The job from the named part; `missing` when the part is gone (compacted or expired meanwhile). */
    const look = async (name: string): Promise<{ found: ArchivedHistory | null; missing: boolean }> => {
      if (tried.has(name)) return { found: null, missing: false };
      tried.add(name);
      const data = await this.#blobs.get(name);
      return { found: Segment.decode(data).find(tenant, jobId), missing: data === null };
    };
    if (hint !== null) {
      const { found } = await look(hint);
      if (found !== null) return found;
    }
    const shard = this.shardOf(tenant, jobId);
    const search = async (fresh: boolean): Promise<ArchivedHistory | null> => {
      const flushParts = (await this.#flushParts(fresh)).filter((part) => part.shard === shard);
      let map = await this.#daysMap(shard);
      const days = [...new Set([...flushParts.map((part) => part.day), ...Object.keys(map.compacted)])];
      for (const day of searchOrder(jobId, days)) {
        let missing = false;
        const newestFirst = flushParts.filter((part) => part.day === day).sort((a, b) => compareParts(b, a));
        for (const part of newestFirst) {
          const answer = await look(partNameOf(part));
          if (answer.found !== null) return answer.found;
          missing ||= answer.missing;
        }
        // A flush part gone since the listing was compacted: the map written before its deletion has it.
        if (missing) map = await this.#daysMap(shard);
        for (let attempt = 0; attempt < 2; attempt++) {
          let gone = false;
          for (const name of [...(map.compacted[day]?.parts ?? [])].reverse()) {
            const answer = await look(name);
            if (answer.found !== null) return answer.found;
            gone ||= answer.missing;
          }
          if (!gone) break;
          // Sealing the day replaced its parts since the map was read: the new map names the merged ones.
          map = await this.#daysMap(shard);
        }
      }
      return null;
    };
    const reused = this.#listingIsFresh();
    return (await search(false)) ?? (reused ? search(true) : null);
  }

  /** The writer's parts, by shard. */
  async #partsByShard(): Promise<Map<string, PartName[]>> {
    const byShard = new Map<string, PartName[]>();
    for (const part of (await this.#writerIndex()).values()) {
      const list = byShard.get(part.shard) ?? [];
      list.push(part);
      byShard.set(part.shard, list);
    }
    return byShard;
  }

  /**
   * Merges flush parts into compacted parts, per shard and day: while a day goes on, once it has
   * `compactAtParts` of them (appended as a new generation, nothing rewritten); once it is over
   * (`marginMs` after its end), all of the day's parts into as few as the size limit allows, once
   * (sealed). The merged parts are written, then the days map names them, then the parts they replace
   * are deleted: a reader finds each job at every moment, and a crash anywhere is finished by the next
   * pass. Stops between shards when `keepGoing` says so.
   */
  async compact(marginMs: number, keepGoing: KeepGoing = () => true): Promise<MaintenanceReport> {
    const report: MaintenanceReport = { merged: 0, written: 0, expired: 0, done: true };
    const now = this.#now();
    const byShard = await this.#partsByShard();
    const isOver = (day: string) => isDayOver(day, now, marginMs);
    for (const [shard, parts] of byShard) {
      if (!this.#mayNeedCompaction(parts, isOver)) continue;
      if (!keepGoing()) return { ...report, done: false };
      await this.#compactShard(shard, parts, isOver, report);
    }
    this.#listing = null;
    return report;
  }

  /** Deletes every part of the days past `retentionMs` (0: keeps everything), then their map entries. */
  async expire(retentionMs: number, keepGoing: KeepGoing = () => true): Promise<MaintenanceReport> {
    const report: MaintenanceReport = { merged: 0, written: 0, expired: 0, done: true };
    if (retentionMs <= 0) return report;
    const now = this.#now();
    const byShard = await this.#partsByShard();
    for (let s = 0; s < this.#options.shards; s++) {
      const shard = String(s).padStart(4, '0');
      const parts = byShard.get(shard) ?? [];
      const map = await this.#daysMap(shard);
      const old = Object.keys(map.compacted).filter((day) => isExpired(day, now, retentionMs));
      const doomed = parts.filter((part) => isExpired(part.day, now, retentionMs));
      if (old.length === 0 && doomed.length === 0) continue;
      if (!keepGoing()) return { ...report, done: false };
      // The map first: readers stop looking there; what a crash leaves behind the next listing finds.
      if (old.length > 0) {
        const compacted = Object.fromEntries(Object.entries(map.compacted).filter(([day]) => !old.includes(day)));
        await this.#putDaysMap(shard, { compacted });
      }
      const names = new Set([...doomed.map(partNameOf), ...old.flatMap((day) => map.compacted[day]?.parts ?? [])]);
      for (const name of names) if (await this.#deletePart(name)) report.expired++;
    }
    this.#listing = null;
    return report;
  }

  async #writeFlushParts(
    shard: string,
    day: string,
    from: number,
    histories: readonly ArchivedHistory[],
  ): Promise<Map<string, string>> {
    // A replay finds the parts its crashed first try wrote: keep what they hold (jobs that took
    // JobArchived before the crash are not in the replayed batch), replace the same jobs.
    const existing: Uint8Array[] = [];
    for (let n = 0; ; n++) {
      const data = await this.#blobs.get(flushPartName(shard, day, from, n));
      if (data === null) break;
      existing.push(data);
    }
    const lines = new Map(existing.flatMap((data) => Segment.decode(data).entries()));
    const fresh = new Segment();
    for (const history of histories) fresh.put(history);
    for (const [key, line] of fresh.entries()) lines.set(key, line);
    const groups = splitBySize([...lines], ([, line]) => line.length, this.#options.maxPartBytes);
    const refs = new Map<string, string>();
    for (const [n, group] of groups.entries()) {
      const name = flushPartName(shard, day, from, n);
      await this.#putPart(name, Segment.of(group).encode());
      for (const [key] of group) refs.set(key, name);
    }
    for (let n = groups.length; n < existing.length; n++) await this.#deletePart(flushPartName(shard, day, from, n));
    return refs;
  }

  /**
   * Whether the listing alone rules compaction out for a shard (most shards, most passes), sparing
   * the read of its days map: no day over with parts to merge, no day going on with enough flush parts.
   */
  #mayNeedCompaction(parts: readonly PartName[], isOver: (day: string) => boolean): boolean {
    const counts = new Map<string, { flush: number; compacted: number }>();
    for (const part of parts) {
      const count = counts.get(part.day) ?? { flush: 0, compacted: 0 };
      count[part.kind]++;
      counts.set(part.day, count);
    }
    return [...counts].some(([day, { flush, compacted }]) =>
      isOver(day) ? flush > 0 || compacted > 1 : flush >= this.#options.compactAtParts,
    );
  }

  async #compactShard(
    shard: string,
    parts: readonly PartName[],
    isOver: (day: string) => boolean,
    report: MaintenanceReport,
  ): Promise<void> {
    const map = await this.#daysMap(shard);
    const compacted: Record<string, CompactedDay> = { ...map.compacted };
    const byDay = new Map<string, PartName[]>();
    for (const part of parts) {
      const list = byDay.get(part.day) ?? [];
      list.push(part);
      byDay.set(part.day, list);
    }
    const doomed: string[] = [];
    let changed = false;
    for (const [day, list] of byDay) {
      const done = compacted[day] ?? { parts: [], generation: 0, upTo: -1 };
      const flush = list.filter((part) => part.kind === 'flush').sort(compareParts);
      // Compacted parts the map does not name: a pass that crashed before writing the map, or after
      // it but before deleting what the map no longer names. Unseen by readers.
      const orphans = list
        .filter((part) => part.kind === 'compacted' && !done.parts.includes(partNameOf(part)))
        .map(partNameOf);
      // Flush parts up to `upTo` are held by compacted parts already (a crash before their deletion).
      doomed.push(...flush.filter((part) => part.from <= done.upTo).map(partNameOf));
      const pending = flush.filter((part) => part.from > done.upTo);
      const over = isOver(day);
      const seal = over && done.sealed !== true;
      const merge = seal
        ? pending.length > 0 || done.parts.length > 1
        : pending.length >= (over ? 1 : this.#options.compactAtParts);
      if (!merge) {
        doomed.push(...orphans);
        if (seal) {
          compacted[day] = { ...done, sealed: true };
          changed = true;
        }
        continue;
      }
      const generation = done.generation + 1;
      const replaced = [...(seal ? done.parts : []), ...pending.map(partNameOf)];
      const written = await this.#mergeInto(shard, day, generation, replaced);
      doomed.push(...orphans.filter((name) => !written.includes(name)), ...replaced);
      compacted[day] = {
        parts: seal ? written : [...done.parts, ...written],
        generation,
        upTo: Math.max(done.upTo, ...pending.map((part) => part.from)),
        sealed: done.sealed === true || over,
      };
      report.merged += pending.length;
      report.written += written.length;
      changed = true;
    }
    if (changed) await this.#putDaysMap(shard, { compacted });
    for (const name of doomed) await this.#deletePart(name);
  }

  /** Writes the histories of the named parts (oldest first, each job once) as compacted parts; their names. */
  async #mergeInto(shard: string, day: string, generation: number, parts: readonly string[]): Promise<string[]> {
    const names: string[] = [];
    const seen = new Set<string>();
    let current: [string, Uint8Array][] = [];
    let bytes = 0;
    const close = async () => {
      const name = compactedPartName(shard, day, generation, names.length);
      await this.#putPart(name, Segment.of(current).encode());
      names.push(name);
      current = [];
      bytes = 0;
    };
    // Streamed: at most one part's worth of lines is held, whatever the day's size.
    for (const part of parts) {
      for (const [key, line] of Segment.decode(await this.#blobs.get(part)).entries()) {
        if (seen.has(key)) continue;
        seen.add(key);
        if (current.length > 0 && bytes >= this.#options.maxPartBytes) await close();
        current.push([key, line]);
        bytes += line.length;
      }
    }
    if (current.length > 0) await close();
    return names;
  }

  /**
   * Forgets what this writer knows of the archive's parts: the next compaction lists the store. Called
   * when the archiver (re)takes its lease (another writer may have written meanwhile).
   */
  forgetParts(): void {
    this.#index = null;
  }

  /**
   * The archive's parts as the writer knows them: listed once, then kept up to date by its own writes
   * and deletes, so compaction does not list the store every pass (on JetStream a listing makes the
   * server walk the whole archive stream's blocks).
   */
  async #writerIndex(): Promise<Map<string, PartName>> {
    if (this.#index === null) {
      const index = new Map((await this.#allParts()).map((part) => [partNameOf(part), part] as const));
      this.#index ??= index;
    }
    return this.#index;
  }

  async #putPart(name: string, data: Uint8Array): Promise<void> {
    try {
      await this.#blobs.put(name, data);
    } catch (error) {
      this.#index = null; // it may or may not have landed
      throw error;
    }
    const part = parsePartName(name);
    if (part !== null) this.#index?.set(name, part);
  }

  async #deletePart(name: string): Promise<boolean> {
    try {
      const deleted = await this.#blobs.delete(name);
      this.#index?.delete(name);
      return deleted;
    } catch (error) {
      this.#index = null;
      throw error;
    }
  }

  /** Every part in the archive, from a listing. */
  async #allParts(): Promise<PartName[]> {
    return (await this.#blobs.list('jobs/')).map(parsePartName).filter((part) => part !== null);
  }

  #listingIsFresh(): boolean {
    return this.#listing !== null && this.#now() - this.#listing.at < this.#options.listCacheMs;
  }

  async #flushParts(fresh: boolean): Promise<PartName[]> {
    if (fresh || !this.#listingIsFresh()) {
      const parts = this.#allParts().then((all) => all.filter((part) => part.kind === 'flush'));
      this.#listing = { at: this.#now(), parts };
      parts.catch(() => {
        if (this.#listing?.parts === parts) this.#listing = null;
      });
    }
    return (this.#listing as { parts: Promise<PartName[]> }).parts;
  }

  async #daysMap(shard: string): Promise<DaysMap> {
    const data = await this.#blobs.get(daysMapName(shard));
    if (data === null) return { compacted: {} };
    // The first format's map (`days`: part counts) named rewritten parts; they list as flush parts.
    const parsed = JSON.parse(decoder.decode(data)) as Partial<DaysMap>;
    return { compacted: parsed.compacted ?? {} };
  }

  async #putDaysMap(shard: string, map: DaysMap): Promise<void> {
    await this.#blobs.put(daysMapName(shard), encoder.encode(JSON.stringify(map)));
  }
}

function partNameOf(part: PartName): string {
  return part.kind === 'flush'
    ? flushPartName(part.shard, part.day, part.from, part.n)
    : compactedPartName(part.shard, part.day, part.generation, part.n);
}

/** Flush parts in write order. */
function compareParts(a: PartName, b: PartName): number {
  const [fa, fb] = [a.kind === 'flush' ? a.from : 0, b.kind === 'flush' ? b.from : 0];
  return fa - fb || a.n - b.n;
}

/** The UTC day the job was created (its keys carry `created_at`; a snapshot's too). */
function dayOf(history: ArchivedHistory): string {
  const first = history.events[0];
  const keys = (first?.data as { keys?: { created_at?: unknown } } | undefined)?.keys;
  return dayOfTime(typeof keys?.created_at === 'number' ? keys.created_at : Date.parse(first?.time ?? ''));
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}/;

/** The days of a shard to look in for `jobId`, most likely first. */
function searchOrder(jobId: string, days: readonly string[]): string[] {
  const made = ulidTime(jobId);
  if (made !== null && jobId.length === 26) {
    const near = [made, made - DAY_MS, made + DAY_MS].map(dayOfTime);
    return near.filter((day) => days.includes(day));
  }
  const order = [...days].sort().reverse();
  if (made === null) return order;
  const day = dayOfTime(made);
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

/** `task` over `items` with at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) await task(items[i] as T);
  });
  await Promise.all(workers);
}
