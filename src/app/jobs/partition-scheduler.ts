/**
 * The scheduler of one partition (ARCHITECTURE.md section 5), run by whichever process holds the
 * partition's lease. Inputs:
 *   - the partition's job events, from its cursor: the outbox — each event's reaction runs (hand-off,
 *     stop, slot, DLQ) and PENDING jobs are considered for dispatch at their due time;
 *   - captured worker reports (`sys.job.result.<p>`), from their cursor; progress (core);
 *   - wake-ups: due jobs from the reconciler (`sys.job.due.<p>`), spare worker capacity, a tenant's
 *     freed slot, the safety breaker closing — which read the wait queues of this partition
 *     (waiting-jobs.ts).
 * Reactions run concurrently; each cursor is saved at the low watermark of finished work, so a crash
 * replays what may not have happened and every reaction is safe to repeat.
 */
import type { JobRequest, Priority } from '../../domain/job/request.ts';
import type { WorkerHeartbeat } from '../../domain/dispatch/registry.ts';
import { eligiblePools } from '../../domain/dispatch/routing.ts';
import { releaseOrder } from '../../domain/dispatch/release-order.ts';
import type { SafetyInput } from '../../domain/job/commands.ts';
import type { JobEvent } from '../../domain/job/events.ts';
import type { WaitQueue } from '../../domain/job/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { parseStreamId, type StreamId, streamId } from '../../domain/shared/stream.ts';
import type { BusSubscription, CursorStore, Subscription } from '../ports.ts';
import { SavedCursors } from '../saved-cursors.ts';
import type { CapacityWaker } from './capacity-share.ts';
import { scheduleJob } from './dispatch.ts';
import { reactTo } from './reactions.ts';
import { type ReportCounters, recordProgress, recordReport } from './reports.ts';
import type { JobRuntime } from './runtime.ts';
import { type Ready, type WaiterNeeds, WaitingJobs } from './waiting-jobs.ts';

/** Timers are kept only for jobs due this soon; later ones are woken by the reconciler. */
const TIMER_HORIZON_MS = 120_000;
const MAX_IN_FLIGHT = 4096;
/** Scheduling decisions (each up to its hand-off's reply) in flight per partition. */
const MAX_SCHEDULING = 256;
/** With more jobs ready than places, a release pass waits for this many places (see #release)… */
const RELEASE_BATCH = 32;
/** …or this long. */
const RELEASE_WAIT_MS = 5;

export class PartitionScheduler implements CapacityWaker {
  readonly partition: number;
  readonly counters: ReportCounters = { recorded: 0, ignored: 0, malformed: 0 };
  readonly #rt: JobRuntime;
  readonly #cursors: SavedCursors<'jobs' | 'reports'>;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #ready = new Map<string, Ready>();
  readonly #again = new Set<string>();
  readonly #scheduling = new Set<string>();
  /** Safety answers of jobs held in memory for capacity, not recorded yet (see CapacityHold). */
  readonly #kept = new Map<string, SafetyInput>();
  readonly #waiting: WaitingJobs;
  #rotation: Partial<Record<Priority, string>> = {};
  #subscriptions: Subscription[] = [];
  #core: BusSubscription[] = [];
  #unlisten: (() => void)[] = [];
  #pumpQueued = false;
  #releaseTimer: NodeJS.Timeout | null = null;
  #stopped = false;
  #sequence = 0;

  constructor(rt: JobRuntime, cursors: CursorStore, partition: number) {
    this.#rt = rt;
    this.partition = partition;
    this.#waiting = new WaitingJobs(
      rt,
      partition,
      (stream, priority, position) => this.#consider(stream, priority, position),
      (what) => this.#onError(what),
    );
    this.#cursors = new SavedCursors(
      cursors,
      { jobs: `scheduler.jobs.p${partition}`, reports: `scheduler.reports.p${partition}` },
      (error) => this.#onError('cursor save')(error, 1),
    );
  }

  async start(): Promise<void> {
    const p = this.partition;
    const rt = this.#rt;
    // Taking the partition (over): what this process remembers of its jobs may predate another owner.
    rt.jobs.forgetPartition(p, rt.options.partitions);
    const from = await this.#cursors.start();
    this.#subscriptions.push(
      rt.events.subscribe(
        'job',
        { partition: p, from: from.jobs, maxBatch: 512, onError: this.#onError('job events') },
        (batch) => this.#onJobEvents(batch),
      ),
      rt.bus.readCaptured(
        rt.subjects.result(p),
        { from: from.reports, maxBatch: 512, onError: this.#onError('reports') },
        (batch) => this.#onReports(batch),
      ),
    );
    this.#core.push(
      rt.bus.subscribe(
        rt.subjects.progress(p),
        (message) => void recordProgress(rt, message).catch(this.#onError('progress')),
      ),
      rt.bus.subscribe(rt.subjects.due(p), (message) => this.#onDue(message.data)),
      rt.bus.subscribe(rt.subjects.tenantFreed('*'), (message) => {
        const tenant = (message.data as { tenant?: unknown } | undefined)?.tenant;
        if (typeof tenant === 'string') void this.wakeQueue('tenant_limit', tenant);
      }),
    );
    this.#unlisten.push(
      rt.capacity.join(this),
      // A changed config may lift a tenant's limit, a pause or a cordon: what waits on it gets a look now.
      rt.config.onChange(() => {
        void this.wakeQueues('tenant_limit');
        void this.wakeQueues('paused');
        void this.wakeQueues('capacity');
      }),
      rt.safety.onClosed(() => void this.wakeQueue('deferred', '')),
      rt.safety.onProbeDue((probes) => void this.wakeQueue('deferred', '', probes)),
    );
    // Whatever waited while nobody owned this partition gets a look now.
    void this.wakeQueues('capacity');
    void this.wakeQueues('tenant_limit');
    void this.wakeQueue('deferred', '');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#waiting.stop();
    for (const unlisten of this.#unlisten) unlisten();
    for (const sub of this.#core) sub.unsubscribe();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    if (this.#releaseTimer !== null) clearTimeout(this.#releaseTimer);
    this.#timers.clear();
    await Promise.all(this.#subscriptions.map((s) => s.stop()));
    await this.#cursors.stop();
  }

  /** Positions still being worked on (for tests and status). */
  get inFlight(): number {
    return this.#cursors.inFlight;
  }

  /** Looks at the head of one of this partition's wait queues (`key`: the tenant or topic). */
  wakeQueue(queue: WaitQueue, key: string, limit?: number): Promise<void> {
    return this.#waiting.wakeQueue(queue, key, limit);
  }

  /** Looks at every queue of a kind in this partition (see WaitingJobs.wakeQueues). */
  wakeQueues(queue: Exclude<WaitQueue, 'deferred'>): Promise<void> {
    return this.#waiting.wakeQueues(queue);
  }

  /**
   * A worker has room (the process's CapacityShare asks the partitions in turn): of the jobs in memory,
   * only as many as `room` and only ones it could take are woken (under saturation a slot frees with
   * each result; waking every waiting job each time made the scheduler's work quadratic).
   */
  wakeForCapacity(worker: WorkerHeartbeat, room: number): number {
    return this.#waiting.wakeRecent('capacity', null, room, worker);
  }

  wakeStoredForCapacity(): void {
    void this.#waiting.wakeStoredSoon('capacity');
  }

  async #onJobEvents(batch: readonly StoredEvent[]): Promise<void> {
    for (const event of batch) {
      this.#rt.jobs.observe(event);
      const stream = parseStreamId(event.stream_id);
      if (stream === null) continue;
      // A job that left PENDING (dispatched, cancelled, timed out) is no recent waiter any more: a wake
      // for capacity spends its room on the waiters it finds, and would waste it on this one.
      if ((event.data as Partial<JobEvent['data']>).status_after !== 'PENDING') {
        this.#waiting.forget(`${stream.tenant}/${stream.id}`);
      }
      const tracker = this.#cursors.tracker('jobs');
      tracker.begin(event.position);
      void this.#react(event, stream).finally(() => tracker.end(event.position));
      while (tracker.inFlight > MAX_IN_FLIGHT && !this.#stopped) await delay(5);
    }
  }

  async #react(event: StoredEvent, stream: StreamId): Promise<void> {
    try {
      // Never dropped: retried with backoff, parked (with an alert) if it keeps failing.
      await this.#rt.parking.attempt('job-event', event.position, event.stream_id, event, () =>
        reactTo(this.#rt, event, stream),
      );
      const data = event.data as JobEvent['data'];
      if (data.status_after === 'PENDING' && data.due_at !== null) {
        const job = await this.#rt.jobs.load(stream, { atLeast: event.position });
        // React to the job as it is now: a replayed old event of a job that moved on does nothing.
        if (job.state.status === 'PENDING' && job.position === event.position) {
          this.#consider(stream, job.state.request.priority, event.position, job.state.due_at);
        }
      }
    } catch (error) {
      this.#onError('reaction')(error, 1);
    }
  }

  async #onReports(batch: readonly { position: number; subject: string; data: unknown; raw: string }[]): Promise<void> {
    const tracker = this.#cursors.tracker('reports');
    for (const message of batch) {
      tracker.begin(message.position);
      void this.#rt.parking
        .attempt('report', message.position, message.subject, message, () =>
          recordReport(this.#rt, message, this.counters),
        )
        .catch(this.#onError('report'))
        .finally(() => tracker.end(message.position));
      while (tracker.inFlight > MAX_IN_FLIGHT && !this.#stopped) await delay(5);
    }
  }

  #onDue(data: unknown): void {
    const jobs = (data as { jobs?: unknown } | undefined)?.jobs;
    if (!Array.isArray(jobs)) return;
    for (const job of jobs as { tenant?: unknown; job_id?: unknown }[]) {
      if (typeof job.tenant === 'string' && typeof job.job_id === 'string') {
        this.#consider(streamId('job', job.tenant, job.job_id), 'batch', 0);
      }
    }
  }

  /** Dispatches the job when it is due: now (in release order), or later by a timer. */
  #consider(stream: StreamId, priority: Priority | 'batch', position: number, dueAt = 0): void {
    if (this.#stopped) return;
    const key = `${stream.tenant}/${stream.id}`;
    const wait = dueAt - this.#rt.clock.now();
    const existing = this.#timers.get(key);
    if (existing !== undefined) clearTimeout(existing);
    this.#timers.delete(key);
    if (wait > 0) {
      if (wait <= TIMER_HORIZON_MS) {
        this.#timers.set(
          key,
          setTimeout(() => {
            this.#timers.delete(key);
            this.#consider(stream, priority, position);
          }, wait),
        );
      }
      return;
    }
    if (this.#scheduling.has(key)) {
      this.#again.add(key);
      return;
    }
    this.#ready.set(key, {
      key,
      stream,
      job_id: stream.id,
      tenant: stream.tenant,
      priority,
      position: position || ++this.#sequence,
    });
    this.#pump();
  }

  /**
   * Releases ready jobs in release order (priority class, then round-robin over tenants, then FIFO)
   * into a window of at most MAX_SCHEDULING decisions in flight; each one that finishes makes room for
   * the next. (Releasing in batches and awaiting each whole batch let one slow hand-off — up to its
   * timeout — hold every job behind it.) One release pass per event-loop turn, however many finish.
   */
  #pump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    setImmediate(() => {
      this.#pumpQueued = false;
      this.#release();
    });
  }

  #release(waited = false): void {
    const room = MAX_SCHEDULING - this.#scheduling.size;
    if (this.#stopped || room <= 0 || this.#ready.size === 0) return;
    // Each pass orders every ready job. With a backlog, a pass per freed place (one or two per turn)
    // made that quadratic; waiting for a few places (more decisions in flight finish meanwhile, each
    // calling back here) spreads one ordering over many releases. Without a backlog nothing waits.
    // Never for long: decisions wait for their hand-off's reply, which a hung worker delays up to its
    // timeout, so a pass that waited RELEASE_WAIT_MS goes with the places there are.
    if (this.#scheduling.size > 0 && room < Math.min(this.#ready.size, RELEASE_BATCH)) {
      this.#releaseTimer ??= setTimeout(() => {
        this.#releaseTimer = null;
        this.#release(true);
      }, RELEASE_WAIT_MS);
      if (!waited) return;
    }
    if (this.#releaseTimer !== null) {
      clearTimeout(this.#releaseTimer);
      this.#releaseTimer = null;
    }
    const order = releaseOrder(
      [...this.#ready.values()],
      { inFlight: {}, limits: { max_concurrent: null, tenants: {} }, rotation: this.#rotation },
      room,
    );
    this.#rotation = { ...order.rotation };
    for (const ready of order.released) {
      this.#ready.delete(ready.key);
      // Out of the recent waiters while it is looked at (back in if it waits again): a wake for capacity
      // spends the room on the jobs it finds there, and one already on its way would waste it.
      this.#waiting.forget(ready.key);
      this.#scheduling.add(ready.key);
      const hold = { graceMs: this.#rt.options.capacityGraceMs, kept: this.#kept.get(ready.key) ?? null };
      void scheduleJob(this.#rt, ready.stream, hold)
        .then((outcome) => {
          if (typeof outcome === 'object') return this.#rememberHeld(ready, outcome.safety);
          this.#kept.delete(ready.key);
          // Still waiting (newly, or again without a new event): remembered for the next wake.
          return outcome === 'scheduled' ? undefined : this.#rememberWaiting(ready);
        })
        .catch((error: unknown) => {
          this.#kept.delete(ready.key);
          this.#onError('schedule')(error, 1);
        })
        .finally(() => {
          this.#scheduling.delete(ready.key);
          if (this.#again.delete(ready.key)) this.#consider(ready.stream, ready.priority, ready.position);
          else this.#pump();
        });
    }
  }

  /**
   * A wake can come before the read model shows a job that just started waiting (a worker's result
   * frees a slot in the same moment): such jobs are also kept here for a while and woken from memory.
   */
  async #rememberWaiting(ready: Ready): Promise<void> {
    const job = await this.#rt.jobs.load(ready.stream);
    const state = job.state;
    if (state.status !== 'PENDING' || state.hold.kind !== 'queue') return;
    const queue = state.hold.queue;
    if (queue === 'deferred' && this.#rt.safety.status() === 'closed') {
      // The breaker closed while this job was being deferred (its kernel call failed or found the
      // breaker open, another job's probe then succeeded): the wake that announced it came too early
      // for this job, and no other would come. Bounded: failures with a closed breaker open it.
      this.#consider(ready.stream, ready.priority, ready.position);
      return;
    }
    const key = queue === 'tenant_limit' ? state.request.tenant : queue === 'deferred' ? '' : state.request.topic;
    this.#waiting.remember(ready, queue, key, await this.#needsOf(state.request));
  }

  async #needsOf(request: JobRequest): Promise<WaiterNeeds> {
    const config = await this.#rt.config.forJob(request);
    return {
      topic: request.topic,
      requires: request.requires,
      pools: eligiblePools(config.settings.routing, request.topic, request.requires),
    };
  }

  /**
   * A job held in memory for capacity (no event): woken with the capacity queue's recent waiters, and
   * considered again when its grace ends, when it enters the queue for real if there is still no room.
   */
  async #rememberHeld(ready: Ready, safety: SafetyInput): Promise<void> {
    // First the timer (the grace counts from when the job became due, so this is at or after its end):
    // whatever fails below, the job is looked at again and enters the queue for real.
    this.#consider(
      ready.stream,
      ready.priority,
      ready.position,
      this.#rt.clock.now() + this.#rt.options.capacityGraceMs,
    );
    this.#kept.set(ready.key, safety);
    const job = await this.#rt.jobs.load(ready.stream);
    const state = job.state;
    if (state.status !== 'PENDING') {
      this.#kept.delete(ready.key);
      return;
    }
    this.#waiting.remember(ready, 'capacity', state.request.topic, await this.#needsOf(state.request));
  }

  #onError(what: string): (error: unknown, attempt?: number) => void {
    return (error, attempt = 1) =>
      this.#rt.log.error({ partition: this.partition, what, attempt, err: error }, `scheduler ${what} failed`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
