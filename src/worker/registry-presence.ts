/**
 * The worker's entry in the registry bucket `<prefix>_workers` (SPEC 1.5): it claims its worker id at
 * start (refusing to start when a live entry of another process holds it), rewrites the entry with a
 * heartbeat every interval, heartbeats at once when asked (capacity freed), and deletes the entry
 * when it closes, if the entry is still its own.
 */
import type { HeartbeatMessage } from '../domain/protocol/messages.ts';
import type { WorkerRegistryBucket } from './transport.ts';

export class WorkerIdTakenError extends Error {
  override readonly name = 'WorkerIdTakenError';
  readonly code = 'worker_id_taken';
  readonly holder: HeartbeatMessage;

  constructor(workerId: string, holder: HeartbeatMessage, ttlMs: number) {
    super(
      `worker id "${workerId}" is held by a live worker (instance ${holder.instance}, last heartbeat ` +
        `${new Date(holder.sent_at).toISOString()}); choose another id, or wait ${ttlMs} ms after it stops`,
    );
    this.holder = holder;
  }
}

/**
 * How busy this worker process is: the CPU time it used since the last call as a share of one core,
 * in [0, 100] (a Node worker runs its handlers on one thread, so one core is its ceiling). Not the
 * machine's load average: on a shared host that says nothing about this worker, and a busy
 * neighbour would make every worker look overloaded and starve the queue.
 */
export class CpuMeter {
  #last = { usage: process.cpuUsage(), at: performance.now() };
  #value = 0;

  percent(): number {
    const now = { usage: process.cpuUsage(), at: performance.now() };
    const elapsedMs = now.at - this.#last.at;
    // Too short a window (the first heartbeat, right after start-up work) says nothing: keep the last value.
    if (elapsedMs < 500) return this.#value;
    const usedMs = (now.usage.user - this.#last.usage.user + (now.usage.system - this.#last.usage.system)) / 1000;
    this.#last = now;
    this.#value = Math.round(Math.min(100, Math.max(0, (usedMs / elapsedMs) * 100)) * 10) / 10;
    return this.#value;
  }
}

export interface PresenceSettings {
  readonly bucket: WorkerRegistryBucket<HeartbeatMessage>;
  readonly workerId: string;
  readonly ttlMs: number;
  readonly intervalMs: number;
  /** The least time between two heartbeats asked for at once (0 or absent: none). */
  readonly minGapMs?: number;
  /** The heartbeat to write now. */
  readonly heartbeat: () => HeartbeatMessage;
  readonly onError: (error: unknown, context: string) => void;
}

export class RegistryPresence {
  readonly #settings: PresenceSettings;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #lastBeatAt = Number.NEGATIVE_INFINITY;
  #gapTimer: NodeJS.Timeout | null = null;

  constructor(settings: PresenceSettings) {
    this.#settings = settings;
  }

  /** Takes the worker id: creates the entry, or takes over one that expired or is already ours. */
  async claim(): Promise<void> {
    const { bucket, workerId, ttlMs } = this.#settings;
    // Each round either writes or loses a compare-and-set to a concurrent writer; re-read and decide.
    for (let round = 0; round < 5; round++) {
      const mine = this.#settings.heartbeat();
      const held = await bucket.get(workerId);
      if (held === null) {
        if ((await bucket.create(workerId, mine)) !== null) return;
        continue;
      }
      const live = mine.sent_at - held.value.sent_at < ttlMs;
      if (live && held.value.instance !== mine.instance) throw new WorkerIdTakenError(workerId, held.value, ttlMs);
      if ((await bucket.update(workerId, mine, held.revision)) !== null) return;
    }
    throw new Error(`could not claim worker id "${workerId}": its registry entry keeps changing`);
  }

  start(): void {
    this.#timer = setInterval(() => this.beatNow(), this.#settings.intervalMs);
    this.#timer.unref();
  }

  /**
   * Heartbeats at once, or as soon as `minGapMs` has passed since the last one; beats asked for
   * meanwhile are folded into that one. (A saturated worker asks on every finished job: without the
   * gap that was a registry write per job, each read and folded by every scheduler.)
   */
  beatNow(): void {
    if (this.#stopped) return;
    if (this.#inFlight !== null) {
      this.#again = true;
      return;
    }
    const wait = this.#lastBeatAt + (this.#settings.minGapMs ?? 0) - performance.now();
    if (wait > 0) {
      this.#gapTimer ??= setTimeout(() => {
        this.#gapTimer = null;
        this.beatNow();
      }, wait);
      return;
    }
    this.#lastBeatAt = performance.now();
    this.#inFlight = this.#write().finally(() => {
      this.#inFlight = null;
      if (this.#again) {
        this.#again = false;
        this.beatNow();
      }
    });
  }

  /** Stops heartbeating and deletes the entry if it is still this process's. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#gapTimer !== null) clearTimeout(this.#gapTimer);
    this.#again = false;
    await this.#inFlight;
    const { bucket, workerId } = this.#settings;
    try {
      const held = await bucket.get(workerId);
      if (held !== null && held.value.instance === this.#settings.heartbeat().instance) {
        await bucket.delete(workerId, held.revision);
      }
    } catch (error) {
      // The entry then ages out after the TTL instead.
      this.#settings.onError(error, 'deleting the registry entry');
    }
  }

  async #write(): Promise<void> {
    try {
      await this.#settings.bucket.put(this.#settings.workerId, this.#settings.heartbeat());
    } catch (error) {
      this.#settings.onError(error, 'heartbeat');
    }
  }
}
