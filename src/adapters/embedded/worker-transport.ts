/**
 * The worker transport on the embedded default: the in-process bus carries hand-offs, stops and
 * progress, its capture takes reports (deduplicated by id, as JetStream's is), and the embedded KV
 * store holds the registry bucket (`workers`, as the control plane reads it) and large results
 * (`results`). So the example worker runs inside the `npm start` process, with no NATS.
 */
import type { Bus, BusSubscription, KvBucket, KvStore } from '../../app/ports.ts';
import type {
  RegistryEntry,
  TransportMessage,
  TransportSubscription,
  WorkerRegistryBucket,
  WorkerTransport,
} from '../../worker/transport.ts';

export interface EmbeddedWorkerTransportOptions {
  /** The process's in-process bus (shared with the control plane). */
  readonly bus: Bus;
  /** The process's embedded KV store (shared with the control plane). */
  readonly kv: KvStore;
  readonly registryBucket?: string;
  readonly resultsBucket?: string;
}

export class EmbeddedWorkerTransport implements WorkerTransport {
  readonly #bus: Bus;
  readonly #kv: KvStore;
  readonly #registryBucket: string;
  readonly #resultsBucket: string;
  readonly #subscriptions = new Set<BusSubscription>();

  constructor(options: EmbeddedWorkerTransportOptions) {
    this.#bus = options.bus;
    this.#kv = options.kv;
    this.#registryBucket = options.registryBucket ?? 'workers';
    this.#resultsBucket = options.resultsBucket ?? 'results';
  }

  subscribe(
    subject: string,
    handler: (message: TransportMessage) => void,
    options: { readonly queue?: string } = {},
  ): TransportSubscription {
    const sub = this.#bus.subscribe(subject, (message) => handler(message), options);
    this.#subscriptions.add(sub);
    return {
      unsubscribe: async () => {
        this.#subscriptions.delete(sub);
        sub.unsubscribe();
      },
    };
  }

  /** In process, a subscription is in place as soon as `subscribe` returns. */
  async flush(): Promise<void> {}

  publish(subject: string, data: unknown): void {
    this.#bus.publish(subject, data);
  }

  async publishDurable(subject: string, data: unknown, id: string): Promise<void> {
    await this.#bus.capture(subject, data, id);
  }

  async registry<T>(ttlMs: number): Promise<WorkerRegistryBucket<T>> {
    return new EmbeddedRegistryBucket(await this.#kv.bucket<T>(this.#registryBucket, { maxAgeMs: ttlMs }));
  }

  async storeLargeResult(name: string, json: string, ttlMs: number): Promise<string> {
    const bucket = await this.#kv.bucket<string>(this.#resultsBucket, { maxAgeMs: ttlMs });
    await bucket.put(name, json);
    return `kv:${this.#resultsBucket}/${name}`;
  }

  /** Drops this worker's subscriptions; the bus and the KV store belong to the process and stay open. */
  async close(): Promise<void> {
    for (const sub of this.#subscriptions) sub.unsubscribe();
    this.#subscriptions.clear();
  }
}

class EmbeddedRegistryBucket<T> implements WorkerRegistryBucket<T> {
  readonly #bucket: KvBucket<T>;

  constructor(bucket: KvBucket<T>) {
    this.#bucket = bucket;
  }

  async get(key: string): Promise<RegistryEntry<T> | null> {
    const entry = await this.#bucket.get(key);
    return entry === null ? null : { value: entry.value, revision: entry.revision };
  }

  create(key: string, value: T): Promise<number | null> {
    return this.#bucket.create(key, value);
  }

  update(key: string, value: T, revision: number): Promise<number | null> {
    return this.#bucket.update(key, value, revision);
  }

  put(key: string, value: T): Promise<number> {
    return this.#bucket.put(key, value);
  }

  delete(key: string, revision: number): Promise<boolean> {
    return this.#bucket.delete(key, revision);
  }
}
