/**
 * The subject layout (ARCHITECTURE.md sections 3 and 6), all under a configurable prefix so several
 * installations or test runs share one server. Event subjects carry the partition and the stream
 * token; job subjects also carry the kind (`a` ad hoc, `w` workflow step).
 */

import type { StreamFilter } from '../../app/ports.ts';
import type { AggregateType, StreamId } from '../../domain/shared/stream.ts';
import { jobKindOf, partitionOf, streamToken } from '../../domain/shared/stream.ts';

export const PREFIX_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export function eventStreamName(prefix: string, type: AggregateType): string {
  return `${prefix}_${type}`.toUpperCase();
}

export function eventSubject(prefix: string, stream: StreamId, partitions: number): string {
  const p = partitionOf(stream, partitions);
  const token = streamToken(stream);
  return stream.type === 'job'
    ? `${prefix}.job.${jobKindOf(stream.id)}.${p}.${token}`
    : `${prefix}.${stream.type}.${p}.${token}`;
}

/** The subject filter for a slice of one aggregate type's stream (`null`: the whole stream). */
export function eventFilterSubject(prefix: string, type: AggregateType, filter: StreamFilter): string | null {
  if (filter.partition === undefined && filter.kind === undefined) return null;
  const p = filter.partition === undefined ? '*' : String(filter.partition);
  return type === 'job' ? `${prefix}.job.${filter.kind ?? '*'}.${p}.*` : `${prefix}.${type}.${p}.*`;
}

export function kvBucketName(prefix: string, name: string): string {
  return `${prefix}_${name}`;
}
