/**
 * Every instance's shared view of the workers (SPEC 1.5): a watch on the KV bucket the workers write
 * their heartbeats to, folded into the domain's registry value. Expiry is judged from each entry's
 * write time (nats-server 2.9 announces no age-out). Assignments made here since a worker's last
 * heartbeat count towards its load. Listeners hear when a worker reports spare capacity, so jobs
 * waiting for capacity can be woken.
 */
import {
  parseHeartbeat,
  recordAssignment,
  recordCompletion,
  releaseAssignment,
  recordHeartbeat,
  removeWorker,
  EMPTY_REGISTRY,
} from '../../domain/dispatch/registry.ts';
import type { WorkerEntry, WorkerRegistry } from '../../domain/dispatch/registry.ts';
import { activeJobs, isOverloaded } from '../../domain/dispatch/load.ts';
import { liveWorkers } from '../../domain/dispatch/registry.ts';
import type { KvBucket, KvWatch, Logger } from '../ports.ts';

export class WorkerRegistryView {
  #registry: WorkerRegistry = EMPTY_REGISTRY;
  #watch: KvWatch | null = null;
  readonly #bucket: KvBucket<unknown>;
  readonly #log: Logger;
  readonly #capacityListeners = new Set<(entry: WorkerEntry) => void>();
  /** Workers left out until their next heartbeat; the write time of the heartbeat they were suspended at. */
  readonly #suspended = new Set<string>();
  readonly #lastWrite = new Map<string, number>();

  constructor(bucket: KvBucket<unknown>, log: Logger) {
    this.#bucket = bucket;
    this.#log = log;
  }

  async start(): Promise<void> {
    this.#watch = await this.#bucket.watch((key, entry) => {
      if (entry === null) {
        this.#registry = removeWorker(this.#registry, key);
        this.#lastWrite.delete(key);
        this.#suspended.delete(key);
        return;
      }
      // A suspended worker comes back only with a heartbeat written after it was suspended.
      if (this.#suspended.has(key) && entry.writtenAt <= (this.#lastWrite.get(key) ?? 0)) return;
      this.#suspended.delete(key);
      this.#lastWrite.set(key, entry.writtenAt);
      const heartbeat = parseHeartbeat(entry.value);
      if (heartbeat instanceof Error) {
        this.#log.warn({ worker_id: key, err: heartbeat }, 'ignoring a malformed heartbeat');
        return;
      }
      const before = this.#registry.workers.get(heartbeat.worker_id);
      this.#registry = recordHeartbeat(this.#registry, heartbeat, entry.writtenAt);
      const after = this.#registry.workers.get(heartbeat.worker_id);
      if (
        after !== undefined &&
        !isOverloaded(after) &&
        (before === undefined || isOverloaded(before) || hasMoreRoom(after, before))
      ) {
        for (const listener of this.#capacityListeners) listener(after);
      }
    });
  }

  stop(): void {
    this.#watch?.stop();
  }

  get registry(): WorkerRegistry {
    return this.#registry;
  }

  live(now: number, ttlMs: number): readonly WorkerEntry[] {
    return liveWorkers(this.#registry, now, ttlMs);
  }

  recordAssignment(workerId: string): void {
    this.#registry = recordAssignment(this.#registry, workerId);
  }

  releaseAssignment(workerId: string): void {
    this.#registry = releaseAssignment(this.#registry, workerId);
  }

  /**
   * A result of one of the worker's jobs, sent at `sentAt` by the worker's clock, was recorded: one slot
   * fewer until its next heartbeat. A worker this frees from overload is room for the jobs waiting for
   * capacity, told at once.
   */
  recordCompletion(workerId: string, sentAt: number | null): void {
    const before = this.#registry.workers.get(workerId);
    this.#registry = recordCompletion(this.#registry, workerId, sentAt);
    const after = this.#registry.workers.get(workerId);
    if (
      before !== undefined &&
      after !== undefined &&
      after !== before &&
      isOverloaded(before) &&
      !isOverloaded(after)
    ) {
      for (const listener of this.#capacityListeners) listener(after);
    }
  }

  /**
   * A hand-off to this worker found nobody listening (it died, or its connection did): leave it out
   * until it heartbeats again, instead of choosing a dead worker until its entry ages out.
   */
  suspend(workerId: string): void {
    if (this.#registry.workers.has(workerId)) {
      this.#registry = removeWorker(this.#registry, workerId);
      this.#suspended.add(workerId);
    }
  }

  onCapacity(listener: (entry: WorkerEntry) => void): () => void {
    this.#capacityListeners.add(listener);
    return () => this.#capacityListeners.delete(listener);
  }
}

function hasMoreRoom(after: WorkerEntry, before: WorkerEntry): boolean {
  return activeJobs(after) < activeJobs(before);
}
