/**
 * Waking the jobs of one partition that wait in a queue (SPEC 1.7: capacity, tenant limit, pause,
 * deferred), for its PartitionScheduler, which considers each job woken. Two sources:
 *   - memory: the jobs this scheduler just put in a wait queue, for RECENT_WAIT_MS — a wake can come
 *     before the read model shows a job that just started waiting (a worker's result frees a slot in
 *     the same moment), and a wake for one worker's room looks only at the jobs it could take;
 *   - the read model (`job_queues`): the head of each queue, for jobs waiting longer than memory keeps
 *     them, read once a second at most per kind of queue, the last wake never dropped.
 */
import { couldServe } from '../../domain/dispatch/choose-target.ts';
import type { WorkerHeartbeat } from '../../domain/dispatch/registry.ts';
import type { WaitQueue } from '../../domain/job/events.ts';
import type { Priority } from '../../domain/job/request.ts';
import { type StreamId, streamId } from '../../domain/shared/stream.ts';
import { queueIndexKey, queueKey } from '../../projections/job-queues/projection.ts';
import type { JobRuntime } from './runtime.ts';

/** How long a job this scheduler put in a wait queue is woken from memory as well as from the read model. */
const RECENT_WAIT_MS = 10_000;
/** The least time between two reads of one kind of wait queue from the read model. */
const STORE_WAKE_INTERVAL_MS = 1_000;
/** The most jobs of one wait queue a read from the read model looks at. */
const STORE_WAKE_LIMIT = 256;

/** A job ready to be considered for dispatch. */
export interface Ready {
  readonly key: string;
  readonly stream: StreamId;
  readonly job_id: string;
  readonly tenant: string;
  readonly priority: Priority;
  readonly position: number;
}

/** What a worker needs to take the job (a capacity wake for one worker wakes only those it could). */
export interface WaiterNeeds {
  readonly topic: string;
  readonly requires: readonly string[];
  readonly pools: readonly string[];
}

/** A job this scheduler just put in a wait queue (the read model may not show it yet). */
interface RecentWaiter {
  readonly ready: Ready;
  readonly queue: WaitQueue;
  /** The queue's key: the tenant (tenant_limit), the topic (capacity, paused), '' (deferred). */
  readonly key: string;
  readonly at: number;
  readonly needs: WaiterNeeds;
}

export type Consider = (stream: StreamId, priority: Priority | 'batch', position: number) => void;

export class WaitingJobs {
  readonly #rt: JobRuntime;
  readonly #partition: number;
  readonly #consider: Consider;
  readonly #onError: (what: string) => (error: unknown) => void;
  readonly #recent = new Map<string, RecentWaiter>();
  /** When each kind of queue was last read from the read model, and whether a later read is due. */
  readonly #storeWakes = new Map<WaitQueue, number>();
  readonly #trailingWakes = new Set<WaitQueue>();
  #stopped = false;

  constructor(
    rt: JobRuntime,
    partition: number,
    consider: Consider,
    onError: (what: string) => (error: unknown) => void,
  ) {
    this.#rt = rt;
    this.#partition = partition;
    this.#consider = consider;
    this.#onError = onError;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** The job waits (again) in `queue` under `key`: woken from memory for a while. */
  remember(ready: Ready, queue: WaitQueue, key: string, needs: WaiterNeeds): void {
    this.#recent.delete(ready.key);
    this.#recent.set(ready.key, { ready, queue, key, at: this.#rt.clock.now(), needs });
  }

  /** The job no longer waits (it is being considered, or left PENDING). */
  forget(jobKey: string): void {
    this.#recent.delete(jobKey);
  }

  /**
   * Considers the recent waiters of a queue (`key` null: every queue of that kind), oldest first, up to
   * `limit`; with `worker`, only the ones that worker could take. How many it considered.
   */
  wakeRecent(queue: WaitQueue, key: string | null, limit: number, worker: WorkerHeartbeat | null = null): number {
    if (this.#stopped) return 0;
    const horizon = this.#rt.clock.now() - RECENT_WAIT_MS;
    let woken = 0;
    for (const [jobKey, waiter] of this.#recent) {
      if (waiter.at < horizon) {
        this.#recent.delete(jobKey);
        continue;
      }
      if (woken >= limit) break;
      if (waiter.queue !== queue || (key !== null && waiter.key !== key)) continue;
      if (worker !== null && !couldServe(worker, waiter.needs, waiter.needs.pools)) continue;
      this.#recent.delete(jobKey);
      this.#consider(waiter.ready.stream, waiter.ready.priority, waiter.ready.position);
      woken++;
    }
    return woken;
  }

  /** Looks at the head of one of the partition's wait queues (`key`: the tenant or topic), memory first. */
  async wakeQueue(queue: WaitQueue, key: string, limit = STORE_WAKE_LIMIT): Promise<void> {
    if (this.#stopped) return;
    this.wakeRecent(queue, key, limit);
    try {
      const ns = await this.#rt.readModels.namespace('job_queues');
      if (ns === null) return;
      const entries = await this.#rt.readModels.store.range(ns, queueKey(queue, this.#partition, key, key), {
        order: 'asc',
        limit,
      });
      for (const entry of entries) {
        const slash = entry.member.indexOf('/');
        const stream = streamId('job', entry.member.slice(0, slash), entry.member.slice(slash + 1));
        this.#consider(stream, 'batch', entry.score);
      }
    } catch (error) {
      this.#onError('wait queue')(error);
    }
  }

  /** Every queue of a kind in the partition (the index lists which exist): memory at once, the read model soon. */
  async wakeQueues(queue: Exclude<WaitQueue, 'deferred'>): Promise<void> {
    if (this.#stopped) return;
    this.wakeRecent(queue, null, Number.POSITIVE_INFINITY);
    await this.wakeStoredSoon(queue);
  }

  /** Reads the queues of a kind from the read model now, or once a second has passed since the last read. */
  async wakeStoredSoon(queue: Exclude<WaitQueue, 'deferred'>): Promise<void> {
    if (this.#stopped) return;
    const since = this.#rt.clock.now() - (this.#storeWakes.get(queue) ?? 0);
    if (since < STORE_WAKE_INTERVAL_MS) {
      if (!this.#trailingWakes.has(queue)) {
        this.#trailingWakes.add(queue);
        setTimeout(() => {
          this.#trailingWakes.delete(queue);
          void this.#wakeFromStore(queue);
        }, STORE_WAKE_INTERVAL_MS - since).unref();
      }
      return;
    }
    await this.#wakeFromStore(queue);
  }

  async #wakeFromStore(queue: Exclude<WaitQueue, 'deferred'>): Promise<void> {
    if (this.#stopped) return;
    this.#storeWakes.set(queue, this.#rt.clock.now());
    try {
      const ns = await this.#rt.readModels.namespace('job_queues');
      if (ns === null) return;
      const names = await this.#rt.readModels.store.range(ns, queueIndexKey(queue, this.#partition), {
        order: 'asc',
        limit: 10_000,
      });
      await Promise.all(names.map((name) => this.wakeQueue(queue, name.member)));
    } catch (error) {
      this.#onError('wait queues')(error);
    }
  }
}
