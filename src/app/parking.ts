/**
 * Poison handling (SPEC 5, ARCHITECTURE.md section 5): a process manager never drops an input. It
 * retries with a growing delay and, after repeated failures, parks the input in a KV bucket with the
 * error and raises an alert; parked inputs can be listed and replayed (the replay runs the same
 * handler again and, on success, unparks).
 */
import type { KvBucket, Logger } from './ports.ts';

export interface ParkedInput {
  readonly id: string;
  /** What was being handled: `job-event`, `report`, `bus-submission`, `dlq-event`, ... */
  readonly source: string;
  readonly position: number;
  readonly subject: string | null;
  /** The input itself (an event or a message), for inspection and replay. */
  readonly input: unknown;
  readonly error: string;
  readonly attempts: number;
  readonly parked_at: number;
}

export type ReplayHandler = (parked: ParkedInput) => Promise<void>;

export interface RetryPolicy {
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_PARK_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 100, maxDelayMs: 5_000 };

export class ParkingLot {
  readonly #bucket: KvBucket<ParkedInput>;
  readonly #log: Logger;
  readonly #handlers = new Map<string, ReplayHandler>();
  readonly #now: () => number;
  #alerts = 0;

  readonly #onPark: (source: string) => void;

  constructor(
    bucket: KvBucket<ParkedInput>,
    log: Logger,
    now: () => number,
    onPark: (source: string) => void = () => {},
  ) {
    this.#bucket = bucket;
    this.#log = log;
    this.#now = now;
    this.#onPark = onPark;
  }

  /** Registers how inputs of a source are replayed. */
  handle(source: string, handler: ReplayHandler): void {
    this.#handlers.set(source, handler);
  }

  /** Parked since start (for metrics and status). */
  get alerts(): number {
    return this.#alerts;
  }

  /**
   * Runs `work` until it succeeds, retrying with backoff; after the last attempt parks the input and
   * returns (so the caller's cursor may move on without losing it). It returns only once the input is
   * handled or parked: when the park fails too (the bucket lives on the same NATS server that made the
   * work fail, down for longer than the retries), the caller's cursor must not pass the input, so the
   * whole round starts again after the longest delay. A reaction is safe to repeat.
   */
  async attempt(
    source: string,
    position: number,
    subject: string | null,
    input: unknown,
    work: () => Promise<void>,
    policy: RetryPolicy = DEFAULT_PARK_RETRY,
  ): Promise<'done' | 'parked'> {
    let delay = policy.firstDelayMs;
    for (let attempts = 1; ; attempts++) {
      try {
        await work();
        return 'done';
      } catch (error) {
        if (attempts % Math.max(1, policy.attempts) === 0) {
          try {
            await this.park({ source, position, subject, input, error: describe(error), attempts });
            return 'parked';
          } catch (parkError) {
            this.#log.error(
              { source, position, attempts, err: error, park_error: describe(parkError) },
              'input failed and could not be parked; trying again',
            );
            delay = policy.maxDelayMs;
          }
        } else {
          this.#log.warn({ source, position, attempt: attempts, err: error }, 'input failed; retrying');
        }
        await sleep(delay);
        delay = Math.min(policy.maxDelayMs, delay * 2);
      }
    }
  }

  async park(entry: Omit<ParkedInput, 'id' | 'parked_at'>): Promise<ParkedInput> {
    const parked: ParkedInput = { ...entry, id: `${entry.source}.${entry.position}`, parked_at: this.#now() };
    await this.#bucket.put(parked.id, parked);
    this.#alerts++;
    this.#onPark(parked.source);
    this.#log.error(
      { alert: 'input_parked', parked_id: parked.id, source: parked.source, error: parked.error },
      'input parked after repeated failures',
    );
    return parked;
  }

  async list(): Promise<ParkedInput[]> {
    const out: ParkedInput[] = [];
    for (const key of await this.#bucket.keys()) {
      const entry = await this.#bucket.get(key);
      if (entry !== null) out.push(entry.value);
    }
    return out.sort((a, b) => a.parked_at - b.parked_at);
  }

  async get(id: string): Promise<ParkedInput | null> {
    return (await this.#bucket.get(id))?.value ?? null;
  }

  /** Runs the input's handler again; unparks it when that succeeds (the error propagates otherwise). */
  async replay(id: string): Promise<ParkedInput | null> {
    const entry = await this.#bucket.get(id);
    if (entry === null) return null;
    const handler = this.#handlers.get(entry.value.source);
    if (handler === undefined) throw new Error(`no replay handler for ${entry.value.source} in this process`);
    await handler(entry.value);
    await this.#bucket.delete(id, entry.revision);
    return entry.value;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
