/**
 * Where the archive keeps what (docs/retention.md), as pure functions: the names of its objects, the
 * split of histories into parts of bounded size, and which days compaction and retention may touch.
 *
 *   `jobs/<shard>/<day>/f<from>-<n>`  a flush part: written once by the flush that started at stream
 *                                     position `from` (unique per flush, and the same when a crashed
 *                                     flush is replayed, so the replay finds its own parts); `n`
 *                                     numbers the parts of one flush when it exceeds the size limit;
 *   `jobs/<shard>/<day>/c<gen>-<n>`   a compacted part: a finished day's flush parts merged, once;
 *   `jobs/<shard>/days`               the shard's compacted days (written by compaction and
 *                                     retention, never by a flush).
 * Parts of the first format (`jobs/<shard>/<day>/<n>`, rewritten in place) read as flush parts from 0.
 */

export const DAY_MS = 86_400_000;
const POSITION_DIGITS = 16;
const GENERATION_DIGITS = 4;

export type PartName =
  | { readonly kind: 'flush'; readonly shard: string; readonly day: string; readonly from: number; readonly n: number }
  | {
      readonly kind: 'compacted';
      readonly shard: string;
      readonly day: string;
      readonly generation: number;
      readonly n: number;
    };

export function flushPartName(shard: string, day: string, from: number, n: number): string {
  return `jobs/${shard}/${day}/f${String(from).padStart(POSITION_DIGITS, '0')}-${n}`;
}

export function compactedPartName(shard: string, day: string, generation: number, n: number): string {
  return `jobs/${shard}/${day}/c${String(generation).padStart(GENERATION_DIGITS, '0')}-${n}`;
}

export function daysMapName(shard: string): string {
  return `jobs/${shard}/days`;
}

export function shardPrefix(shard: string): string {
  return `jobs/${shard}/`;
}

const PART = /^jobs\/([0-9]+)\/(\d{4}-\d{2}-\d{2})\/(?:f(\d+)-(\d+)|c(\d+)-(\d+)|(\d+))$/;

/** What an object name says, or null for a name that is no part (a days map, something else). */
export function parsePartName(name: string): PartName | null {
  const match = PART.exec(name);
  if (match === null) return null;
  const [, shard = '', day = '', from, flushN, generation, compactedN, legacyN] = match;
  if (from !== undefined) return { kind: 'flush', shard, day, from: Number(from), n: Number(flushN) };
  if (generation !== undefined) {
    return { kind: 'compacted', shard, day, generation: Number(generation), n: Number(compactedN) };
  }
  return { kind: 'flush', shard, day, from: 0, n: Number(legacyN) };
}

/**
 * Splits items (in order) into consecutive groups, each closed once it reaches `maxBytes` (a group
 * holds at least one item, so an item larger than the limit is a group of its own). The same items in
 * the same order always give the same groups: a replayed write lands where the first one did.
 */
export function splitBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && bytes >= maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += sizeOf(item);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The UTC day (`YYYY-MM-DD`) of a time. */
export function dayOfTime(ms: number): string {
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString().slice(0, 10);
}

/** A day is over for compaction once it ended `marginMs` ago (late flushes to it start a new generation). */
export function isDayOver(day: string, now: number, marginMs: number): boolean {
  return Date.parse(`${day}T00:00:00Z`) + DAY_MS + marginMs <= now;
}

/**
 * True when a day's parts are past the archive retention (`retentionMs` > 0): the whole day is older
 * than that. 0 keeps everything.
 */
export function isExpired(day: string, now: number, retentionMs: number): boolean {
  return retentionMs > 0 && Date.parse(`${day}T00:00:00Z`) + DAY_MS + retentionMs <= now;
}
