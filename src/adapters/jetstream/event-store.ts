/**
 * The event store on NATS JetStream (ARCHITECTURE.md section 3).
 *
 * Append publishes one event with `Nats-Expected-Last-Subject-Sequence` (the aggregate's last position)
 * and a deterministic `Nats-Msg-Id`; many appends may be in flight at once. Load is a direct get of the
 * aggregate's last event, then direct `next_by_subj` gets (direct-get.ts) from where its history
 * starts (the latest snapshot or first event), switching to an ordered consumer for long histories: a
 * filtered consumer from the stream start would walk every block on 2.9. Subscriptions share one
 * reader of the stream per process (stream-tap.ts).
 */
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type DirectMessage, directGet } from '../../nats/direct-get.ts';
import { NoRespondersError, Requests, RequestTimeoutError } from '../../nats/requests.ts';
import { publishToStream, StreamPublishError, WRONG_LAST_SEQUENCE } from '../../nats/stream-publish.ts';
import type {
  AggregateHistory,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../../app/ports.ts';
import type { Logger } from '../../app/ports.ts';
import { ConcurrencyError, UnavailableError } from '../../domain/shared/errors.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { loadStartOf } from '../../domain/shared/events.ts';
import type { AggregateType, StreamId } from '../../domain/shared/stream.ts';
import { encodeEvent } from '../envelope.ts';
import { startPump } from '../subscription-pump.ts';
import { type EventStreamSettings, ensureEventStreams } from './event-streams.ts';
import { decodeEvent, openOrdered } from './ordered-reader.ts';
import { StreamTap } from './stream-tap.ts';
import { eventFilterSubject, eventStreamName, eventSubject } from './subjects.ts';

/** Direct gets before a long history switches to an ordered consumer. */
const DIRECT_LOAD_STEPS = 16;
/** How long an append waits for the stream's acknowledgement (then the caller retries; the id dedupes). */
const APPEND_ACK_TIMEOUT_MS = 5000;

export type JetStreamEventStoreSettings = EventStreamSettings;

export class JetStreamEventStore implements EventStore {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #requests: Requests;
  readonly #settings: JetStreamEventStoreSettings;
  readonly #subscriptions = new Set<Subscription>();
  readonly #taps = new Map<AggregateType, StreamTap>();

  private constructor(
    js: JetStreamClient,
    jsm: JetStreamManager,
    requests: Requests,
    settings: JetStreamEventStoreSettings,
  ) {
    this.#js = js;
    this.#requests = requests;
    this.#jsm = jsm;
    this.#settings = settings;
  }

  /** `log` hears of stream limits this process's settings changed. */
  static async open(
    nc: NatsConnection,
    settings: JetStreamEventStoreSettings,
    log: Logger | null = null,
  ): Promise<JetStreamEventStore> {
    const jsm = await jetstreamManager(nc);
    await ensureEventStreams(nc, jsm, settings, log);
    return new JetStreamEventStore(jetstream(nc), jsm, Requests.of(nc), settings);
  }

  async append(stream: StreamId, toAppend: EventToAppend, options: AppendOptions): Promise<AppendResult> {
    const { envelope, json } = encodeEvent(stream, toAppend, options, false);
    try {
      const ack = await publishToStream(this.#requests, this.#subject(stream), json, {
        msgId: envelope.id,
        expectedLastSubjectSequence: options.expectedPosition,
        timeoutMs: APPEND_ACK_TIMEOUT_MS,
      });
      return { position: ack.seq, duplicate: ack.duplicate, event: { ...envelope, position: ack.seq } };
    } catch (error) {
      if (error instanceof StreamPublishError && error.code === WRONG_LAST_SEQUENCE) {
        throw new ConcurrencyError(envelope.stream_id, options.expectedPosition, { cause: error });
      }
      if (error instanceof RequestTimeoutError || error instanceof NoRespondersError) {
        // No acknowledgement (a NATS node lost mid-request, the stream's node down): the event may or
        // may not be stored. A 503, so clients retry — with their Idempotency-Key, which finds the job
        // if it was — rather than a 500 that reads as a bug.
        throw new UnavailableError(
          `the event store did not acknowledge the append to ${envelope.stream_id}; it may or may not be stored`,
          'event_store_unavailable',
          1_000,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async read(stream: StreamId, options: { readonly from?: number } = {}): Promise<AggregateHistory> {
    const name = this.#streamName(stream.type);
    const subject = this.#subject(stream);
    const lastMsg = await directGet(this.#requests, name, { last_by_subj: subject });
    if (lastMsg === null) return { events: [], lastPosition: 0, firstPosition: 0 };
    const last = decodeStored(lastMsg);
    const firstPosition = loadStartOf(last);
    const start = options.from ?? firstPosition;
    if (start > last.position) return { events: [], lastPosition: last.position, firstPosition };
    if (start === last.position) return { events: [last], lastPosition: last.position, firstPosition };

    const events: StoredEvent[] = [];
    let seq = start;
    for (let step = 0; step < DIRECT_LOAD_STEPS; step++) {
      const msg = await directGet(this.#requests, name, { seq, next_by_subj: subject });
      if (msg === null || msg.seq >= last.position) {
        events.push(last);
        return { events, lastPosition: last.position, firstPosition };
      }
      events.push(decodeStored(msg));
      seq = msg.seq + 1;
    }
    // A long history: stream the rest through an ordered consumer.
    const messages = await openOrdered(this.#js, name, subject, seq, 256);
    try {
      for await (const m of messages) {
        if (m.seq >= last.position) break;
        events.push(decodeEvent(m.data, m.seq));
      }
    } finally {
      messages.stop();
    }
    events.push(last);
    return { events, lastPosition: last.position, firstPosition };
  }

  async lastPosition(stream: StreamId): Promise<number> {
    const msg = await directGet(this.#requests, this.#streamName(stream.type), {
      last_by_subj: this.#subject(stream),
    });
    return msg?.seq ?? 0;
  }

  async readAll(type: AggregateType, options: ReadAllOptions): Promise<StoredEvent[]> {
    if (options.limit <= 0) return [];
    const name = this.#streamName(type);
    const filter = eventFilterSubject(this.#settings.prefix, type, options);
    const from = Math.max(1, options.from);
    // One direct get finds the first match (or that there is none) without creating a consumer.
    const first = await directGet(this.#requests, name, {
      seq: from,
      next_by_subj: filter ?? `${this.#settings.prefix}.${type}.>`,
    });
    if (first === null) return [];
    if (options.limit === 1) return [decodeStored(first)];
    const out: StoredEvent[] = [];
    const messages = await openOrdered(this.#js, name, filter, first.seq, Math.min(options.limit, 1024));
    try {
      for await (const m of messages) {
        out.push(decodeEvent(m.data, m.seq));
        // `pending` counts the matching messages after this one when it was delivered.
        if (out.length >= options.limit || m.info.pending === 0) break;
      }
    } finally {
      messages.stop();
    }
    return out;
  }

  subscribe(
    type: AggregateType,
    options: SubscribeOptions,
    handler: (batch: readonly StoredEvent[]) => Promise<void>,
  ): Subscription {
    const filter = eventFilterSubject(this.#settings.prefix, type, options);
    const maxBatch = options.maxBatch ?? 256;
    const source = this.#tap(type).source(filter, maxBatch);
    const subscription = startPump(source, Math.max(1, options.from), maxBatch, handler, options.onError ?? noop, () =>
      source.stop(),
    );
    this.#subscriptions.add(subscription);
    return {
      get nextPosition() {
        return subscription.nextPosition;
      },
      stop: async () => {
        this.#subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async headPosition(type: AggregateType): Promise<number> {
    const info = await this.#jsm.streams.info(this.#streamName(type));
    return info.state.last_seq;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    for (const tap of this.#taps.values()) tap.stop();
  }

  /** The stream's one reader in this process, shared by its subscriptions (see stream-tap.ts). */
  #tap(type: AggregateType): StreamTap {
    let tap = this.#taps.get(type);
    if (tap === undefined) {
      tap = new StreamTap(this.#js, this.#jsm, this.#streamName(type));
      this.#taps.set(type, tap);
    }
    return tap;
  }

  #subject(stream: StreamId): string {
    return eventSubject(this.#settings.prefix, stream, this.#settings.partitions);
  }

  #streamName(type: AggregateType): string {
    return eventStreamName(this.#settings.prefix, type);
  }
}

function decodeStored(msg: DirectMessage): StoredEvent {
  return decodeEvent(msg.data, msg.seq);
}

function noop(): void {}
