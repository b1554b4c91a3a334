/**
 * Many requests in flight on one NATS connection, cheaply: one wildcard inbox subscription routes each
 * reply to its waiter by token, and one coarse timer expires what got no answer. nats.js's own
 * `request` arms a timer and builds an Error per call (even when the reply arrives), which on the hot
 * path — every JetStream publish is a request — cost the control plane a measurable share of its CPU.
 * Failures are typed (`RequestTimeoutError`, `NoRespondersError`), and only a failure builds an Error.
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** Timeouts are checked this often, so a request times out up to this much after its time. */
const TICK_MS = 25;

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly subject: string;
  constructor(subject: string, timeoutMs: number) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
    this.subject = subject;
  }
}

export class NoRespondersError extends Error {
  override readonly name = 'NoRespondersError';
  readonly subject: string;
  constructor(subject: string) {
    super(`no responders on ${subject}`);
    this.subject = subject;
  }
}

interface Waiter {
  readonly subject: string;
  readonly timeoutMs: number;
  readonly tick: number;
  resolve(msg: Msg): void;
  reject(error: Error): void;
}

const byConnection = new WeakMap<NatsConnection, Requests>();

export class Requests {
  readonly #nc: NatsConnection;
  readonly #inbox: string;
  readonly #waiters = new Map<string, Waiter>();
  /** Tokens by the tick at which they expire. */
  readonly #expiries = new Map<number, string[]>();
  #subscription: Subscription | null = null;
  #timer: NodeJS.Timeout | null = null;
  #lastTick = 0;
  #next = 0;

  private constructor(nc: NatsConnection) {
    this.#nc = nc;
    const prefix = (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix;
    this.#inbox = `${createInbox(prefix)}.`;
  }

  /** The multiplexer of a connection (one inbox subscription per connection). */
  static of(nc: NatsConnection): Requests {
    let requests = byConnection.get(nc);
    if (requests === undefined) {
      requests = new Requests(nc);
      byConnection.set(nc, requests);
    }
    return requests;
  }

  /** Publishes `payload` with a reply subject and resolves with the first reply. */
  request(subject: string, payload: Uint8Array | string, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    this.#subscribe();
    this.#arm();
    const token = (this.#next++).toString(36);
    // Never a tick already swept: a request is expired by a later sweep at the earliest.
    const tick = Math.max(this.#lastTick, Math.ceil((Date.now() + timeoutMs) / TICK_MS));
    const reply = new Promise<Msg>((resolve, reject) => {
      this.#waiters.set(token, { subject, timeoutMs, tick, resolve, reject });
    });
    const due = this.#expiries.get(tick);
    if (due === undefined) this.#expiries.set(tick, [token]);
    else due.push(token);
    try {
      this.#nc.publish(subject, payload, {
        reply: this.#inbox + token,
        ...(headers === undefined ? {} : { headers }),
      });
    } catch (error) {
      this.#settle(token)?.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return reply;
  }

  /** In-flight requests (for tests and metrics). */
  get pending(): number {
    return this.#waiters.size;
  }

  #subscribe(): void {
    if (this.#subscription !== null) return;
    this.#subscription = this.#nc.subscribe(`${this.#inbox}*`, {
      callback: (error, msg) => {
        if (error !== null) return;
        const waiter = this.#settle(msg.subject.slice(this.#inbox.length));
        if (waiter === undefined) return;
        // A request to a subject nobody listens on is answered by the server with an empty 503.
        if (msg.data.length === 0 && msg.headers?.code === 503) waiter.reject(new NoRespondersError(waiter.subject));
        else waiter.resolve(msg);
      },
    });
    void this.#subscription.closed.then(() => this.#failAll(new Error('the connection closed')));
  }

  #settle(token: string): Waiter | undefined {
    const waiter = this.#waiters.get(token);
    if (waiter !== undefined) this.#waiters.delete(token);
    return waiter;
  }

  #arm(): void {
    if (this.#timer !== null) return;
    if (this.#lastTick === 0) this.#lastTick = Math.floor(Date.now() / TICK_MS);
    this.#timer = setInterval(() => this.#expire(), TICK_MS);
    this.#timer.unref();
  }

  #expire(): void {
    const now = Math.floor(Date.now() / TICK_MS);
    for (let tick = this.#lastTick; tick <= now; tick++) {
      const tokens = this.#expiries.get(tick);
      if (tokens === undefined) continue;
      this.#expiries.delete(tick);
      for (const token of tokens) {
        const waiter = this.#settle(token);
        waiter?.reject(new RequestTimeoutError(waiter.subject, waiter.timeoutMs));
      }
    }
    this.#lastTick = now + 1;
    if (this.#waiters.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
      this.#lastTick = 0;
      this.#expiries.clear();
    }
  }

  #failAll(error: Error): void {
    for (const [token, waiter] of this.#waiters) {
      this.#waiters.delete(token);
      waiter.reject(error);
    }
    this.#expiries.clear();
    this.#subscription = null;
  }
}
