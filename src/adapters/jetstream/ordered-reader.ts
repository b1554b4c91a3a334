/**
 * Reading a stream in order with an ordered consumer (ephemeral, flow-controlled, recreated by the
 * client from the last sequence it saw after a reconnect). Used for subscriptions, bulk reads and the
 * tail of long aggregate histories.
 */
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { BatchSource } from '../subscription-pump.ts';

export function decodeEvent(data: Uint8Array, seq: number): StoredEvent {
  return { ...(JSON.parse(decoder.decode(data)) as Omit<StoredEvent, 'position'>), position: seq };
}

const decoder = new TextDecoder();

/** An ordered read of a stream: iterate it; `stop` ends it and removes its consumer from the server. */
export interface OrderedMessages extends AsyncIterable<JsMsg> {
  stop(): void;
}

/**
 * Server-side, an ordered consumer outlives the client's `stop` until its inactivity threshold
 * (nats.js asks for 5 minutes), and every idle one is still looked at for each message stored: so
 * `stop` deletes it, and one left by a process that died goes after a minute (longer than a pull
 * request waits, so a live reader is never removed).
 */
const INACTIVE_THRESHOLD_MS = 60_000;

/**
 * How long each pull request waits (nats.js's default is 30 s). nats.js derives from it how long a
 * reader pauses between its checks that the consumer still exists after a reconnect. With 30 s, the
 * readers took ~40 s to deliver again after a nats-server restart, and the scheduler and the read
 * models waited with them (the fault suite's `restart-nats`); with 5 s, 3-9 s. An idle reader sends
 * one pull per 5 s.
 */
const PULL_EXPIRES_MS = 5_000;

/**
 * How often nats-server tells a waiting pull request it is still there, and so how soon a reader
 * notices a request the server no longer holds: after two missed heartbeats it checks its consumer
 * and pulls again. nats-server 2.9 sometimes ends a pull request at its expiry without the 408 that
 * says so (seen under load on the partitions' report readers: no message, status or heartbeat after
 * the last delivery); the client still counted the request's unused messages as coming and did not
 * pull, so the reader stood until the heartbeats were missed: 5-7.5 s at nats.js's default (half the
 * expiry), with every report of the partition held back. At 500 ms it stands ≤ 1.5 s; an idle
 * reader costs two tiny messages a second.
 */
export const PULL_HEARTBEAT_MS = 500;

/**
 * A reader takes at most this many pulls' worth of messages ahead of its caller before it lets go of
 * its consumer, and opens a new one from where it stopped once its caller has taken all but one
 * pull's worth.
 *
 * Why not simply stop iterating (the backpressure nats.js's iterator seems to offer): a pull request
 * that has delivered all it asked for sends no heartbeats, so a caller that stops for longer than two
 * heartbeats makes nats.js believe the request lost, and every heartbeat after that it queues one
 * more full pull, each sent as soon as the caller moves again. A reader slower than its stream (the
 * archiver's under load) then had the server deliver ever more ahead of it: 219,000 messages and
 * ~300 MB held in one reader's queue after ten minutes at 300 jobs/s. So the reader drains nats.js's
 * queue at once into its own, which it bounds by pausing the consumer instead.
 */
export const READ_AHEAD_PULLS = 4;

export async function openOrdered(
  js: JetStreamClient,
  stream: string,
  filter: string | null,
  from: number,
  maxMessages: number,
): Promise<OrderedMessages> {
  const open = (start: number) => consumeFrom(js, stream, filter, start, maxMessages);
  return new BoundedOrderedReader(open, await open(from), READ_AHEAD_PULLS * maxMessages, maxMessages);
}

interface Consuming {
  readonly messages: AsyncIterable<JsMsg>;
  stop(): void;
}

async function consumeFrom(
  js: JetStreamClient,
  stream: string,
  filter: string | null,
  from: number,
  maxMessages: number,
): Promise<Consuming> {
  const consumer = await js.consumers.get(stream, {
    ...(filter === null ? {} : { filter_subjects: filter }),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, from),
    inactive_threshold: INACTIVE_THRESHOLD_MS,
  });
  const messages = await consumer.consume({
    max_messages: maxMessages,
    expires: PULL_EXPIRES_MS,
    idle_heartbeat: PULL_HEARTBEAT_MS,
  });
  return {
    messages,
    stop() {
      messages.stop();
      // The consumer's current name (an ordered consumer renames itself when it resets).
      void consumer.delete().catch(() => {});
    },
  };
}

/**
 * The ordered read behind `openOrdered`: a pump moves each message from the consumer into a queue at
 * once; when the queue reaches `pauseAt` the consumer is stopped (and deleted), and when the caller
 * has taken it down to `resumeAt` a new consumer starts after the last message queued. Errors of the
 * consumer reach the caller after what was queued before them.
 */
class BoundedOrderedReader implements OrderedMessages {
  readonly #open: (from: number) => Promise<Consuming>;
  readonly #pauseAt: number;
  readonly #resumeAt: number;
  #queue: JsMsg[] = [];
  #head = 0;
  #current: Consuming | null;
  /** The stream sequence after the last message queued: where a resumed consumer starts. */
  #next = 0;
  #failure: Error | null = null;
  #ended = false;
  #stopped = false;
  /** A new consumer is being opened (the queue went down to `resumeAt`). */
  #opening = false;
  #wake: (() => void) | null = null;

  constructor(open: (from: number) => Promise<Consuming>, first: Consuming, pauseAt: number, resumeAt: number) {
    this.#open = open;
    this.#pauseAt = pauseAt;
    this.#resumeAt = resumeAt;
    this.#current = first;
    void this.#pump(first);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    for (;;) {
      if (this.#stopped) return;
      if (this.#head < this.#queue.length) {
        const message = this.#queue[this.#head++] as JsMsg;
        this.#compact();
        if (this.#current === null && this.#queued() <= this.#resumeAt) this.#resume();
        yield message;
        continue;
      }
      if (this.#failure !== null) throw this.#failure;
      if (this.#ended || this.#stopped) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#current?.stop();
    this.#current = null;
    this.#wake?.();
  }

  #queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Drops the taken messages from the front once they are half the array (amortised O(1) per message). */
  #compact(): void {
    if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #resume(): void {
    if (this.#stopped || this.#failure !== null || this.#ended || this.#opening) return;
    this.#opening = true;
    this.#open(this.#next).then(
      (consuming) => {
        this.#opening = false;
        if (this.#stopped) return consuming.stop();
        this.#current = consuming;
        void this.#pump(consuming);
      },
      (error: unknown) => {
        this.#opening = false;
        this.#failure = asError(error);
        this.#wake?.();
      },
    );
  }

  async #pump(consuming: Consuming): Promise<void> {
    try {
      for await (const m of consuming.messages) {
        if (this.#current !== consuming) return;
        this.#queue.push(m);
        this.#next = m.seq + 1;
        this.#wake?.();
        if (this.#queued() >= this.#pauseAt) {
          this.#current = null;
          consuming.stop();
          return;
        }
      }
      if (this.#current === consuming) this.#ended = true;
    } catch (error) {
      if (this.#current !== consuming) return;
      this.#failure = asError(error);
    }
    this.#wake?.();
  }
}

/**
 * A live batch source for subscriptions: a pump fills a bounded buffer from the ordered consumer, and
 * each `next` takes what has arrived, so batches grow with load and latency stays low when idle.
 */
export class OrderedBatchSource<T extends { readonly position: number } = StoredEvent> implements BatchSource<T> {
  readonly #open: (from: number) => Promise<OrderedMessages>;
  readonly #highWater: number;
  #buffer: T[] = [];
  readonly #decode: (data: Uint8Array, seq: number, subject: string) => T;
  #messages: OrderedMessages | null = null;
  #wakeReader: (() => void) | null = null;
  #wakePump: (() => void) | null = null;
  #failure: Error | null = null;
  #stopped = false;

  constructor(
    open: (from: number) => Promise<OrderedMessages>,
    highWater: number,
    decode: (data: Uint8Array, seq: number, subject: string) => T = decodeEvent as never,
  ) {
    this.#open = open;
    this.#highWater = highWater;
    this.#decode = decode;
  }

  async next(from: number, max: number, stopped: AbortSignal): Promise<readonly T[]> {
    if (this.#failure !== null) {
      // The consumer broke: start again from the first position not yet handed out.
      const failure = this.#failure;
      this.#failure = null;
      this.#messages = null;
      this.#buffer = [];
      throw failure;
    }
    if (this.#messages === null) {
      this.#messages = await this.#open(from);
      void this.#pump(this.#messages);
    }
    while (this.#buffer.length === 0 && !stopped.aborted && this.#failure === null) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          stopped.removeEventListener('abort', wake);
          this.#wakeReader = null;
          resolve();
        };
        this.#wakeReader = wake;
        stopped.addEventListener('abort', wake, { once: true });
      });
    }
    const batch = this.#buffer.splice(0, max);
    this.#wakePump?.();
    return batch;
  }

  stop(): void {
    this.#stopped = true;
    this.#messages?.stop();
    this.#wakePump?.();
    this.#wakeReader?.();
  }

  async #pump(messages: OrderedMessages): Promise<void> {
    try {
      for await (const m of messages) {
        if (this.#messages !== messages) return;
        this.#buffer.push(this.#decode(m.data, m.seq, m.subject));
        this.#wakeReader?.();
        while (this.#buffer.length >= this.#highWater && !this.#stopped) {
          await new Promise<void>((resolve) => {
            this.#wakePump = () => {
              this.#wakePump = null;
              resolve();
            };
          });
        }
        if (this.#stopped) return;
      }
    } catch (error) {
      if (this.#messages !== messages) return;
      messages.stop();
      this.#failure = asError(error);
      this.#wakeReader?.();
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
