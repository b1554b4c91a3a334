/**
 * Live events (SPEC 5, `GET /api/v1/events/stream`): ONE tail per aggregate type per process, started
 * from the stream's head when the first feed opens, fanned out in memory to every open feed. A feed
 * may resume from a vector of per-stream positions: it replays those streams from the store up to where
 * the shared tail was when it joined, queueing live events meanwhile, then continues live, never
 * delivering a position twice or skipping one.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import { AGGREGATE_TYPES, type AggregateType } from '../../domain/shared/stream.ts';
import type { EventStore, Logger, Subscription } from '../ports.ts';

export interface FeedOptions {
  readonly streams: readonly AggregateType[];
  /** Per stream, the last position the client has seen: replay from the next one. */
  readonly resume: ReadonlyMap<AggregateType, number>;
  /** Called in position order per stream; must not throw. */
  readonly deliver: (events: readonly StoredEvent[]) => void;
  /** Called once if the hub stops (shutdown) while the feed is open. */
  readonly onEnd?: () => void;
}

export interface Feed {
  /** Per stream, the last position delivered to this feed (or where it joined the live tail). */
  readonly positions: ReadonlyMap<AggregateType, number>;
  close(): void;
}

interface Listener {
  onEvents(events: readonly StoredEvent[]): void;
  onEnd(): void;
}

const REPLAY_PAGE = 500;

export class LiveEventHub {
  readonly #events: EventStore;
  readonly #log: Logger;
  readonly #listeners = new Set<Listener>();
  readonly #delivered = new Map<AggregateType, number>();
  readonly #subscriptions: Subscription[] = [];
  #starting: Promise<void> | null = null;
  #stopped = false;

  constructor(deps: { readonly events: EventStore; readonly log: Logger }) {
    this.#events = deps.events;
    this.#log = deps.log;
  }

  get feeds(): number {
    return this.#listeners.size;
  }

  /** Opens a feed: replays what `resume` asks for, then delivers live events of `streams`. */
  async openFeed(options: FeedOptions): Promise<Feed> {
    await this.#start();
    const wanted = new Set(options.streams);
    const sent = new Map<AggregateType, number>();
    const queued: StoredEvent[] = [];
    let replaying = true;
    const deliverFresh = (events: readonly StoredEvent[]) => {
      const fresh: StoredEvent[] = [];
      for (const event of events) {
        const stream = streamOf(event);
        if (stream === null || !wanted.has(stream) || event.position <= (sent.get(stream) ?? 0)) continue;
        sent.set(stream, event.position);
        fresh.push(event);
      }
      if (fresh.length > 0) options.deliver(fresh);
    };
    const listener: Listener = {
      onEvents: (events) => (replaying ? queued.push(...events) : deliverFresh(events)),
      onEnd: () => options.onEnd?.(),
    };
    this.#listeners.add(listener);
    const closed = () => !this.#listeners.has(listener);
    try {
      for (const stream of options.streams) {
        const joinedAt = this.#delivered.get(stream) ?? 0;
        const from = options.resume.get(stream);
        if (from === undefined) {
          sent.set(stream, joinedAt);
          continue;
        }
        sent.set(stream, from);
        let cursor = from;
        while (cursor < joinedAt && !closed()) {
          const page = await this.#events.readAll(stream, { from: cursor + 1, limit: REPLAY_PAGE });
          const last = page.at(-1);
          if (last === undefined) break;
          deliverFresh(page);
          cursor = last.position;
        }
      }
    } catch (error) {
      this.#listeners.delete(listener);
      throw error;
    }
    // Same tick as the last await: no live batch can slip between the replay and the flush.
    replaying = false;
    deliverFresh(queued.splice(0));
    return {
      positions: sent,
      close: () => {
        this.#listeners.delete(listener);
      },
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#starting?.catch(() => {});
    await Promise.all(this.#subscriptions.splice(0).map((s) => s.stop()));
    for (const listener of [...this.#listeners]) listener.onEnd();
    this.#listeners.clear();
  }

  #start(): Promise<void> {
    this.#starting ??= this.#startTails().catch((error: unknown) => {
      this.#starting = null;
      throw error;
    });
    return this.#starting;
  }

  async #startTails(): Promise<void> {
    if (this.#stopped) throw new Error('the live event hub is stopped');
    const heads = await Promise.all(AGGREGATE_TYPES.map((type) => this.#events.headPosition(type)));
    AGGREGATE_TYPES.forEach((type, index) => {
      const head = heads[index] ?? 0;
      this.#delivered.set(type, head);
      this.#subscriptions.push(
        this.#events.subscribe(
          type,
          {
            from: head + 1,
            maxBatch: 256,
            onError: (err, attempt) => this.#log.warn({ stream: type, attempt, err }, 'live event tail failed'),
          },
          async (batch) => this.#fanOut(type, batch),
        ),
      );
    });
  }

  #fanOut(type: AggregateType, batch: readonly StoredEvent[]): void {
    // Delivery is at least once: drop what was already fanned out.
    const delivered = this.#delivered.get(type) ?? 0;
    const fresh = batch.filter((event) => event.position > delivered);
    const last = fresh.at(-1);
    if (last === undefined) return;
    this.#delivered.set(type, last.position);
    for (const listener of this.#listeners) {
      try {
        listener.onEvents(fresh);
      } catch (error) {
        this.#log.warn({ err: error }, 'a live event feed failed; closing it');
        this.#listeners.delete(listener);
      }
    }
  }
}

/** The aggregate type of a stored event, from its stream id (`job:acme:01J...`). */
export function streamOf(event: StoredEvent): AggregateType | null {
  const type = event.stream_id.slice(0, event.stream_id.indexOf(':'));
  return (AGGREGATE_TYPES as readonly string[]).includes(type) ? (type as AggregateType) : null;
}
