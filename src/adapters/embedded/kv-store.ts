/**
 * The embedded key-value store: buckets with per-bucket revisions, compare-and-set and max age, like
 * JetStream KV. With a data directory each bucket is a JSON-lines log of writes, compacted on open,
 * so cursors and idempotency claims survive a restart of the embedded default.
 */
import { join } from 'node:path';
import type { Clock, KvBucket, KvBucketOptions, KvEntry, KvStore, KvWatch } from '../../app/ports.ts';
import { systemClock } from '../../app/ports.ts';
import { type FsyncPolicy, JsonLinesFile } from './json-lines-file.ts';

type LogRecord =
  | {
      readonly op: 'put';
      readonly key: string;
      readonly value: unknown;
      readonly revision: number;
      readonly at: number;
    }
  | { readonly op: 'del'; readonly key: string; readonly revision: number }
  /** Keeps the highest revision across a compaction that removed the key that had it. */
  | { readonly op: 'mark'; readonly revision: number };

export interface EmbeddedKvOptions {
  readonly dataDir: string | null;
  readonly fsync?: FsyncPolicy;
  readonly clock?: Clock;
}

export class EmbeddedKvStore implements KvStore {
  readonly #options: EmbeddedKvOptions;
  readonly #buckets = new Map<string, Promise<EmbeddedKvBucket<unknown>>>();

  constructor(options: EmbeddedKvOptions) {
    this.#options = options;
  }

  bucket<T>(name: string, options: KvBucketOptions = {}): Promise<KvBucket<T>> {
    let bucket = this.#buckets.get(name);
    if (bucket === undefined) {
      bucket = EmbeddedKvBucket.open(name, this.#options, options.maxAgeMs ?? 0);
      this.#buckets.set(name, bucket);
    }
    return bucket as Promise<KvBucket<T>>;
  }

  async close(): Promise<void> {
    for (const bucket of this.#buckets.values()) await (await bucket).close();
  }
}

class EmbeddedKvBucket<T> implements KvBucket<T> {
  readonly #entries = new Map<string, KvEntry<T>>();
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  #file: JsonLinesFile | null = null;
  #revision = 0;
  readonly #watchers = new Set<(key: string, entry: KvEntry<T> | null) => void>();

  private constructor(clock: Clock, maxAgeMs: number) {
    this.#clock = clock;
    this.#maxAgeMs = maxAgeMs;
  }

  static async open<T>(name: string, options: EmbeddedKvOptions, maxAgeMs: number): Promise<EmbeddedKvBucket<T>> {
    const bucket = new EmbeddedKvBucket<T>(options.clock ?? systemClock, maxAgeMs);
    if (options.dataDir === null) return bucket;
    const opened = await JsonLinesFile.open<LogRecord>(
      join(options.dataDir, 'kv', `${name}.jsonl`),
      options.fsync ?? 'always',
    );
    for (const record of opened.records) {
      bucket.#revision = Math.max(bucket.#revision, record.revision);
      if (record.op === 'put') {
        bucket.#entries.set(record.key, {
          key: record.key,
          value: record.value as T,
          revision: record.revision,
          writtenAt: record.at,
        });
      } else if (record.op === 'del') {
        bucket.#entries.delete(record.key);
      }
    }
    bucket.#dropExpired();
    // Compact: one record per live key, plus the highest revision so revisions keep growing.
    const live: LogRecord[] = [...bucket.#entries.values()].map((e) => ({
      op: 'put',
      key: e.key,
      value: e.value,
      revision: e.revision,
      at: e.writtenAt,
    }));
    if (!live.some((r) => r.revision === bucket.#revision) && bucket.#revision > 0) {
      live.push({ op: 'mark', revision: bucket.#revision });
    }
    await opened.file.rewrite(live);
    bucket.#file = opened.file;
    return bucket;
  }

  async get(key: string): Promise<KvEntry<T> | null> {
    return this.#live(key);
  }

  async create(key: string, value: T): Promise<number | null> {
    if (this.#live(key) !== null) return null;
    return this.#write(key, value);
  }

  async update(key: string, value: T, revision: number): Promise<number | null> {
    if (this.#live(key)?.revision !== revision) return null;
    return this.#write(key, value);
  }

  async put(key: string, value: T): Promise<number> {
    return this.#write(key, value);
  }

  async delete(key: string, revision?: number): Promise<boolean> {
    const current = this.#live(key);
    if (revision !== undefined && current?.revision !== revision) return false;
    this.#entries.delete(key);
    this.#announce(key, null);
    const record: LogRecord = { op: 'del', key, revision: ++this.#revision };
    await this.#file?.append(record);
    return true;
  }

  async keys(): Promise<string[]> {
    this.#dropExpired();
    return [...this.#entries.keys()];
  }

  async close(): Promise<void> {
    await this.#file?.close();
  }

  async watch(onChange: (key: string, entry: KvEntry<T> | null) => void): Promise<KvWatch> {
    this.#dropExpired();
    const snapshot = [...this.#entries.values()];
    this.#watchers.add(onChange);
    // Like a JetStream watch: the current entries first, delivered asynchronously.
    queueMicrotask(() => {
      for (const entry of snapshot) onChange(entry.key, entry);
    });
    return { stop: () => this.#watchers.delete(onChange) };
  }

  #announce(key: string, entry: KvEntry<T> | null): void {
    for (const watcher of this.#watchers) queueMicrotask(() => watcher(key, entry));
  }

  async #write(key: string, value: T): Promise<number> {
    const revision = ++this.#revision;
    const at = this.#clock.now();
    // Visible at once (so compare-and-set serializes), acknowledged once durable.
    const entry = { key, value, revision, writtenAt: at };
    this.#entries.set(key, entry);
    this.#announce(key, entry);
    await this.#file?.append({ op: 'put', key, value, revision, at } satisfies LogRecord);
    return revision;
  }

  #live(key: string): KvEntry<T> | null {
    const entry = this.#entries.get(key);
    if (entry === undefined) return null;
    if (this.#maxAgeMs > 0 && entry.writtenAt + this.#maxAgeMs <= this.#clock.now()) {
      this.#entries.delete(key);
      return null;
    }
    return entry;
  }

  #dropExpired(): void {
    for (const key of [...this.#entries.keys()]) this.#live(key);
  }
}
