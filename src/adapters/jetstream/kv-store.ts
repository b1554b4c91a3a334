/**
 * KV buckets on JetStream (ARCHITECTURE.md section 3): history 1, R1 unless the server serializes
 * replicated compare-and-set, max age as the bucket TTL. On 2.9 an entry that ages out leaves no
 * delete marker, so expiry is also checked against the entry's write time when it is read.
 */

import { JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock, KvBucket, KvBucketOptions, KvEntry, KvStore, KvWatch } from '../../app/ports.ts';
import { systemClock } from '../../app/ports.ts';
import { assertReplicasSupported } from './replication.ts';
import { kvBucketName } from './subjects.ts';

export interface JetStreamKvSettings {
  readonly prefix: string;
  readonly replicas: number;
  readonly clock?: Clock;
}

export class JetStreamKvStore implements KvStore {
  readonly #kvm: Kvm;
  readonly #nc: NatsConnection;
  readonly #settings: JetStreamKvSettings;
  readonly #buckets = new Map<string, Promise<KvBucket<unknown>>>();

  constructor(nc: NatsConnection, settings: JetStreamKvSettings) {
    this.#nc = nc;
    this.#kvm = new Kvm(nc);
    this.#settings = settings;
  }

  bucket<T>(name: string, options: KvBucketOptions = {}): Promise<KvBucket<T>> {
    let bucket = this.#buckets.get(name);
    if (bucket === undefined) {
      bucket = this.#open<unknown>(name, options);
      this.#buckets.set(name, bucket);
      bucket.catch(() => this.#buckets.delete(name));
    }
    return bucket as Promise<KvBucket<T>>;
  }

  async #open<T>(name: string, options: KvBucketOptions): Promise<KvBucket<T>> {
    assertReplicasSupported(this.#nc, this.#settings.replicas, `KV bucket ${name}`);
    const kv = await this.#kvm.create(kvBucketName(this.#settings.prefix, name), {
      history: 1,
      replicas: this.#settings.replicas,
      ...(options.maxAgeMs ? { ttl: options.maxAgeMs } : {}),
    });
    return new JetStreamKvBucket<T>(kv, options.maxAgeMs ?? 0, this.#settings.clock ?? systemClock);
  }
}

class JetStreamKvBucket<T> implements KvBucket<T> {
  readonly #kv: KV;
  readonly #maxAgeMs: number;
  readonly #clock: Clock;

  constructor(kv: KV, maxAgeMs: number, clock: Clock) {
    this.#kv = kv;
    this.#maxAgeMs = maxAgeMs;
    this.#clock = clock;
  }

  async get(key: string): Promise<KvEntry<T> | null> {
    const entry = await this.#kv.get(key);
    if (entry === null || entry.operation !== 'PUT') return null;
    const writtenAt = entry.created.getTime();
    if (this.#maxAgeMs > 0 && writtenAt + this.#maxAgeMs <= this.#clock.now()) return null;
    return { key, value: entry.json<T>(), revision: entry.revision, writtenAt };
  }

  async create(key: string, value: T): Promise<number | null> {
    try {
      return await this.#kv.create(key, JSON.stringify(value));
    } catch (error) {
      if (isWrongLastSequence(error)) {
        // The key exists; if it only lingers past its age (no marker on 2.9), take it over.
        const raw = await this.#kv.get(key);
        if (raw !== null && raw.operation === 'PUT' && (await this.get(key)) === null) {
          return this.update(key, value, raw.revision);
        }
        return null;
      }
      throw error;
    }
  }

  async update(key: string, value: T, revision: number): Promise<number | null> {
    try {
      return await this.#kv.update(key, JSON.stringify(value), revision);
    } catch (error) {
      if (isWrongLastSequence(error)) return null;
      throw error;
    }
  }

  put(key: string, value: T): Promise<number> {
    return this.#kv.put(key, JSON.stringify(value));
  }

  async delete(key: string, revision?: number): Promise<boolean> {
    try {
      await this.#kv.delete(key, revision === undefined ? {} : { previousSeq: revision });
      return true;
    } catch (error) {
      if (isWrongLastSequence(error)) return false;
      throw error;
    }
  }

  async keys(): Promise<string[]> {
    const out: string[] = [];
    for await (const key of await this.#kv.keys()) out.push(key);
    return out;
  }

  async watch(onChange: (key: string, entry: KvEntry<T> | null) => void): Promise<KvWatch> {
    const watcher = await this.#kv.watch();
    void (async () => {
      for await (const entry of watcher) {
        if (entry.operation !== 'PUT') {
          onChange(entry.key, null);
          continue;
        }
        try {
          onChange(entry.key, {
            key: entry.key,
            value: entry.json<T>(),
            revision: entry.revision,
            writtenAt: entry.created.getTime(),
          });
        } catch {
          // A value that is not JSON is not ours to interpret: report it as absent.
          onChange(entry.key, null);
        }
      }
    })();
    return { stop: () => watcher.stop() };
  }
}

function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && (error.code === 10071 || error.code === 10164);
}
