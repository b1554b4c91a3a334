/**
 * The worker transport on NATS: core subscriptions for hand-offs and stops, JetStream publish with a
 * message id for reports (the control plane's `<PREFIX>_SYS` stream captures them and drops a
 * duplicate id), the KV bucket `<prefix>_workers` for the registry, and the object store
 * `<prefix>_results` for results too large for a report.
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { type ObjectStore, Objm } from '@nats-io/obj';
import { type NatsConnection, nanos, type Subscription } from '@nats-io/transport-node';
import { connectCoalesced } from '../nats/connect.ts';
import { Requests } from '../nats/requests.ts';
import { publishToStream } from '../nats/stream-publish.ts';
import type {
  RegistryEntry,
  TransportMessage,
  TransportSubscription,
  WorkerRegistryBucket,
  WorkerTransport,
} from './transport.ts';

export interface NatsTransportOptions {
  /** One URL, a comma-separated list, or an array. */
  readonly servers: string | readonly string[];
  readonly prefix: string;
  readonly user?: string;
  readonly pass?: string;
  /** The connection name the server shows (monitoring). */
  readonly name?: string;
  /** How long a report waits for the capture's acknowledgement before it is retried (default 5000). */
  readonly publishAckTimeoutMs?: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class NatsWorkerTransport implements WorkerTransport {
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #ownsConnection: boolean;
  readonly #ackTimeoutMs: number;
  readonly #subscriptions = new Set<Subscription>();
  #results: Promise<ObjectStore> | null = null;

  constructor(
    nc: NatsConnection,
    prefix: string,
    options: { readonly ownsConnection?: boolean; readonly publishAckTimeoutMs?: number } = {},
  ) {
    this.#nc = nc;
    this.#prefix = prefix;
    this.#ownsConnection = options.ownsConnection ?? false;
    this.#ackTimeoutMs = options.publishAckTimeoutMs ?? 5000;
  }

  /** Connects (reconnecting forever: an outage must not end the worker) and owns the connection. */
  static async connect(options: NatsTransportOptions): Promise<NatsWorkerTransport> {
    const servers = typeof options.servers === 'string' ? options.servers.split(',') : [...options.servers];
    const nc = await connectCoalesced({
      servers,
      name: options.name ?? 'coretex-worker',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // No Error built up front for every request and JetStream publish (see adapters/jetstream/connection.ts).
      noAsyncTraces: true,
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.pass === undefined ? {} : { pass: options.pass }),
    });
    return new NatsWorkerTransport(nc, options.prefix, {
      ownsConnection: true,
      ...(options.publishAckTimeoutMs === undefined ? {} : { publishAckTimeoutMs: options.publishAckTimeoutMs }),
    });
  }

  subscribe(
    subject: string,
    handler: (message: TransportMessage) => void,
    options: { readonly queue?: string } = {},
  ): TransportSubscription {
    const sub = this.#nc.subscribe(subject, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (error, msg) => {
        if (error !== null) return;
        handler({
          subject: msg.subject,
          data: parseJson(decoder.decode(msg.data)),
          respond: (data) => {
            if (msg.reply === undefined || msg.reply === '' || this.#nc.isClosed()) return;
            try {
              msg.respond(JSON.stringify(data));
            } catch {
              // The connection closed meanwhile (a late reply at shutdown): the requester times out.
            }
          },
        });
      },
    });
    this.#subscriptions.add(sub);
    return {
      unsubscribe: async () => {
        this.#subscriptions.delete(sub);
        if (sub.isClosed() || this.#nc.isClosed()) return;
        // A drain, not a plain unsubscribe: a hand-off the server routed here before it saw the
        // unsubscribe is still answered (refused), instead of timing out at the scheduler.
        await sub.drain().catch(() => sub.unsubscribe());
      },
    };
  }

  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  publish(subject: string, data: unknown): void {
    if (this.#nc.isClosed()) return;
    this.#nc.publish(subject, JSON.stringify(data));
  }

  async publishDurable(subject: string, data: unknown, id: string): Promise<void> {
    await publishToStream(Requests.of(this.#nc), subject, JSON.stringify(data), {
      msgId: id,
      timeoutMs: this.#ackTimeoutMs,
    });
  }

  async registry<T>(ttlMs: number): Promise<WorkerRegistryBucket<T>> {
    const kv = await new Kvm(this.#nc).create(`${this.#prefix}_workers`, { history: 1, ttl: ttlMs });
    return new NatsRegistryBucket<T>(kv);
  }

  async storeLargeResult(name: string, json: string, ttlMs: number): Promise<string> {
    const bucket = `${this.#prefix}_results`;
    if (this.#results === null) {
      this.#results = new Objm(this.#nc).create(bucket, {
        ttl: nanos(ttlMs),
        description: 'coretex worker results too large for a report',
      });
      // A failed open (an outage) must not stick: the next report retries it.
      this.#results.catch(() => (this.#results = null));
    }
    const store = await this.#results;
    await store.putBlob({ name }, encoder.encode(json));
    return `obj:${bucket}/${name}`;
  }

  async close(): Promise<void> {
    for (const sub of this.#subscriptions) sub.unsubscribe();
    this.#subscriptions.clear();
    if (this.#ownsConnection && !this.#nc.isClosed()) await this.#nc.close();
  }
}

class NatsRegistryBucket<T> implements WorkerRegistryBucket<T> {
  readonly #kv: KV;

  constructor(kv: KV) {
    this.#kv = kv;
  }

  async get(key: string): Promise<RegistryEntry<T> | null> {
    const entry = await this.#kv.get(key);
    if (entry === null || entry.operation !== 'PUT') return null;
    return { value: entry.json<T>(), revision: entry.revision };
  }

  async create(key: string, value: T): Promise<number | null> {
    return ifRevisionMatches(() => this.#kv.create(key, JSON.stringify(value)));
  }

  async update(key: string, value: T, revision: number): Promise<number | null> {
    return ifRevisionMatches(() => this.#kv.update(key, JSON.stringify(value), revision));
  }

  put(key: string, value: T): Promise<number> {
    return this.#kv.put(key, JSON.stringify(value));
  }

  async delete(key: string, revision: number): Promise<boolean> {
    return (await ifRevisionMatches(() => this.#kv.delete(key, { previousSeq: revision }).then(() => 0))) !== null;
  }
}

/** Runs a compare-and-set write; null when the server refused it for a revision mismatch. */
async function ifRevisionMatches(write: () => Promise<number>): Promise<number | null> {
  try {
    return await write();
  } catch (error) {
    // 10071: wrong last sequence; 10164: the key exists (create on newer servers).
    if (error instanceof JetStreamApiError && (error.code === 10071 || error.code === 10164)) return null;
    throw error;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
