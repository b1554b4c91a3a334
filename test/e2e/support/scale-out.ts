/**
 * Watching a multi-process installation from outside, for the scale-out tests: who holds which
 * partition lease (the `leases` KV bucket), every job event as it is appended (the job stream), and a
 * steady open-loop load of submissions over HTTP. Only the adapters' read side is used; the test never
 * writes to the installation except through its API.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '../../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../../src/adapters/jetstream/kv-store.ts';
import type { LeaseRecord } from '../../../src/app/coordination/kv-lease-store.ts';
import type { KvBucket, KvWatch, Subscription } from '../../../src/app/ports.ts';
import { isTerminal, type JobStatus } from '../../../src/domain/job/events.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import { parseStreamId, partitionOf, streamId } from '../../../src/domain/shared/stream.ts';
import type { Api } from './api.ts';

/**
 * The process id inside a lease owner, `<host>-<pid>-<token>` (see `processOwner`): the token is six
 * base64url characters, which may themselves be `-`, so it is cut by length.
 */
export function ownerPid(owner: string): number | null {
  const match = /-(\d+)$/.exec(owner.slice(0, -7));
  return match === null || owner.at(-7) !== '-' ? null : Number(match[1]);
}

export interface HeldLease {
  readonly partition: number;
  readonly owner: string;
  readonly pid: number | null;
  readonly expiresAt: number;
}

/**
 * The partition leases of one role (`<role>.p<N>`), followed live from the installation's `leases`
 * bucket (a KV watch: no polling load on the server while a takeover is being timed).
 */
export class LeaseWatch {
  readonly #current = new Map<number, { owner: string; expiresAt: number }>();
  #watch: KvWatch | null = null;
  #bucket: KvBucket<LeaseRecord> | null = null;
  #members: KvBucket<{ owner: string }> | null = null;

  static async open(nc: NatsConnection, prefix: string, role: string): Promise<LeaseWatch> {
    const kv = new JetStreamKvStore(nc, { prefix, replicas: 1 });
    const bucket = await kv.bucket<LeaseRecord>('leases');
    const watch = new LeaseWatch();
    watch.#bucket = bucket;
    watch.#members = await kv.bucket<{ owner: string }>(role === 'scheduler' ? 'members' : `${role}-members`);
    const pattern = new RegExp(`^${role}\\.p(\\d+)$`);
    watch.#watch = await bucket.watch((key, entry) => {
      const match = pattern.exec(key);
      if (match === null) return;
      const partition = Number(match[1]);
      if (entry === null) watch.#current.delete(partition);
      else watch.#current.set(partition, { owner: entry.value.owner, expiresAt: entry.value.expires_at });
    });
    return watch;
  }

  /** The leases of the role that are held now (not expired), by partition. */
  held(now = Date.now()): Map<number, HeldLease> {
    const held = new Map<number, HeldLease>();
    for (const [partition, lease] of this.#current) {
      if (lease.expiresAt <= now) continue;
      held.set(partition, { partition, owner: lease.owner, pid: ownerPid(lease.owner), expiresAt: lease.expiresAt });
    }
    return held;
  }

  /** How many partitions each process (by pid) holds now. */
  countByPid(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const lease of this.held().values()) {
      if (lease.pid !== null) counts.set(lease.pid, (counts.get(lease.pid) ?? 0) + 1);
    }
    return counts;
  }

  /** The leases and members as read directly from the buckets now (for a failure's message). */
  async snapshot(): Promise<string> {
    const now = Date.now();
    const lines: string[] = [];
    for (const key of (await this.#bucket?.keys()) ?? []) {
      const entry = await this.#bucket?.get(key);
      if (entry === null || entry === undefined) continue;
      lines.push(
        `${key}: ${ownerPid(entry.value.owner)} expires in ${entry.value.expires_at - now} ms (rev ${entry.revision})`,
      );
    }
    for (const key of (await this.#members?.keys()) ?? []) {
      const entry = await this.#members?.get(key);
      if (entry !== null && entry !== undefined) lines.push(`member ${key}: written ${now - entry.writtenAt} ms ago`);
    }
    return lines.join('; ');
  }

  close(): void {
    this.#watch?.stop();
  }
}

export interface JobRecord {
  readonly jobId: string;
  readonly partition: number;
  submittedAt: number | null;
  /** Times of the job's `JobDispatched` events (one per hand-off recorded). */
  readonly dispatchedAt: number[];
  /** Events that moved the job from a non-terminal status into a terminal one. */
  terminalEvents: number;
  terminalAt: number | null;
  status: JobStatus | null;
  events: number;
  /** The highest attempt number its events name (1 unless it was retried). */
  attempt: number;
}

/**
 * Every job event of the installation, followed live from the job stream (position 1 on), folded into
 * one record per job: when it was submitted, dispatched, and how many times it entered a terminal
 * state. The record is the event store's truth, not the read model's.
 */
export class JobLedger {
  readonly jobs = new Map<string, JobRecord>();
  readonly #events: JetStreamEventStore;
  readonly #subscription: Subscription;
  readonly #partitions: number;
  readonly #tenant: string;

  private constructor(events: JetStreamEventStore, partitions: number, tenant: string) {
    this.#events = events;
    this.#partitions = partitions;
    this.#tenant = tenant;
    this.#subscription = events.subscribe('job', { from: 1 }, async (batch) => {
      for (const event of batch) this.#fold(event);
    });
  }

  /** Opens the installation's event streams with the settings `coretex start` gives them by default. */
  static async open(
    nc: NatsConnection,
    options: { prefix: string; partitions: number; tenant: string },
  ): Promise<JobLedger> {
    const events = await JetStreamEventStore.open(nc, {
      prefix: options.prefix,
      partitions: options.partitions,
      replicas: 1,
      hotWindowMs: 72 * 3_600_000,
      maxBytes: -1,
      duplicateWindowMs: 30_000,
    });
    return new JobLedger(events, options.partitions, options.tenant);
  }

  record(jobId: string): JobRecord {
    let record = this.jobs.get(jobId);
    if (record === undefined) {
      const partition = partitionOf(streamId('job', this.#tenant, jobId), this.#partitions);
      record = {
        jobId,
        partition,
        submittedAt: null,
        dispatchedAt: [],
        terminalEvents: 0,
        terminalAt: null,
        status: null,
        events: 0,
        attempt: 1,
      };
      this.jobs.set(jobId, record);
    }
    return record;
  }

  #fold(event: StoredEvent): void {
    const stream = parseStreamId(event.stream_id);
    if (stream === null) return;
    const record = this.record(stream.id);
    const at = Date.parse(event.time);
    const data = event.data as { status_before?: JobStatus; status_after?: JobStatus; attempt?: number };
    record.events++;
    if (typeof data.attempt === 'number') record.attempt = Math.max(record.attempt, data.attempt);
    if (event.type === 'JobSubmitted') record.submittedAt = at;
    if (event.type === 'JobDispatched') record.dispatchedAt.push(at);
    if (data.status_after !== undefined) {
      const entered =
        isTerminal(data.status_after) && (data.status_before === undefined || !isTerminal(data.status_before));
      if (entered) {
        record.terminalEvents++;
        record.terminalAt = at;
      }
      record.status = data.status_after;
    }
  }

  async close(): Promise<void> {
    await this.#subscription.stop();
    await this.#events.close();
  }
}

export interface Accepted {
  readonly jobId: string;
  readonly at: number;
}

/**
 * An open-loop load: `ratePerSecond` submissions, paced by the clock (not by the answers), so a slow
 * or missing control plane shows as latency and backlog rather than as a lower offered rate. A job is
 * "accepted" when the API answered 2xx with a `job_id`.
 */
export class SteadyLoad {
  readonly accepted: Accepted[] = [];
  readonly refused: string[] = [];
  readonly #api: Api;
  readonly #ratePerSecond: number;
  readonly #body: () => Record<string, unknown>;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #offered = 0;
  #startedAt = 0;

  constructor(api: Api, ratePerSecond: number, body: () => Record<string, unknown>) {
    this.#api = api;
    this.#ratePerSecond = ratePerSecond;
    this.#body = body;
  }

  get offered(): number {
    return this.#offered;
  }

  start(): void {
    this.#startedAt = Date.now();
    // Pacing, not synchronisation: each tick submits what the rate owes since the start.
    this.#timer = setInterval(() => {
      const owed = Math.floor(((Date.now() - this.#startedAt) * this.#ratePerSecond) / 1000) - this.#offered;
      for (let i = 0; i < owed; i++) this.#submitOne();
    }, 20);
  }

  /** Stops offering, and waits for the answers to what was offered. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await Promise.all([...this.#inFlight]);
  }

  #submitOne(): void {
    this.#offered++;
    const sent = this.#api
      .post<{ job_id?: string }>('/api/v1/jobs', this.#body())
      .then((answer) => {
        if (answer.status < 300 && typeof answer.body.job_id === 'string') {
          this.accepted.push({ jobId: answer.body.job_id, at: Date.now() });
        } else {
          this.refused.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        }
      })
      .catch((error: unknown) => {
        this.refused.push(String(error));
      })
      .finally(() => this.#inFlight.delete(sent));
    this.#inFlight.add(sent);
  }
}

/** Connects the test's own observer connection. */
export function observe(natsUrl: string): Promise<NatsConnection> {
  return connect({ servers: natsUrl.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
}

/** Completions per second in `[from, to)`, from the ledger's terminal times. */
export function completionRate(ledger: JobLedger, from: number, to: number): number {
  let done = 0;
  for (const job of ledger.jobs.values()) {
    if (job.terminalAt !== null && job.terminalAt >= from && job.terminalAt < to) done++;
  }
  return (done * 1000) / (to - from);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
