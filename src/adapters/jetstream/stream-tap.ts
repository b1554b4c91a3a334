/**
 * One reader of an event stream shared by every subscription of this process (ARCHITECTURE.md
 * section 3). Each subscription used to be its own ordered consumer, so every event crossed the
 * connection and was parsed once per projection and process manager that follows the stream: the job
 * stream's three projections and its partition's scheduler made four. Here one unfiltered ordered
 * consumer (the tap) reads the stream once, decodes each event once, and hands it to every attached
 * subscription whose subject filter matches.
 *
 * A subscription that starts behind the tap catches up on a private ordered consumer (filtered, as
 * before) and switches to the tap without a gap or a repeat:
 *   1. it attaches at the tap's next position J: from then on the tap queues what matches for it;
 *   2. its private reader delivers what matches below J, and stops at the first event at or past J,
 *      or when it has read all there was (nothing pending: the stream's head was already past J − 1);
 *   3. then it delivers from its queue, skipping what it already has.
 * A subscription far behind (a replay) attaches only once its private reader is near the head, and
 * one whose queue grows past its cap (a slow handler) is detached and catches up privately again, so
 * neither holds the others back nor holds unbounded memory.
 */
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { BatchSource } from '../subscription-pump.ts';
import { decodeEvent, type OrderedMessages, openOrdered } from './ordered-reader.ts';
import { subjectMatches } from './subject-match.ts';

export interface TapLimits {
  /** A private reader attaches to the tap once this few matching events are left for it to read. */
  readonly attachWithin: number;
  /** Events queued for one subscription before it is detached to catch up on its own. */
  readonly queueCap: number;
}

const DEFAULT_LIMITS: TapLimits = { attachWithin: 2_048, queueCap: 16_384 };

export class StreamTap {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #stream: string;
  readonly limits: TapLimits;
  /** Attaches, and detaches of a subscriber whose queue overflowed (for tests and status). */
  readonly stats = { attaches: 0, overflows: 0 };
  readonly #subscribers = new Set<TapSubscriber>();
  #messages: OrderedMessages | null = null;
  #starting: Promise<void> | null = null;
  /** The position of the next event the tap will read. */
  #next = 0;

  constructor(js: JetStreamClient, jsm: JetStreamManager, stream: string, limits: TapLimits = DEFAULT_LIMITS) {
    this.#js = js;
    this.#jsm = jsm;
    this.#stream = stream;
    this.limits = limits;
  }

  /** A batch source for `startPump`: events matching `filter` (null: all), from the pump's position. */
  source(filter: string | null, maxBatch: number): TapSubscriber {
    return new TapSubscriber(this, filter, maxBatch);
  }

  /** Attaches a subscriber; resolves with the position from which the tap queues for it. */
  async attach(subscriber: TapSubscriber): Promise<number> {
    await this.#ensureRunning();
    this.#subscribers.add(subscriber);
    this.stats.attaches++;
    return this.#next;
  }

  detach(subscriber: TapSubscriber): void {
    this.#subscribers.delete(subscriber);
  }

  /** Stops reading when nobody listens any more (it starts again at the head when someone does). */
  release(subscriber: TapSubscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0 && this.#messages !== null) {
      this.#messages.stop();
      this.#messages = null;
    }
  }

  openPrivate(filter: string | null, from: number, maxMessages: number): Promise<OrderedMessages> {
    return openOrdered(this.#js, this.#stream, filter, from, maxMessages);
  }

  /** The first position at or after `from` whose subject matches, or null when there is none yet. */
  async firstMatch(filter: string | null, from: number): Promise<number | null> {
    const msg = await this.#jsm.direct.getMessage(this.#stream, {
      seq: Math.max(1, from),
      next_by_subj: filter ?? '>',
    });
    return msg?.seq ?? null;
  }

  stop(): void {
    this.#messages?.stop();
    this.#messages = null;
    this.#subscribers.clear();
  }

  async #ensureRunning(): Promise<void> {
    while (this.#messages === null) {
      this.#starting ??= this.#start().finally(() => (this.#starting = null));
      await this.#starting;
    }
  }

  async #start(): Promise<void> {
    const info = await this.#jsm.streams.info(this.#stream);
    this.#next = info.state.last_seq + 1;
    const messages = await openOrdered(this.#js, this.#stream, null, this.#next, 4_096);
    this.#messages = messages;
    void this.#pump(messages);
  }

  async #pump(messages: OrderedMessages): Promise<void> {
    let failure: Error = new Error(`the reader of ${this.#stream} ended`);
    try {
      for await (const m of messages) {
        if (this.#messages !== messages) return;
        this.#next = m.seq + 1;
        let event: StoredEvent | null = null;
        for (const subscriber of this.#subscribers) {
          if (!subscriber.matches(m.subject)) continue;
          // Decoded once for every subscriber: handlers take events as read-only.
          event ??= decodeEvent(m.data, m.seq);
          if (!subscriber.offer(event)) {
            // Detached to catch up on its own; the last one out stops the reader, as a release does.
            this.release(subscriber);
            this.stats.overflows++;
          }
        }
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    if (this.#messages !== messages) return;
    // The reader broke (or ended unasked): every attached subscriber starts again from its position.
    this.#messages = null;
    for (const subscriber of [...this.#subscribers]) subscriber.fail(failure);
    this.#subscribers.clear();
  }
}

type PrivateMode = {
  readonly kind: 'private';
  readonly messages: OrderedMessages;
  /** Where the tap's queue for this subscriber starts; null while not attached (far behind). */
  joinAt: number | null;
};
type Mode = { readonly kind: 'idle' } | PrivateMode | { readonly kind: 'live' };

/** One subscription's view: private catch-up, then the tap's queue. */
export class TapSubscriber implements BatchSource<StoredEvent> {
  readonly #tap: StreamTap;
  readonly #filter: string | null;
  readonly #maxBatch: number;
  #mode: Mode = { kind: 'idle' };
  /** What the tap queued for this subscriber (from its `joinAt`), not yet handed out. */
  #queue: StoredEvent[] = [];
  #attached = false;
  /** Read privately, not yet handed out: always before the queue's events. */
  #privateBuffer: StoredEvent[] = [];
  #failure: Error | null = null;
  #wake: (() => void) | null = null;
  /** Wakes the private reader waiting for room in the private buffer. */
  #wakePrivate: (() => void) | null = null;
  #stopped = false;

  constructor(tap: StreamTap, filter: string | null, maxBatch: number) {
    this.#tap = tap;
    this.#filter = filter;
    this.#maxBatch = maxBatch;
  }

  matches(subject: string): boolean {
    return this.#filter === null || subjectMatches(this.#filter, subject);
  }

  /** From the tap; false when this subscriber's queue is full: it is detached and catches up alone. */
  offer(event: StoredEvent): boolean {
    if (this.#queue.length >= this.#tap.limits.queueCap) {
      this.#attached = false;
      this.#queue = [];
      this.#wake?.();
      return false;
    }
    this.#queue.push(event);
    this.#wake?.();
    return true;
  }

  /** From the tap: its reader broke; start again from the last position handed out. */
  fail(error: Error): void {
    this.#attached = false;
    this.#failure = error;
    this.#wake?.();
  }

  stop(): void {
    this.#stopped = true;
    this.#tap.release(this);
    if (this.#mode.kind === 'private') this.#mode.messages.stop();
    this.#mode = { kind: 'idle' };
    this.#wake?.();
    this.#wakePrivate?.();
  }

  async next(from: number, max: number, stopped: AbortSignal): Promise<readonly StoredEvent[]> {
    for (;;) {
      if (stopped.aborted || this.#stopped) return [];
      if (this.#failure !== null) {
        const failure = this.#failure;
        this.#failure = null;
        this.#reset();
        throw failure;
      }
      if (this.#mode.kind === 'idle') {
        await this.#begin(from);
        // Stopped meanwhile: its abort has fired already and would not wake the wait below.
        continue;
      }
      if (this.#privateBuffer.length > 0) {
        const batch = this.#privateBuffer.splice(0, max);
        this.#wakePrivate?.();
        return batch;
      }
      if (this.#mode.kind === 'live') {
        // What was handed out privately lies below `from`.
        let skip = 0;
        while (skip < this.#queue.length && (this.#queue[skip] as StoredEvent).position < from) skip++;
        if (skip > 0) this.#queue.splice(0, skip);
        if (this.#queue.length > 0) return this.#queue.splice(0, Math.min(max, this.#maxBatch));
        if (!this.#attached) {
          this.#reset();
          continue;
        }
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          stopped.removeEventListener('abort', wake);
          this.#wake = null;
          resolve();
        };
        this.#wake = wake;
        stopped.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Attaches, then reads privately whatever lies below the tap's queue. */
  async #begin(from: number): Promise<void> {
    try {
      const joinAt = await this.#attach();
      const first = await this.#tap.firstMatch(this.#filter, from);
      if (this.#stopped) return;
      if (first === null || first >= joinAt) {
        this.#mode = { kind: 'live' };
        return;
      }
      const messages = await this.#tap.openPrivate(this.#filter, first, this.#maxBatch * 2);
      if (this.#stopped) return messages.stop();
      const mode: PrivateMode = { kind: 'private', messages, joinAt };
      this.#mode = mode;
      void this.#readPrivately(mode);
    } finally {
      // Stopped meanwhile (or failed after a stop): the attach may have re-added it to the tap.
      if (this.#stopped) this.#tap.release(this);
    }
  }

  async #attach(): Promise<number> {
    this.#queue = [];
    const joinAt = await this.#tap.attach(this);
    this.#attached = true;
    // Stopped while the tap was starting: its release came before it was in the tap's set.
    if (this.#stopped) this.#tap.release(this);
    return joinAt;
  }

  async #readPrivately(mode: PrivateMode): Promise<void> {
    try {
      for await (const m of mode.messages) {
        if (this.#mode !== mode) return;
        // The tap let go of us (our queue overflowed while we caught up): its queue is gone.
        if (!this.#attached) mode.joinAt = null;
        if (mode.joinAt !== null && m.seq >= mode.joinAt) break;
        this.#privateBuffer.push(decodeEvent(m.data, m.seq));
        this.#wake?.();
        if (mode.joinAt === null && m.info.pending <= this.#tap.limits.attachWithin) {
          mode.joinAt = await this.#attach();
        }
        // Nothing matching was left when this was sent: is anything left below the queue?
        if (mode.joinAt !== null && m.info.pending === 0 && (await this.#doneBelow(m.seq + 1, mode.joinAt))) break;
        while (this.#privateBuffer.length >= this.#maxBatch * 4 && this.#mode === mode && !this.#stopped) {
          await new Promise<void>((resolve) => (this.#wakePrivate = resolve));
          this.#wakePrivate = null;
        }
      }
      if (this.#mode !== mode) return;
      mode.messages.stop();
      this.#mode = { kind: 'live' };
      this.#wake?.();
    } catch (error) {
      if (this.#mode !== mode) return;
      mode.messages.stop();
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async #doneBelow(from: number, joinAt: number): Promise<boolean> {
    const next = await this.#tap.firstMatch(this.#filter, from);
    return next === null || next >= joinAt;
  }

  #reset(): void {
    this.#tap.detach(this);
    this.#attached = false;
    if (this.#mode.kind === 'private') this.#mode.messages.stop();
    this.#mode = { kind: 'idle' };
    this.#queue = [];
    this.#privateBuffer = [];
    this.#wakePrivate?.();
  }
}
