/**
 * The worker runtime (SPEC 7): takes hand-offs on its direct subject and its pool's topic queues,
 * accepts or refuses them (validity, stops that overtook their job, attempts already held, draining,
 * capacity), runs each (job, tenant, attempt) at most once, obeys stops, heartbeats into the registry,
 * and drains without losing work.
 */
import { randomUUID } from 'node:crypto';
import { OVERLOAD_SLOT_RATIO } from '../domain/dispatch/load.ts';
import type { DispatchMessage, HandOffReply, HeartbeatMessage } from '../domain/protocol/messages.ts';
import { protocolSubjects } from '../domain/protocol/messages.ts';
import { matchesTopicGlob } from '../domain/safety/topic-glob.ts';
import { AttemptRun, type JobHandler } from './attempt-run.ts';
import type { ExecutionLogEntry } from './execution-log.ts';
import { ExpiringMemory } from './expiring-memory.ts';
import type { ResolvedOptions } from './options.ts';
import { validateDispatch, validateStop } from './protocol-validation.ts';
import { CpuMeter, RegistryPresence } from './registry-presence.ts';
import { DurableReporter } from './reporter.ts';
import type { TransportMessage, TransportSubscription, WorkerRegistryBucket, WorkerTransport } from './transport.ts';

export type WorkerState = 'running' | 'draining' | 'closed';

export interface Worker {
  readonly worker_id: string;
  /** This process's claim on the worker id. */
  readonly instance: string;
  readonly state: WorkerState;
  /** Executions whose handler has not returned yet. */
  readonly activeJobs: number;
  /**
   * Stops taking work, lets in-flight executions finish within `graceMs` (default 30 s), aborts the
   * rest and reports them `FAILED` retryable (`worker_draining`), waits for every report to be
   * acknowledged, deletes the registry entry and closes. Calling it again returns the same promise.
   */
  drain(options?: { readonly graceMs?: number }): Promise<void>;
  /** A drain without grace. */
  close(): Promise<void>;
}

export interface WorkerParts {
  readonly settings: ResolvedOptions;
  readonly transport: WorkerTransport;
  readonly registry: WorkerRegistryBucket<HeartbeatMessage>;
  readonly handler: JobHandler;
  readonly log: (entry: ExecutionLogEntry) => void;
}

function attemptKey(tenant: string, jobId: string, attempt: number): string {
  return `${tenant}\u0000${jobId}\u0000${attempt}`;
}

/** A topic glob as a subscription subject: NATS has no partial-segment wildcard, so `job.a*` listens on `job.*` (hand-offs are checked against the glob). */
function globSubject(glob: string): string {
  return glob
    .split('.')
    .map((segment) => (segment === '**' || segment === '>' ? '>' : segment.includes('*') ? '*' : segment))
    .join('.');
}

/**
 * Heartbeats announcing freed capacity come at most this often: a saturated worker frees a slot with
 * every job it finishes, and the schedulers need to hear of room soon, not once per job.
 */
const CAPACITY_BEAT_GAP_MS = 50;
export class RuntimeWorker implements Worker {
  readonly worker_id: string;
  readonly instance = randomUUID();
  readonly #settings: ResolvedOptions;
  readonly #transport: WorkerTransport;
  readonly #parts: WorkerParts;
  readonly #reporter: DurableReporter;
  readonly #presence: RegistryPresence;
  readonly #cpu = new CpuMeter();
  readonly #running = new Map<string, AttemptRun>();
  /** Attempts that ran here recently, with when they started: asked again, they are accepted, not rerun. */
  readonly #finished: ExpiringMemory<number>;
  /** Stopped attempts: a stop that overtakes its job still wins. */
  readonly #stopped: ExpiringMemory<string>;
  readonly #startedAt = Date.now();
  readonly #idleWaiters = new Set<() => void>();
  #state: WorkerState = 'running';
  #directSubscription: TransportSubscription | null = null;
  #queueSubscriptions: TransportSubscription[] = [];
  #stopSubscriptions: TransportSubscription[] = [];
  /**
   * What schedulers believe of this worker's load: the active jobs of its last heartbeat plus the
   * hand-offs since (they count each assignment until the next heartbeat). When that looks overloaded,
   * a freed slot is announced at once, or schedulers would leave the worker idle until the next beat.
   */
  #activeAtBeat = 0;
  #handOffsSinceBeat = 0;
  #drained: Promise<void> | null = null;

  constructor(parts: WorkerParts) {
    this.#parts = parts;
    this.#settings = parts.settings;
    this.#transport = parts.transport;
    this.worker_id = parts.settings.workerId;
    const memory = { ttlMs: this.#settings.attemptMemoryTtlMs, maxEntries: this.#settings.attemptMemoryMaxEntries };
    this.#finished = new ExpiringMemory(memory);
    this.#stopped = new ExpiringMemory(memory);
    this.#reporter = new DurableReporter({
      transport: parts.transport,
      largeResultBytes: this.#settings.largeResultBytes,
      resultTtlMs: this.#settings.resultTtlMs,
      retryInitialMs: this.#settings.reportRetryInitialMs,
      retryMaxMs: this.#settings.reportRetryMaxMs,
      onError: this.#settings.onError,
    });
    this.#presence = new RegistryPresence({
      bucket: parts.registry,
      workerId: this.worker_id,
      ttlMs: this.#settings.registryTtlMs,
      intervalMs: this.#settings.heartbeatIntervalMs,
      minGapMs: CAPACITY_BEAT_GAP_MS,
      heartbeat: () => this.#heartbeat(),
      onError: this.#settings.onError,
    });
  }

  get state(): WorkerState {
    return this.#state;
  }

  get activeJobs(): number {
    return this.#running.size;
  }

  /** Claims the worker id, then listens (stops first, so none is missed) and heartbeats. */
  async start(): Promise<void> {
    await this.#presence.claim();
    const s = this.#settings;
    const subjects = protocolSubjects(s.prefix);
    const onStop = (message: TransportMessage) => this.#onStop(message);
    this.#stopSubscriptions = [
      this.#transport.subscribe(subjects.workerCancel(s.workerId), onStop),
      // Every pool member hears a pool stop: whichever holds (or will be handed) the attempt obeys it.
      this.#transport.subscribe(subjects.queueCancel(s.pool), onStop),
    ];
    const queueCancel = subjects.queueCancel(s.pool);
    const queueSubjects =
      s.topics.length === 0
        ? [subjects.queueJobs(s.pool, '>')]
        : s.topics.map((glob) => subjects.queueJobs(s.pool, globSubject(glob)));
    this.#directSubscription = this.#transport.subscribe(subjects.directJobs(s.workerId), (message) =>
      this.#onHandOff(message, false),
    );
    this.#queueSubscriptions = [...new Set(queueSubjects)].map((subject) =>
      this.#transport.subscribe(
        subject,
        (message) => {
          // `q.<pool>.>` also matches the pool's stop subject, which has its own subscription.
          if (message.subject !== queueCancel) this.#onHandOff(message, true);
        },
        { queue: s.pool },
      ),
    );
    await this.#transport.flush();
    this.#presence.start();
  }

  drain(options: { readonly graceMs?: number } = {}): Promise<void> {
    this.#drained ??= this.#drain(options.graceMs ?? 30_000);
    return this.#drained;
  }

  close(): Promise<void> {
    return this.drain({ graceMs: 0 });
  }

  #onHandOff(message: TransportMessage, viaQueue: boolean): void {
    const read = this.#settings.handOffDelayMs;
    if (read > 0) setTimeout(() => this.#answerHandOff(message, viaQueue), read);
    else this.#answerHandOff(message, viaQueue);
  }

  #answerHandOff(message: TransportMessage, viaQueue: boolean): void {
    const reply = this.#handOff(message.data, viaQueue);
    const delay = this.#settings.acceptDelayMs;
    if (delay > 0) setTimeout(() => message.respond(reply), delay);
    else message.respond(reply);
  }

  #handOff(data: unknown, viaQueue: boolean): HandOffReply {
    const refuse = (reason: string): HandOffReply => ({ accepted: false, worker_id: this.worker_id, reason });
    const accept = (startedAt: number): HandOffReply => ({
      accepted: true,
      worker_id: this.worker_id,
      started_at: startedAt,
    });
    const parsed = validateDispatch(data);
    if (!parsed.ok) return refuse(`invalid_dispatch: ${parsed.error}`);
    const job = parsed.value;
    this.#handOffsSinceBeat++;
    const refused = (reason: string): HandOffReply => {
      this.#logRefusal(job, reason);
      return refuse(reason);
    };
    const key = attemptKey(job.tenant, job.job_id, job.attempt);
    if (this.#stopped.has(key)) return refused('stopped');
    const held = this.#running.get(key)?.startedAt ?? this.#finished.get(key);
    if (held !== undefined) return accept(held);
    if (this.#state !== 'running') return refused('draining');
    if (viaQueue && !this.#servesTopic(job)) return refused('topic_not_served');
    if (this.#running.size >= this.#settings.maxParallel) return refused('busy');
    return accept(this.#run(job, key).startedAt);
  }

  #logRefusal(job: DispatchMessage, reason: string): void {
    this.#parts.log({
      event: 'refuse',
      job_id: job.job_id,
      tenant: job.tenant,
      attempt: job.attempt,
      token: job.token,
      worker_id: this.worker_id,
      instance: this.instance,
      at: Date.now(),
      reason,
    });
  }

  #servesTopic(job: DispatchMessage): boolean {
    const topics = this.#settings.topics;
    return topics.length === 0 || topics.some((glob) => matchesTopicGlob(glob, job.topic));
  }

  #run(job: DispatchMessage, key: string): AttemptRun {
    const run = new AttemptRun(job, {
      handler: this.#parts.handler,
      workerId: this.worker_id,
      instance: this.instance,
      transport: this.#transport,
      reporter: this.#reporter,
      log: this.#parts.log,
      startedReportGraceMs: this.#settings.startedReportGraceMs,
      progressIntervalMs: this.#settings.progressIntervalMs,
      now: Date.now,
      onFinish: () => this.#wakeIfIdle(),
    });
    this.#running.set(key, run);
    void run.settled.then(() => this.#onSettled(key, run));
    return run;
  }

  #onSettled(key: string, run: AttemptRun): void {
    const max = this.#settings.maxParallel;
    const wasFull = this.#running.size >= max;
    const looksFull = this.#activeAtBeat + this.#handOffsSinceBeat >= OVERLOAD_SLOT_RATIO * max;
    this.#running.delete(key);
    this.#finished.set(key, run.startedAt);
    // Jobs waiting for capacity are woken by a heartbeat showing it (SPEC 1.7): send one now, not in 5 s.
    if ((wasFull || looksFull) && this.#state === 'running') this.#presence.beatNow();
  }

  #onStop(message: TransportMessage): void {
    const parsed = validateStop(message.data);
    if (!parsed.ok) {
      this.#settings.onError(new Error(parsed.error), `ignored an invalid stop on ${message.subject}`);
      return;
    }
    const stop = parsed.value;
    const key = attemptKey(stop.tenant, stop.job_id, stop.attempt);
    this.#stopped.set(key, stop.reason);
    this.#running.get(key)?.abort('stopped', `stopped by the control plane: ${stop.reason}`);
  }

  #heartbeat(): HeartbeatMessage {
    const s = this.#settings;
    // A draining worker shows itself full, so schedulers stop choosing it while it winds down.
    const active = this.#state === 'running' ? this.#running.size : s.maxParallel;
    this.#activeAtBeat = active;
    this.#handOffsSinceBeat = 0;
    return {
      worker_id: s.workerId,
      instance: this.instance,
      pool: s.pool,
      topics: s.topics,
      active_jobs: active,
      max_parallel_jobs: s.maxParallel,
      capabilities: s.capabilities,
      labels: s.labels,
      cpu_load: this.#cpu.percent(),
      region: s.region,
      version: s.version,
      started_at: this.#startedAt,
      sent_at: Date.now(),
    };
  }

  #wakeIfIdle(): void {
    if ([...this.#running.values()].some((run) => !run.finished)) return;
    for (const wake of this.#idleWaiters) wake();
  }

  /** Resolves when every execution's outcome is decided, or after `graceMs`. */
  #idle(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, graceMs);
      this.#idleWaiters.add(done);
      this.#wakeIfIdle();
    });
  }

  async #drain(graceMs: number): Promise<void> {
    this.#state = 'draining';
    // Leave the topic queues so the pool's other members get that work; keep the direct subject until
    // the end to refuse `draining` (a clean refusal, where silence would cost the job its dispatch timeout).
    await Promise.all(this.#queueSubscriptions.map((sub) => sub.unsubscribe()));
    this.#queueSubscriptions = [];
    this.#presence.beatNow();
    await this.#idle(graceMs);
    for (const run of this.#running.values()) {
      run.abort('draining', `the worker is draining and its ${graceMs} ms grace is over`);
    }
    const abandoned = await this.#reporter.flush(this.#settings.reportFlushTimeoutMs);
    if (abandoned > 0) {
      this.#settings.onError(
        new Error(`${abandoned} report(s) were not acknowledged within ${this.#settings.reportFlushTimeoutMs} ms`),
        'close',
      );
    }
    const lastSubscriptions = [
      ...this.#stopSubscriptions,
      ...(this.#directSubscription === null ? [] : [this.#directSubscription]),
    ];
    await Promise.all(lastSubscriptions.map((sub) => sub.unsubscribe()));
    this.#directSubscription = null;
    this.#stopSubscriptions = [];
    await this.#presence.stop();
    await this.#transport.close();
    this.#state = 'closed';
  }
}
