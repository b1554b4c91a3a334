/**
 * One page of an aggregate's history, oldest first (`GET .../events` of jobs and runs): read from the
 * event store (authoritative), the cursor being the position of the last event of the previous page.
 * An aggregate with no events at all is `notFound`. Jobs read their whole history first (`historyPageOf`),
 * since it may continue from the archive.
 */
import type { EventStore } from '../app/ports.ts';
import { ValidationError } from '../domain/shared/errors.ts';
import type { StoredEvent } from '../domain/shared/events.ts';
import type { StreamId } from '../domain/shared/stream.ts';
import { eventView } from './views/job.ts';

const CURSOR = /^(0|[1-9][0-9]{0,15})$/;

/** One page of a history already read whole (a job's: the stream and the archive). */
export function historyPageOf(
  events: readonly StoredEvent[],
  query: { readonly cursor?: string; readonly limit?: number },
  notFound: () => Error,
): { items: ReturnType<typeof eventView>[]; next_cursor: string | null } {
  const cursor = query.cursor;
  if (cursor !== undefined && !CURSOR.test(cursor)) {
    throw new ValidationError('cursor', 'cursor is not one this API returned', 'invalid_cursor');
  }
  if (events.length === 0 && cursor === undefined) throw notFound();
  const after = cursor === undefined ? 0 : Number(cursor);
  const rest = events.filter((event) => event.position > after);
  const limit = query.limit ?? 500;
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(eventView),
    next_cursor: rest.length > limit && last !== undefined ? String(last.position) : null,
  };
}

export async function historyPage(
  events: EventStore,
  stream: StreamId,
  query: { readonly cursor?: string; readonly limit?: number },
  notFound: () => Error,
): Promise<{ items: ReturnType<typeof eventView>[]; next_cursor: string | null }> {
  const cursor = query.cursor;
  if (cursor !== undefined && !CURSOR.test(cursor)) {
    throw new ValidationError('cursor', 'cursor is not one this API returned', 'invalid_cursor');
  }
  const limit = query.limit ?? 500;
  const history = await events.read(stream, { from: (cursor === undefined ? 0 : Number(cursor)) + 1 });
  if (history.events.length === 0 && cursor === undefined) throw notFound();
  const items = history.events.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(eventView),
    next_cursor: history.events.length > limit && last !== undefined ? String(last.position) : null,
  };
}
