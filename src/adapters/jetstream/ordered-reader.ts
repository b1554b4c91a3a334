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

export async function openOrdered(
  js: JetStreamClient,
  stream: string,
  filter: string | null,
  from: number,
  maxMessages: number,
): Promise<OrderedMessages> {
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
  let stopped = false;
  return {
    [Symbol.asyncIterator]: () => messages[Symbol.asyncIterator](),
    stop() {
      if (stopped) return;
      stopped = true;
      messages.stop();
      // The consumer's current name (an ordered consumer renames itself when it resets).
      void consumer.delete().catch(() => {});
    },
  };
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
      this.#failure = error instanceof Error ? error : new Error(String(error));
      this.#wakeReader?.();
    }
  }
}
