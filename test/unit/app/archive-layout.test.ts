/**
 * The archive's layout (docs/retention.md) as properties: part names say what they were made from
 * and sort in write order, the split of a flush into parts is lossless and size-bounded, and days
 * become over, or expired, once and for good.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactedPartName,
  DAY_MS,
  dayOfTime,
  flushPartName,
  isDayOver,
  isExpired,
  parsePartName,
  splitBySize,
} from '../../../src/app/jobs/archive-layout.ts';
import { checkBlobName } from '../../../src/app/ports.ts';

const shard = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));
const day = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2199, 11, 31) }).map(dayOfTime);
const position = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const index = fc.integer({ min: 0, max: 10_000 });

describe('archive part names', () => {
  it('a flush part name is a valid blob name and parses back to what made it', () => {
    fc.assert(
      fc.property(shard, day, position, index, (s, d, from, n) => {
        const name = flushPartName(s, d, from, n);
        checkBlobName(name);
        expect(parsePartName(name)).toEqual({ kind: 'flush', shard: s, day: d, from, n });
      }),
    );
  });

  it('a compacted part name is a valid blob name and parses back to what made it', () => {
    fc.assert(
      fc.property(shard, day, fc.integer({ min: 0, max: 9999 }), index, (s, d, generation, n) => {
        const name = compactedPartName(s, d, generation, n);
        checkBlobName(name);
        expect(parsePartName(name)).toEqual({ kind: 'compacted', shard: s, day: d, generation, n });
      }),
    );
  });

  it('flush parts of a shard and day sort by the position their flush started at', () => {
    fc.assert(
      fc.property(shard, day, position, position, (s, d, a, b) => {
        fc.pre(a !== b);
        const [x, y] = [flushPartName(s, d, a, 0), flushPartName(s, d, b, 0)];
        expect(x < y).toBe(a < b);
      }),
    );
  });

  it('names that are no part parse to null; parts of the first format read as flush parts from 0', () => {
    for (const name of [
      'jobs/0001/days',
      'jobs/0001/2026-12-06',
      'other/0001/2026-12-06/f1-0',
      'jobs/x/2026-12-06/0',
    ]) {
      expect(parsePartName(name), name).toBeNull();
    }
    expect(parsePartName('jobs/0007/2026-12-06/3')).toEqual({
      kind: 'flush',
      shard: '0007',
      day: '2026-12-06',
      from: 0,
      n: 3,
    });
  });
});

describe('splitting histories into parts', () => {
  const sizes = fc.array(fc.integer({ min: 1, max: 5_000 }), { maxLength: 200 });
  const limit = fc.integer({ min: 1, max: 20_000 });
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

  it('loses nothing, keeps the order, and closes a part only once it reached the limit', () => {
    fc.assert(
      fc.property(sizes, limit, (items, max) => {
        const groups = splitBySize(items, (x) => x, max);
        expect(groups.flat()).toEqual(items);
        for (const group of groups) {
          expect(group.length).toBeGreaterThan(0);
          // Below the limit until its last item: no part exceeds it by more than one item.
          expect(sum(group.slice(0, -1))).toBeLessThan(max);
        }
        for (const group of groups.slice(0, -1)) expect(sum(group)).toBeGreaterThanOrEqual(max);
      }),
    );
  });

  it('is deterministic, and a longer batch keeps the first parts of a shorter one (a replay lands where the first try did)', () => {
    fc.assert(
      fc.property(sizes, sizes, limit, (items, more, max) => {
        const short = splitBySize(items, (x) => x, max);
        const long = splitBySize([...items, ...more], (x) => x, max);
        expect(splitBySize(items, (x) => x, max)).toEqual(short);
        expect(long.slice(0, Math.max(0, short.length - 1))).toEqual(short.slice(0, -1));
      }),
    );
  });
});

describe('days over and expired', () => {
  const now = fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2199, 0, 1) });
  const margin = fc.integer({ min: 0, max: 10 * DAY_MS });

  it('a day is over from its end plus the margin on, never before, and stays over', () => {
    fc.assert(
      fc.property(day, now, margin, fc.integer({ min: 0, max: 1e10 }), (d, t, m, later) => {
        const end = Date.parse(`${d}T00:00:00Z`) + DAY_MS;
        expect(isDayOver(d, t, m)).toBe(t >= end + m);
        if (isDayOver(d, t, m)) expect(isDayOver(d, t + later, m)).toBe(true);
        // Today is never over.
        expect(isDayOver(dayOfTime(t), t, m)).toBe(false);
      }),
    );
  });

  it('retention 0 keeps every day; otherwise a day expires once all of it is older than the retention', () => {
    fc.assert(
      fc.property(day, now, fc.integer({ min: 1, max: 400 }), (d, t, days) => {
        expect(isExpired(d, t, 0)).toBe(false);
        const retention = days * DAY_MS;
        expect(isExpired(d, t, retention)).toBe(Date.parse(`${d}T00:00:00Z`) + DAY_MS + retention <= t);
        expect(isExpired(dayOfTime(t - retention + 1), t, retention)).toBe(false);
      }),
    );
  });
});
