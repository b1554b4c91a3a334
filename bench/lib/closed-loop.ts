/**
 * A closed-loop load run: `concurrency` items (jobs, workflow runs) kept in flight — a new one is
 * started as soon as one ends — through a warm-up, then a measured window; then no new starts and a
 * drain until everything started has ended. Ends are told by the caller (`ended()`, from the events
 * it follows), so the loop reacts at once rather than by polling. The throughput is the items that
 * ended within the window per second of it; the window's wall-clock bounds (`window()`) let the caller
 * pick the latency samples of the same items.
 */

export interface ClosedLoopOptions {
  readonly concurrency: number;
  readonly warmUpS: number;
  readonly durationS: number;
  readonly drainTimeoutMs: number;
}

export interface ClosedLoopResult {
  readonly concurrency: number;
  readonly duration_s: number;
  readonly started: number;
  /** Items that ended within the window, and of them the ones that ended other than successfully. */
  readonly ended_in_window: number;
  readonly failed_in_window: number;
  readonly per_s: number;
  readonly http_errors: number;
  readonly first_error: string | null;
  /** Seconds from the end of the window until everything started had ended (null: it did not). */
  readonly drained_after_s: number | null;
}

const MAX_ERRORS = 100;

export class ClosedLoop {
  readonly #start: () => Promise<void>;
  readonly #options: ClosedLoopOptions;
  #started = 0;
  #ended = 0;
  #inWindow = 0;
  #failedInWindow = 0;
  #errors = 0;
  #firstError: string | null = null;
  #phase: 'idle' | 'warm-up' | 'window' | 'drain' = 'idle';
  #windowFrom = 0;
  #windowTo = 0;
  #onChange: (() => void) | null = null;

  /** `start` starts one item and resolves once it was accepted; its end comes through `ended()`. */
  constructor(start: () => Promise<void>, options: ClosedLoopOptions) {
    this.#start = start;
    this.#options = options;
  }

  /** One item ended (`ok`: successfully): counted, and another started while the loop runs. */
  ended(ok: boolean): void {
    this.#ended += 1;
    if (this.#phase === 'window') {
      this.#inWindow += 1;
      if (!ok) this.#failedInWindow += 1;
    }
    this.#topUp();
    this.#onChange?.();
  }

  /** Wall-clock (epoch ms) bounds of the measured window. */
  window(): { from: number; to: number } {
    return { from: this.#windowFrom, to: this.#windowTo };
  }

  async run(): Promise<ClosedLoopResult> {
    const { warmUpS, durationS, drainTimeoutMs, concurrency } = this.#options;
    this.#phase = 'warm-up';
    this.#topUp();
    await sleep(warmUpS * 1000);
    this.#phase = 'window';
    this.#windowFrom = Date.now();
    await sleep(durationS * 1000);
    this.#windowTo = Date.now();
    this.#phase = 'drain';
    const drainStart = performance.now();
    const drained = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), drainTimeoutMs);
      this.#onChange = () => {
        if (this.#ended + this.#errors >= this.#started) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      this.#onChange();
    });
    this.#onChange = null;
    this.#phase = 'idle';
    return {
      concurrency,
      duration_s: (this.#windowTo - this.#windowFrom) / 1000,
      started: this.#started,
      ended_in_window: this.#inWindow,
      failed_in_window: this.#failedInWindow,
      per_s: this.#inWindow / ((this.#windowTo - this.#windowFrom) / 1000),
      http_errors: this.#errors,
      first_error: this.#firstError,
      drained_after_s: drained ? (performance.now() - drainStart) / 1000 : null,
    };
  }

  #topUp(): void {
    if (this.#phase !== 'warm-up' && this.#phase !== 'window') return;
    while (this.#started - this.#ended - this.#errors < this.#options.concurrency) {
      if (this.#errors >= MAX_ERRORS) return;
      this.#started += 1;
      this.#start().catch((error: unknown) => {
        this.#errors += 1;
        this.#firstError ??= error instanceof Error ? error.message : String(error);
        // A refused start frees its place: try again a little later rather than in a hot loop.
        setTimeout(() => this.#topUp(), 50);
        this.#onChange?.();
      });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
