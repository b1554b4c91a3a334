/**
 * The embedded event store: the same contract as the JetStream store, in process, persisted to one
 * append-only JSON-lines file per aggregate type and replayed on start.
 *
 * Appends are checked and positioned synchronously (so expectations serialize exactly as on one
 * JetStream stream) and acknowledged once their group is on disk. Subscriptions and `readAll` see only
 * durable events, so no reader acts on an event that a crash could still take back.
 */
import { join } from 'node:path';
import type {
  AggregateHistory,
  AppendOptions,
  AppendResult,
  Clock,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  StreamFilter,
  SubscribeOptions,
  Subscription,
} from '../../app/ports.ts';
import { systemClock } from '../../app/ports.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { loadStartOf } from '../../domain/shared/events.ts';
import type { AggregateType, JobKind, StreamId } from '../../domain/shared/stream.ts';
import { AGGREGATE_TYPES, formatStreamId, jobKindOf, parseStreamId, partitionOf } from '../../domain/shared/stream.ts';
import { encodeEvent } from '../envelope.ts';
import { startPump } from '../subscription-pump.ts';
import { type FsyncPolicy, JsonLinesFile } from './json-lines-file.ts';

export interface EmbeddedEventStoreOptions {
  /** Directory for the event files; null keeps everything in memory (nothing survives a restart). */
  readonly dataDir: string | null;
  readonly partitions: number;
  readonly fsync?: FsyncPolicy;
  readonly duplicateWindowMs?: number;
  readonly clock?: Clock;
}

interface Indexed {
  readonly event: StoredEvent;
  readonly partition: number;
  readonly kind: JobKind | null;
}

class StreamLog {
  readonly entries: Indexed[] = [];
  /** Durable up to this position: what readers may see. */
  committed = 0;
  readonly positionsByStream = new Map<string, number[]>();
  readonly positionsByPartition = new Map<number, number[]>();
  readonly recentIds = new Map<string, { position: number; at: number }>();
  readonly waiters = new Set<() => void>();
  file: JsonLinesFile | null = null;

  index(event: StoredEvent, partitions: number, type: AggregateType): void {
    const stream = parseStreamId(event.stream_id);
    if (stream === null || stream.type !== type) throw new Error(`bad stream id ${event.stream_id} in ${type} events`);
    const partition = partitionOf(stream, partitions);
    this.entries.push({ event, partition, kind: type === 'job' ? jobKindOf(stream.id) : null });
    push(this.positionsByStream, event.stream_id, event.position);
    push(this.positionsByPartition, partition, event.position);
  }

  commit(position: number): void {
    if (position <= this.committed) return;
    this.committed = position;
    for (const wake of [...this.waiters]) wake();
  }
}

export class EmbeddedEventStore implements EventStore {
  readonly #logs = new Map<AggregateType, StreamLog>();
  readonly #partitions: number;
  readonly #clock: Clock;
  readonly #duplicateWindowMs: number;

  private constructor(partitions: number, clock: Clock, duplicateWindowMs: number) {
    this.#partitions = partitions;
    this.#clock = clock;
    this.#duplicateWindowMs = duplicateWindowMs;
  }

  static async open(options: EmbeddedEventStoreOptions): Promise<EmbeddedEventStore> {
    const clock = options.clock ?? systemClock;
    const window = options.duplicateWindowMs ?? 30_000;
    const store = new EmbeddedEventStore(options.partitions, clock, window);
    for (const type of AGGREGATE_TYPES) {
      const log = new StreamLog();
      store.#logs.set(type, log);
      if (options.dataDir === null) continue;
      const opened = await JsonLinesFile.open<StoredEvent>(
        join(options.dataDir, 'events', `${type}.jsonl`),
        options.fsync ?? 'always',
      );
      log.file = opened.file;
      for (const event of opened.records) {
        if (event.position !== log.entries.length + 1) {
          throw new Error(`events/${type}.jsonl: position ${event.position} out of order`);
        }
        log.index(event, options.partitions, type);
        if (Date.parse(event.time) > clock.now() - window) {
          log.recentIds.set(event.id, { position: event.position, at: Date.parse(event.time) });
        }
      }
      log.commit(log.entries.length);
    }
    return store;
  }

  async append(stream: StreamId, toAppend: EventToAppend, options: AppendOptions): Promise<AppendResult> {
    const log = this.#log(stream.type);
    const { envelope } = encodeEvent(stream, toAppend, options);
    const now = this.#clock.now();
    const seen = log.recentIds.get(envelope.id);
    // As on nats-server 2.9, a duplicate id is answered before the expectation is checked.
    if (seen !== undefined && now - seen.at < this.#duplicateWindowMs) {
      const original = log.entries[seen.position - 1];
      if (original !== undefined) {
        await this.#untilCommitted(log, seen.position);
        return { position: seen.position, duplicate: true, event: original.event };
      }
    }
    const last = log.positionsByStream.get(envelope.stream_id)?.at(-1) ?? 0;
    if (last !== options.expectedPosition) throw new ConcurrencyError(envelope.stream_id, options.expectedPosition);
    const event: StoredEvent = { ...envelope, position: log.entries.length + 1 };
    log.index(event, this.#partitions, stream.type);
    log.recentIds.set(envelope.id, { position: event.position, at: now });
    this.#forgetOldIds(log, now);
    if (log.file !== null) await log.file.append(event);
    // Groups are written in order, so every earlier append is durable too.
    log.commit(event.position);
    return { position: event.position, duplicate: false, event };
  }

  async read(stream: StreamId, options: { readonly from?: number } = {}): Promise<AggregateHistory> {
    const log = this.#log(stream.type);
    const positions = log.positionsByStream.get(formatStreamId(stream)) ?? [];
    const lastPosition = positions.at(-1) ?? 0;
    if (lastPosition === 0) return { events: [], lastPosition: 0, firstPosition: 0 };
    const last = this.#event(log, lastPosition);
    const start = options.from ?? loadStartOf(last);
    const events = positions.slice(lowerBound(positions, start)).map((p) => this.#event(log, p));
    return { events, lastPosition, firstPosition: loadStartOf(last) };
  }

  async lastPosition(stream: StreamId): Promise<number> {
    return this.#log(stream.type).positionsByStream.get(formatStreamId(stream))?.at(-1) ?? 0;
  }

  async readAll(type: AggregateType, options: ReadAllOptions): Promise<StoredEvent[]> {
    return this.#collect(this.#log(type), options.from, options.limit, options);
  }

  subscribe(
    type: AggregateType,
    options: SubscribeOptions,
    handler: (batch: readonly StoredEvent[]) => Promise<void>,
  ): Subscription {
    const log = this.#log(type);
    const source = {
      next: async (from: number, max: number, stopped: AbortSignal) => {
        for (;;) {
          if (stopped.aborted) return [];
          const batch = this.#collect(log, from, max, options);
          if (batch.length > 0) return batch;
          // Nothing matching up to the committed head: wait for the next commit (or stop).
          await new Promise<void>((resolve) => {
            const wake = () => {
              log.waiters.delete(wake);
              stopped.removeEventListener('abort', wake);
              resolve();
            };
            log.waiters.add(wake);
            stopped.addEventListener('abort', wake, { once: true });
          });
        }
      },
    };
    return startPump(source, Math.max(1, options.from), options.maxBatch ?? 256, handler, options.onError ?? noop);
  }

  async headPosition(type: AggregateType): Promise<number> {
    return this.#log(type).committed;
  }

  async close(): Promise<void> {
    for (const log of this.#logs.values()) {
      for (const wake of [...log.waiters]) wake();
      await log.file?.close();
    }
  }

  #collect(log: StreamLog, from: number, limit: number, filter: StreamFilter): StoredEvent[] {
    const out: StoredEvent[] = [];
    const start = Math.max(1, from);
    if (filter.partition !== undefined) {
      const positions = log.positionsByPartition.get(filter.partition) ?? [];
      for (let i = lowerBound(positions, start); i < positions.length && out.length < limit; i++) {
        const position = positions[i] as number;
        if (position > log.committed) break;
        const entry = log.entries[position - 1] as Indexed;
        if (filter.kind === undefined || entry.kind === filter.kind) out.push(entry.event);
      }
      return out;
    }
    for (let position = start; position <= log.committed && out.length < limit; position++) {
      const entry = log.entries[position - 1] as Indexed;
      if (filter.kind === undefined || entry.kind === filter.kind) out.push(entry.event);
    }
    return out;
  }

  #log(type: AggregateType): StreamLog {
    const log = this.#logs.get(type);
    if (log === undefined) throw new Error(`unknown aggregate type ${type}`);
    return log;
  }

  #event(log: StreamLog, position: number): StoredEvent {
    const entry = log.entries[position - 1];
    if (entry === undefined) throw new Error(`no event at position ${position}`);
    return entry.event;
  }

  #untilCommitted(log: StreamLog, position: number): Promise<void> {
    if (log.committed >= position) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        if (log.committed < position) return;
        log.waiters.delete(wake);
        resolve();
      };
      log.waiters.add(wake);
    });
  }

  #forgetOldIds(log: StreamLog, now: number): void {
    // Map iteration is insertion order, i.e. oldest first.
    for (const [id, seen] of log.recentIds) {
      if (now - seen.at < this.#duplicateWindowMs) break;
      log.recentIds.delete(id);
    }
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function noop(): void {}
