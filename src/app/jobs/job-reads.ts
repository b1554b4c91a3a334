/**
 * Reading one job by id (`GET /api/v1/jobs/{id}` and `.../events`): the job stream first, the archive
 * when the stream no longer holds the job's history from its start (docs/retention.md). A job whose
 * events are all still in the stream costs no archive read; one whose early events aged out is read
 * from its archived history, followed by whatever the stream still has after it (`JobArchived`).
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { StreamId } from '../../domain/shared/stream.ts';
import type { EventStore } from '../ports.ts';
import type { JobArchive } from './job-archive.ts';

export interface JobHistoryRead {
  /** Oldest first. */
  readonly events: readonly StoredEvent[];
  /** The job's last position (0 when there is no such job). */
  readonly lastPosition: number;
  /** True when (part of) the history came from the archive. */
  readonly archived: boolean;
}

/** The events to fold the job's current state from: from its latest snapshot, or its first event. */
export async function readJobForState(
  events: EventStore,
  archive: JobArchive | null,
  stream: StreamId,
): Promise<JobHistoryRead> {
  const hot = await events.read(stream);
  const first = hot.events[0];
  // The load starts where the last event says: if the stream still has that event, it is whole.
  if (archive === null || (first !== undefined && first.position === hot.firstPosition)) {
    return { events: hot.events, lastPosition: hot.lastPosition, archived: false };
  }
  return withArchive(archive, stream, hot.events, hot.lastPosition);
}

/** Every event of the job from its very first one (`first_position` never hides events here). */
export async function readJobHistory(
  events: EventStore,
  archive: JobArchive | null,
  stream: StreamId,
): Promise<JobHistoryRead> {
  const hot = await events.read(stream, { from: 1 });
  const first = hot.events[0];
  if (archive === null || (first !== undefined && startsHistory(first))) {
    return { events: hot.events, lastPosition: hot.lastPosition, archived: false };
  }
  return withArchive(archive, stream, hot.events, hot.lastPosition);
}

/** The job's first event: it starts the history and is no snapshot. */
function startsHistory(event: StoredEvent): boolean {
  return event.first_position === 0 && event.type !== 'JobSnapshot';
}

async function withArchive(
  archive: JobArchive,
  stream: StreamId,
  hot: readonly StoredEvent[],
  hotLast: number,
): Promise<JobHistoryRead> {
  const last = hot.at(-1);
  const hint = last?.type === 'JobArchived' ? (last.data as { archive_ref: string }).archive_ref : null;
  const found = await archive.find(stream.tenant, stream.id, hint);
  if (found === null) return { events: hot, lastPosition: hotLast, archived: false };
  const archivedLast = found.events.at(-1)?.position ?? 0;
  const events = [...found.events, ...hot.filter((event) => event.position > archivedLast)];
  return { events, lastPosition: Math.max(hotLast, archivedLast), archived: true };
}
