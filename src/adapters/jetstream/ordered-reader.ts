/**
 * Reading a stream in order with an ordered consumer (ephemeral, flow-controlled, recreated by the
 * client from the last sequence it saw after a reconnect). Used for subscriptions, bulk reads and the
 * tail of long aggregate histories.
 */
import type { ConsumerMessages, JetStreamClient } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { BatchSource } from '../subscription-pump.ts';

export function decodeEvent(data: Uint8Array, seq: number): StoredEvent {
  return { ...(JSON.parse(decoder.decode(data)) as Omit<StoredEvent, 'position'>), position: seq };
}

const decoder = new TextDecoder();

export async function openOrdered(
  js: JetStreamClient,
  stream: string,
  filter: string | null,
  from: number,
  maxMessages: number,
): Promise<ConsumerMessages> {
  const consumer = await js.consumers.get(stream, {
    ...(filter === null ? {} : { filter_subjects: filter }),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, from),
  });
  return consumer.consume({ max_messages: maxMessages });
}

/**
 * A live batch source for subscriptions: a pump fills a bounded buffer from the ordered consumer, and
 * each `next` takes what has arrived, so batches grow with load and latency stays low when idle.
 */
export class OrderedBatchSource<T extends { readonly position: number } = StoredEvent> implements BatchSource<T> {
  readonly #open: (from: number) => Promise<ConsumerMessages>;
  readonly #highWater: number;
  #buffer: T[] = [];
  readonly #decode: (data: Uint8Array, seq: number, subject: string) => T;
  #messages: ConsumerMessages | null = null;
  #wakeReader: (() => void) | null = null;
  #wakePump: (() => void) | null = null;
  #failure: Error | null = null;
  #stopped = false;

  constructor(
    open: (from: number) => Promise<ConsumerMessages>,
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

  async #pump(messages: ConsumerMessages): Promise<void> {
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
