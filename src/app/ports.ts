/**
 * The ports: what the use cases need from the outside world. Adapters (src/adapters) implement them;
 * only the composition root (src/main.ts) and test set-ups pick which. One contract suite per port
 * (test/contract) runs against every adapter.
 */
import type { StoredEvent } from '../domain/shared/events.ts';
import type { AggregateType, JobKind, StreamId } from '../domain/shared/stream.ts';
import type { ConfigLevels } from '../domain/config/effective.ts';
import type { EffectiveConfigKey } from '../domain/config/scope.ts';
import type { SafetyDecision } from '../domain/job/events.ts';
import type { SafetyView } from '../domain/safety/view.ts';
import type { ReadModelNamespace } from '../projections/projection.ts';
import type { RangeQuery, ReadModelReader, ScoredMember } from '../projections/reader.ts';
import type { Write } from '../projections/write.ts';

// ---------------------------------------------------------------------------------------------
// Event store

/** An event as a use case hands it to the store; the store adds id, stream id, tenant and position. */
export interface EventToAppend {
  readonly type: string;
  readonly data: unknown;
  readonly time: string;
  readonly actor: string;
  readonly schema_version?: number;
  readonly trace_id?: string | null;
  readonly causation_id?: string | null;
  readonly correlation_id?: string | null;
}

export interface AppendOptions {
  /** The aggregate's last position as the decider saw it; 0 means the aggregate must be new. */
  readonly expectedPosition: number;
  /**
   * Where a load of the aggregate should start once this event is stored: the `firstPosition` of the
   * history the decision was made on, or 0 when this event starts the history itself (the first
   * event, a snapshot). Required, because getting it wrong silently shortens every later load.
   */
  readonly firstPosition: number;
}

export interface AppendResult {
  readonly position: number;
  /** True when the store had already recorded this very event (a retried publish): nothing new. */
  readonly duplicate: boolean;
  readonly event: StoredEvent;
}

export interface AggregateHistory {
  /** Events from the load start (latest snapshot, else first event) or `from`, in order. */
  readonly events: readonly StoredEvent[];
  /** The aggregate's last position; 0 when it has no events. */
  readonly lastPosition: number;
  /** Where this history starts; pass it back as `AppendOptions.firstPosition`. 0 when empty. */
  readonly firstPosition: number;
}

export interface StreamFilter {
  /** Only aggregates of this partition. */
  readonly partition?: number;
  /** Jobs only: ad-hoc (`a`) or workflow step (`w`) jobs. */
  readonly kind?: JobKind;
}

export interface ReadAllOptions extends StreamFilter {
  /** First position to return (inclusive). */
  readonly from: number;
  readonly limit: number;
}

export interface SubscribeOptions extends StreamFilter {
  /** First position to deliver (inclusive). */
  readonly from: number;
  /** The most events handed to the handler at once. */
  readonly maxBatch?: number;
  /** Told of handler failures; the batch is redelivered after a backoff. */
  readonly onError?: (error: unknown, attempt: number) => void;
}

export interface Subscription {
  /** Stops delivery; resolves once the handler is no longer running. */
  stop(): Promise<void>;
  /** The position after the last batch the handler completed (the next one it would get). */
  readonly nextPosition: number;
}

/**
 * The event store. One stream per aggregate type; one aggregate per subject. Appends are one event
 * each, guarded by the expected position; subscriptions deliver in order, at least once (a batch whose
 * handler throws is delivered again), for one active reader per partition.
 */
export interface EventStore {
  append(stream: StreamId, event: EventToAppend, options: AppendOptions): Promise<AppendResult>;
  read(stream: StreamId, options?: { readonly from?: number }): Promise<AggregateHistory>;
  lastPosition(stream: StreamId): Promise<number>;
  readAll(type: AggregateType, options: ReadAllOptions): Promise<StoredEvent[]>;
  subscribe(
    type: AggregateType,
    options: SubscribeOptions,
    handler: (batch: readonly StoredEvent[]) => Promise<void>,
  ): Subscription;
  /** The stream's last position (0 when empty): the head that lag is measured against. */
  headPosition(type: AggregateType): Promise<number>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Key-value buckets (idempotency claims, leases, cursors, worker registry, tenant slots)

export interface KvEntry<T> {
  readonly key: string;
  readonly value: T;
  /** Monotonic per bucket: the compare-and-set token. */
  readonly revision: number;
  /** Epoch ms when this revision was written (by the store's clock). */
  readonly writtenAt: number;
}

export interface KvBucketOptions {
  /** Entries older than this are gone (0 = kept forever). Expiry counts from the entry's last write. */
  readonly maxAgeMs?: number;
}

export interface KvBucket<T> {
  get(key: string): Promise<KvEntry<T> | null>;
  /** Writes only if the key is absent; returns the new revision, or null if it exists. */
  create(key: string, value: T): Promise<number | null>;
  /** Writes only if the key is at `revision`; returns the new revision, or null on a mismatch. */
  update(key: string, value: T, revision: number): Promise<number | null>;
  /** Writes unconditionally; returns the new revision. */
  put(key: string, value: T): Promise<number>;
  /** Deletes (if at `revision`, when given); returns false on a revision mismatch. */
  delete(key: string, revision?: number): Promise<boolean>;
  keys(): Promise<string[]>;
  /**
   * Calls `onChange` with every current entry, then with each later write (the entry) or delete
   * (`null`), in order. Entries that age out may not be announced (nats-server 2.9 writes no marker):
   * watchers judge expiry from `writtenAt` themselves.
   */
  watch(onChange: (key: string, entry: KvEntry<T> | null) => void): Promise<KvWatch>;
}

export interface KvWatch {
  stop(): void;
}

export interface KvStore {
  bucket<T>(name: string, options?: KvBucketOptions): Promise<KvBucket<T>>;
}

// ---------------------------------------------------------------------------------------------
// Leases and cursors: one active reader/writer per partition or projection

export interface Lease {
  readonly name: string;
  readonly owner: string;
  /** Fencing token: strictly greater for every new holder of the same lease. */
  readonly token: number;
  /** Epoch ms after which another owner may take the lease. */
  readonly expiresAt: number;
  /** Adapter bookkeeping (e.g. the KV revision to compare-and-set against). */
  readonly revision: number;
}

export interface LeaseStore {
  /** Takes the lease if it is free, expired or already ours; null if someone else holds it. */
  acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null>;
  /** Extends a lease we hold; null if it was lost (expired and taken, or released). */
  renew(lease: Lease, ttlMs: number): Promise<Lease | null>;
  /** Gives the lease up; only the holder can. False if it was no longer ours. */
  release(lease: Lease): Promise<boolean>;
}

/** A process manager's read position in a stream. Saves only move it forward. */
export interface CursorStore {
  load(name: string): Promise<number>;
  save(name: string, position: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Blobs: the archive's segment objects (docs/retention.md). A JetStream object store bucket
// (`<prefix>_archive`) on NATS, a directory on the embedded default, S3-compatible stores later.

/**
 * Named byte objects, written whole. Names are `[A-Za-z0-9._-]` segments joined by `/` (no empty or
 * dot-only segment), so every adapter can use them as object names or relative paths unchanged.
 */
export interface BlobStore {
  /** Stores `data` under `name`, replacing what was there; a reader sees the old or the new object whole. */
  put(name: string, data: Uint8Array): Promise<void>;
  /** The object, or null when there is none. */
  get(name: string): Promise<Uint8Array | null>;
  /** The names that start with `prefix` (every name when omitted), sorted. */
  list(prefix?: string): Promise<string[]>;
  /** Removes the object; false when there was none. */
  delete(name: string): Promise<boolean>;
}

const BLOB_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Throws on a name the port does not allow (every adapter checks the same way). */
export function checkBlobName(name: string): void {
  if (name.length > 512 || !BLOB_NAME.test(name)) throw new Error(`invalid blob name: ${JSON.stringify(name)}`);
}

// ---------------------------------------------------------------------------------------------
// Read models (ARCHITECTURE.md section 4)

export interface CommitBatch {
  /** The fence: the batch applies only if the stored checkpoint is exactly this. */
  readonly expect: number;
  /** The checkpoint stored with the writes (the last position the batch covers). */
  readonly checkpoint: number;
  readonly writes: readonly Write[];
}

export type CommitResult = { readonly ok: true } | { readonly ok: false; readonly checkpoint: number };

export type { RangeQuery, ScoredMember };

export interface ActiveVersion {
  readonly version: number;
  readonly schema: number;
}

/**
 * Where read models live. Every projection version is a namespace whose keys share one hash tag, so a
 * batch commits atomically (one Lua script on Redis) and never spans slots on Redis Cluster.
 */
export interface ReadModelStore extends ReadModelReader {
  /** Applies the writes and the new checkpoint of `stream` atomically, if the fence holds. */
  commit(ns: ReadModelNamespace, stream: AggregateType, batch: CommitBatch): Promise<CommitResult>;
  checkpoint(ns: ReadModelNamespace, stream: AggregateType): Promise<number>;
  /** The version reads are served from, or null before the first build. */
  activeVersion(projection: string): Promise<ActiveVersion | null>;
  /** Switches reads to `next` if the active version is still `current` (compare-and-set). */
  switchVersion(projection: string, current: ActiveVersion | null, next: ActiveVersion): Promise<boolean>;
  /** A version number never handed out before for this projection. */
  allocateVersion(projection: string): Promise<number>;
  /** Deletes every key of a namespace; returns how many. */
  dropNamespace(ns: ReadModelNamespace): Promise<number>;
  /** Every key of a namespace with its content, for comparing two builds. */
  dump(ns: ReadModelNamespace): Promise<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// The bus (ARCHITECTURE.md section 6): core messages, request/reply hand-offs, and the durable
// capture of worker reports and bus submissions. NATS in production; in process for the embedded default.

export type RequestOutcome =
  | { readonly kind: 'reply'; readonly data: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'no_responders' };

export interface BusMessage {
  readonly subject: string;
  /** The decoded JSON body, or undefined when the body was not JSON (`raw` has it). */
  readonly data: unknown;
  readonly raw: string;
  /** Answers a request; does nothing for a plain publish. */
  respond(data: unknown): void;
}

export interface CapturedMessage {
  readonly position: number;
  readonly subject: string;
  readonly data: unknown;
  readonly raw: string;
}

export interface BusSubscription {
  unsubscribe(): void;
}

export interface Bus {
  publish(subject: string, data: unknown): void;
  request(subject: string, data: unknown, timeoutMs: number): Promise<RequestOutcome>;
  subscribe(
    subject: string,
    handler: (message: BusMessage) => void,
    options?: { readonly queue?: string },
  ): BusSubscription;
  /** Publishes into the durable capture (deduplicated by `id` within the window); returns its position. */
  capture(subject: string, data: unknown, id: string): Promise<number>;
  /** Reads captured messages matching `filter` in order from a position, at least once. */
  readCaptured(
    filter: string,
    options: {
      readonly from: number;
      readonly maxBatch?: number;
      readonly onError?: (error: unknown, attempt: number) => void;
    },
    handler: (batch: readonly CapturedMessage[]) => Promise<void>,
  ): Subscription;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Metrics the runtime reports (SPEC 6, 8): counters and histograms as things happen; gauges are
// read by the metrics adapter at scrape time.

export interface RuntimeMetrics {
  reportHandled(outcome: 'recorded' | 'ignored' | 'malformed'): void;
  handOff(outcome: 'accepted' | 'refused' | 'no_responders' | 'timeout'): void;
  /** From the job's submission to its hand-off being accepted. */
  dispatchLatency(seconds: number): void;
  reconcilerAction(
    action: 'timeout' | 'approval_expired' | 'woken' | 'snapshot' | 'slot_repaired' | 'reevaluated' | 'run_timers',
  ): void;
  parked(source: string): void;
}

export const noMetrics: RuntimeMetrics = {
  reportHandled: () => {},
  handOff: () => {},
  dispatchLatency: () => {},
  reconcilerAction: () => {},
  parked: () => {},
};

// ---------------------------------------------------------------------------------------------
// Named crash points (ARCHITECTURE.md section 7): fault tests stop the process at exact windows.

export interface CrashPoints {
  /** Exits the process hard if this point is armed (off unless CORETEX_CRASH_AT names it). */
  hit(point: string): void;
}

export const noCrashPoints: CrashPoints = { hit: () => {} };

// ---------------------------------------------------------------------------------------------
// Logging: structured, pino-compatible (`log.info({ job_id }, 'message')`).

export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// ---------------------------------------------------------------------------------------------
// Config, safety, entropy: what the job runtime asks of the outside world

/** The config documents an effective config is merged from (system → org → team → workflow → step). */
export interface ConfigSource {
  levels(key: EffectiveConfigKey): Promise<ConfigLevels>;
  /** Told whenever any config document changes (so caches can drop what they hold). */
  onChange(listener: () => void): () => void;
}

/** A safety kernel over HTTP (SPEC 1.4): the same view in, a decision out; throws when unavailable. */
export interface RemoteKernel {
  evaluate(url: string, view: SafetyView, timeoutMs: number): Promise<SafetyDecision>;
}

/** Randomness and fresh identifiers, injected so decisions stay reproducible in tests. */
export interface Entropy {
  /** Uniform in [0, 1). */
  random(): number;
  /** A dispatch token: unguessable, subject-safe. */
  token(): string;
  /** A new sortable id (ULID). */
  ulid(now: number): string;
}

export interface Hasher {
  sha256(text: string): string;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
