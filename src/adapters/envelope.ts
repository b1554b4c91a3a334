/**
 * Building an event's envelope once, for both event stores: the data is serialised a single time and
 * that text is used for the event id, the stored bytes and the returned copy.
 */
import type { AppendOptions, EventToAppend } from '../app/ports.ts';
import type { EventEnvelope } from '../domain/shared/events.ts';
import type { StreamId } from '../domain/shared/stream.ts';
import { formatStreamId } from '../domain/shared/stream.ts';
import { eventId } from './event-id.ts';

export interface EncodedEvent {
  readonly envelope: EventEnvelope;
  /** The envelope as JSON, as it is stored. */
  readonly json: string;
}

/**
 * `copy`: the returned envelope gets its own copy of the data (the embedded store keeps it in memory,
 * where a caller's later change must not reach history). A store that keeps only the JSON passes false
 * and the envelope holds the caller's data itself (events are immutable by convention).
 */
export function encodeEvent(
  stream: StreamId,
  toAppend: EventToAppend,
  options: AppendOptions,
  copy = true,
): EncodedEvent {
  const sid = formatStreamId(stream);
  const dataJson = JSON.stringify(toAppend.data) ?? 'null';
  const head = {
    id: eventId(sid, options.expectedPosition, toAppend.type, dataJson),
    type: toAppend.type,
    schema_version: toAppend.schema_version ?? 1,
    stream_id: sid,
    time: toAppend.time,
    trace_id: toAppend.trace_id ?? null,
    causation_id: toAppend.causation_id ?? null,
    correlation_id: toAppend.correlation_id ?? null,
    actor: toAppend.actor,
    tenant: stream.tenant,
    first_position: options.firstPosition,
  };
  const json = `${JSON.stringify(head).slice(0, -1)},"data":${dataJson}}`;
  return { envelope: { ...head, data: copy ? (JSON.parse(dataJson) as unknown) : toAppend.data }, json };
}
