/**
 * The bus in process, for the embedded default: NATS subject semantics (`*` one token, `>` the rest),
 * queue groups (one member each), request/reply with a timeout and "no responders", and an in-memory
 * capture read in order from a position. Delivery is always asynchronous, as over a network, so no
 * handler runs inside its sender's call stack.
 */
import type {
  Bus,
  BusMessage,
  BusSubscription,
  CapturedMessage,
  Clock,
  RequestOutcome,
  Subscription,
} from '../../app/ports.ts';
import { systemClock } from '../../app/ports.ts';
import { startPump } from '../subscription-pump.ts';

interface Subscriber {
  readonly pattern: string[];
  readonly queue: string | undefined;
  readonly handler: (message: BusMessage) => void;
}

export function subjectMatches(pattern: readonly string[], subject: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const token = pattern[i];
    if (token === '>') return subject.length > i;
    if (i >= subject.length) return false;
    if (token !== '*' && token !== subject[i]) return false;
  }
  return pattern.length === subject.length;
}

export class InProcessBus implements Bus {
  readonly #subscribers = new Set<Subscriber>();
  readonly #queueTurns = new Map<string, number>();
  readonly #captured: CapturedMessage[] = [];
  readonly #recentIds = new Map<string, { position: number; at: number }>();
  readonly #waiters = new Set<() => void>();
  readonly #subscriptions = new Set<Subscription>();
  readonly #clock: Clock;
  readonly #duplicateWindowMs: number;

  constructor(options: { readonly clock?: Clock; readonly duplicateWindowMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
  }

  publish(subject: string, data: unknown): void {
    const raw = JSON.stringify(data);
    for (const subscriber of this.#recipients(subject)) this.#deliver(subscriber, subject, raw, () => {});
  }

  request(subject: string, data: unknown, timeoutMs: number): Promise<RequestOutcome> {
    const recipients = this.#recipients(subject);
    if (recipients.length === 0) return Promise.resolve({ kind: 'no_responders' });
    const raw = JSON.stringify(data);
    return new Promise((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      for (const subscriber of recipients) {
        this.#deliver(subscriber, subject, raw, (reply) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          // Round-trip through JSON, as a reply over the wire would.
          resolve({ kind: 'reply', data: JSON.parse(JSON.stringify(reply)) as unknown });
        });
      }
    });
  }

  subscribe(
    subject: string,
    handler: (message: BusMessage) => void,
    options: { readonly queue?: string } = {},
  ): BusSubscription {
    const subscriber: Subscriber = { pattern: subject.split('.'), queue: options.queue, handler };
    this.#subscribers.add(subscriber);
    return { unsubscribe: () => this.#subscribers.delete(subscriber) };
  }

  async capture(subject: string, data: unknown, id: string): Promise<number> {
    const now = this.#clock.now();
    const seen = this.#recentIds.get(id);
    if (seen !== undefined && now - seen.at < this.#duplicateWindowMs) return seen.position;
    const raw = JSON.stringify(data);
    const message: CapturedMessage = {
      position: this.#captured.length + 1,
      subject,
      data: JSON.parse(raw) as unknown,
      raw,
    };
    this.#captured.push(message);
    this.#recentIds.set(id, { position: message.position, at: now });
    for (const [key, value] of this.#recentIds) {
      if (now - value.at < this.#duplicateWindowMs) break;
      this.#recentIds.delete(key);
    }
    for (const wake of [...this.#waiters]) wake();
    return message.position;
  }

  readCaptured(
    filter: string,
    options: {
      readonly from: number;
      readonly maxBatch?: number;
      readonly onError?: (error: unknown, attempt: number) => void;
    },
    handler: (batch: readonly CapturedMessage[]) => Promise<void>,
  ): Subscription {
    const pattern = filter.split('.');
    const source = {
      next: async (from: number, max: number, stopped: AbortSignal) => {
        for (;;) {
          if (stopped.aborted) return [];
          const batch: CapturedMessage[] = [];
          for (let i = Math.max(0, from - 1); i < this.#captured.length && batch.length < max; i++) {
            const message = this.#captured[i] as CapturedMessage;
            if (subjectMatches(pattern, message.subject.split('.'))) batch.push(message);
          }
          if (batch.length > 0) return batch;
          await new Promise<void>((resolve) => {
            const wake = () => {
              this.#waiters.delete(wake);
              stopped.removeEventListener('abort', wake);
              resolve();
            };
            this.#waiters.add(wake);
            stopped.addEventListener('abort', wake, { once: true });
          });
        }
      },
    };
    const subscription = startPump(
      source,
      Math.max(1, options.from),
      options.maxBatch ?? 256,
      handler,
      options.onError ?? (() => {}),
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

  async close(): Promise<void> {
    this.#subscribers.clear();
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
  }

  /** Every plain subscriber, and one member of each queue group (taking turns). */
  #recipients(subject: string): Subscriber[] {
    const tokens = subject.split('.');
    const plain: Subscriber[] = [];
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of this.#subscribers) {
      if (!subjectMatches(subscriber.pattern, tokens)) continue;
      if (subscriber.queue === undefined) plain.push(subscriber);
      else groups.set(subscriber.queue, [...(groups.get(subscriber.queue) ?? []), subscriber]);
    }
    for (const [queue, members] of groups) {
      const turn = this.#queueTurns.get(queue) ?? 0;
      this.#queueTurns.set(queue, turn + 1);
      plain.push(members[turn % members.length] as Subscriber);
    }
    return plain;
  }

  #deliver(subscriber: Subscriber, subject: string, raw: string, respond: (data: unknown) => void): void {
    setImmediate(() => {
      if (!this.#subscribers.has(subscriber)) return;
      subscriber.handler({ subject, data: JSON.parse(raw) as unknown, raw, respond });
    });
  }
}
