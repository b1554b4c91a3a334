/**
 * The event model (ARCHITECTURE.md section 3). A decider returns `DomainEvent`s; the event store wraps
 * each in an envelope and gives it its position, the sequence of the aggregate type's stream.
 */
import type { AggregateType } from './stream.ts';
import { isAggregateType } from './stream.ts';

export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

export interface EventEnvelope<E extends DomainEvent = DomainEvent> {
  /** Unique: hash(stream id, expected position, type, data); also the `Nats-Msg-Id`. */
  readonly id: string;
  readonly type: E['type'];
  readonly schema_version: number;
  /** `formatStreamId` of the aggregate, e.g. `job:acme:01J...`. */
  readonly stream_id: string;
  /** ISO 8601, when the decision was made. */
  readonly time: string;
  readonly trace_id: string | null;
  readonly causation_id: string | null;
  readonly correlation_id: string | null;
  /** Who caused it: `api:<key id>`, `scheduler`, `reconciler`, `worker:<id>`, ... */
  readonly actor: string;
  readonly tenant: string;
  /**
   * Where a load starts: the position of the aggregate's latest snapshot event, else of its first
   * event. `0` means "this event itself" (a first event or a snapshot cannot know its own position).
   */
  readonly first_position: number;
  readonly data: E['data'];
}

export interface StoredEvent<E extends DomainEvent = DomainEvent> extends EventEnvelope<E> {
  /** The stream sequence of this event: its position. */
  readonly position: number;
}

/** Where a load of the aggregate whose last event is `last` starts. */
export function loadStartOf(last: StoredEvent): number {
  return last.first_position === 0 ? last.position : last.first_position;
}

/** A client-visible position: `<stream>:<sequence>`, e.g. `job:1234`. */
export interface PositionToken {
  readonly stream: AggregateType;
  readonly position: number;
}

export function formatPositionToken(token: PositionToken): string {
  return `${token.stream}:${token.position}`;
}

export function parsePositionToken(text: string): PositionToken | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const stream = text.slice(0, colon);
  const digits = text.slice(colon + 1);
  if (!isAggregateType(stream) || !/^(0|[1-9][0-9]{0,15})$/.test(digits)) return null;
  return { stream, position: Number(digits) };
}
