/**
 * KV buckets on JetStream (ARCHITECTURE.md section 3): history 1, R1 unless the server serializes
 * replicated compare-and-set, max age as the bucket TTL. On 2.9 an entry that ages out leaves no
 * delete marker, so expiry is also checked against the entry's write time when it is read.
 */

import { JetStreamApiError, type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
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
  #jsm: Promise<JetStreamManager> | null = null;

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
    const bucketName = kvBucketName(this.#settings.prefix, name);
    const kv = await this.#kvm.create(bucketName, {
      history: 1,
      replicas: this.#settings.replicas,
      ...(options.maxAgeMs ? { ttl: options.maxAgeMs } : {}),
    });
    this.#jsm ??= jetstreamManager(this.#nc);
    return new JetStreamKvBucket<T>(
      kv,
      { jsm: await this.#jsm, bucket: bucketName },
      options.maxAgeMs ?? 0,
      this.#settings.clock ?? systemClock,
    );
  }
}

/** Where a bucket's keys are listed from: its stream's subjects. */
interface BucketStream {
  readonly jsm: JetStreamManager;
  readonly bucket: string;
}

class JetStreamKvBucket<T> implements KvBucket<T> {
  readonly #kv: KV;
  readonly #stream: BucketStream;
  readonly #maxAgeMs: number;
  readonly #clock: Clock;

  constructor(kv: KV, stream: BucketStream, maxAgeMs: number, clock: Clock) {
    this.#kv = kv;
    this.#stream = stream;
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

  /**
   * The live keys, from the bucket stream's subjects (one request, paged by nats.js) and a direct get
   * of each to leave out deleted and aged-out ones. Not nats.js's `kv.keys()`: that creates an ordered
   * consumer per call and leaves it on the server for its 5-minute inactivity threshold, so the
   * partition leases' listing of the members every turn kept ~150 idle consumers per bucket and
   * process alive, each looked at for every write to the bucket.
   */
  async keys(): Promise<string[]> {
    const { jsm, bucket } = this.#stream;
    const prefix = `$KV.${bucket}.`;
    const info = await jsm.streams.info(`KV_${bucket}`, { subjects_filter: `${prefix}>` });
    const candidates = Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length));
    const live = await Promise.all(candidates.map(async (key) => ((await this.get(key)) === null ? null : key)));
    return live.filter((key) => key !== null).sort();
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
