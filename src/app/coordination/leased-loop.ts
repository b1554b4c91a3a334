/**
 * A periodic pass that runs in one process at a time (the reconcilers): each tick takes or renews one
 * lease and runs the pass only while holding it; a process paused past its lease loses it and stops
 * acting until it wins it again. `stop()` waits for a pass under way, then gives the lease back.
 */
import type { Lease, LeaseStore } from '../ports.ts';

export interface LeasedLoopOptions {
  readonly lease: string;
  readonly owner: string;
  readonly leases: LeaseStore;
  readonly intervalMs: number;
  readonly leaseTtlMs: number;
  /** The work of one tick, run while the lease is held. */
  readonly pass: () => Promise<void>;
  /** A tick that threw (taking the lease or the pass): counted and logged by the owner. */
  readonly onError: (error: unknown) => void;
}

export class LeasedLoop {
  readonly #o: LeasedLoopOptions;
  #lease: Lease | null = null;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: LeasedLoopOptions) {
    this.#o = options;
  }

  get active(): boolean {
    return this.#lease !== null;
  }

  start(): void {
    const loop = () => {
      if (this.#stopped) return;
      this.#tick = this.#step().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(loop, this.#o.intervalMs);
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#tick;
    if (this.#lease !== null) await this.#o.leases.release(this.#lease).catch(() => false);
    this.#lease = null;
  }

  async #step(): Promise<void> {
    const { leases, lease, owner, leaseTtlMs } = this.#o;
    try {
      this.#lease =
        this.#lease === null
          ? await leases.acquire(lease, owner, leaseTtlMs)
          : await leases.renew(this.#lease, leaseTtlMs);
      if (this.#lease === null) return;
      await this.#o.pass();
    } catch (error) {
      this.#o.onError(error);
    }
  }
}
