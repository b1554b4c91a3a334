/**
 * What the worker runtime needs from the bus, and nothing more: NATS implements it
 * (`nats-transport.ts`), and the embedded bus does too (`src/adapters/embedded/worker-transport.ts`),
 * so the same worker code runs in another process or inside the embedded default.
 */

export interface TransportMessage {
  readonly subject: string;
  /** The decoded JSON body; undefined when the body was not JSON. */
  readonly data: unknown;
  /** Answers a request; does nothing for a plain publish. */
  respond(data: unknown): void;
}

export interface TransportSubscription {
  /** Stops delivery; messages already routed to this subscription are still handled first. */
  unsubscribe(): Promise<void>;
}

/** One entry of the worker registry bucket, as the runtime needs it to claim its id. */
export interface RegistryEntry<T> {
  readonly value: T;
  /** The compare-and-set token. */
  readonly revision: number;
}

/** The registry bucket `<prefix>_workers`: history 1, entries expire after the TTL. */
export interface WorkerRegistryBucket<T> {
  get(key: string): Promise<RegistryEntry<T> | null>;
  /** Writes only if the key is absent (or expired); the new revision, or null if it is taken. */
  create(key: string, value: T): Promise<number | null>;
  /** Writes only if the key is at `revision`; the new revision, or null on a mismatch. */
  update(key: string, value: T, revision: number): Promise<number | null>;
  put(key: string, value: T): Promise<number>;
  /** Deletes if still at `revision`; false on a mismatch. */
  delete(key: string, revision: number): Promise<boolean>;
}

export interface WorkerTransport {
  subscribe(
    subject: string,
    handler: (message: TransportMessage) => void,
    options?: { readonly queue?: string },
  ): TransportSubscription;
  /** Resolves once the server has every subscription made so far: a worker that says it takes work is reachable. */
  flush(): Promise<void>;
  /** Core publish, fire and forget (progress). */
  publish(subject: string, data: unknown): void;
  /**
   * Publishes into the durable capture, deduplicated by `id`; resolves once the capture acknowledged
   * it, rejects when it did not (the caller retries with the same id).
   */
  publishDurable(subject: string, data: unknown, id: string): Promise<void>;
  /** The registry bucket, created (history 1, max age `ttlMs`) if missing. */
  registry<T>(ttlMs: number): Promise<WorkerRegistryBucket<T>>;
  /** Stores a result too large for a report under `name` for `ttlMs`; returns the `result_ptr`. */
  storeLargeResult(name: string, json: string, ttlMs: number): Promise<string>;
  /** Releases what this transport opened (its subscriptions; a connection it owns). */
  close(): Promise<void>;
}
