/**
 * One page of a read model's list (SPEC 1.11): one range read on the index that serves the filter,
 * newest first, then the documents in one pipelined read. `limit + 1` items are read so that
 * `next_cursor` is null exactly on the last page; the cursor is the last item's (score, member).
 */
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { ReadModelNamespace } from './projection.ts';
import type { ReadModelReader } from './reader.ts';

export interface Page<T> {
  readonly items: T[];
  readonly next_cursor: string | null;
}

export interface PageQuery {
  /** Inclusive score range (times in ms). */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export async function readPage<T>(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  index: string,
  query: PageQuery,
  docKeyOf: (member: string) => string,
  toItem: (doc: Record<string, string>) => T,
): Promise<Page<T>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const found = await reader.range(ns, index, {
    order: 'desc',
    limit: query.limit + 1,
    ...(query.from === undefined ? {} : { min: query.from }),
    ...(query.to === undefined ? {} : { max: query.to }),
    ...(after === undefined ? {} : { after }),
  });
  const page = found.slice(0, query.limit);
  const docs = await reader.hgetallMany(
    ns,
    page.map((item) => docKeyOf(item.member)),
  );
  // A document gone between the two reads (archived) is left out rather than shown half.
  const items = docs.flatMap((doc) => (doc === null ? [] : [toItem(doc)]));
  const last = page.at(-1);
  return { items, next_cursor: found.length > query.limit && last !== undefined ? encodeCursor(last) : null };
}

/** Reads a hash field as text, with '' (how absent values are written) as null. */
export function textOf(doc: Record<string, string>, field: string): string | null {
  const value = doc[field];
  return value === undefined || value === '' ? null : value;
}

export function numberOf(doc: Record<string, string>, field: string): number | null {
  const value = textOf(doc, field);
  return value === null ? null : Number(value);
}
