/**
 * The safe cursor of a process manager whose effects run concurrently (ARCHITECTURE.md section 5):
 * positions begin in stream order and may end in any order; the watermark is the highest position
 * below which every effect has finished, so a crash replays from there and loses nothing.
 */
export class PositionTracker {
  /** In flight, in insertion (= position) order: the first is the lowest. */
  readonly #pending = new Set<number>();
  #highest: number;

  constructor(start: number) {
    this.#highest = start;
  }

  begin(position: number): void {
    if (position <= this.#highest && !this.#pending.has(position)) return;
    this.#pending.add(position);
    this.#highest = Math.max(this.#highest, position);
  }

  end(position: number): void {
    this.#pending.delete(position);
  }

  /** Every effect at or below this position is done. */
  get watermark(): number {
    const lowest = this.#pending.values().next();
    return lowest.done ? this.#highest : lowest.value - 1;
  }

  get inFlight(): number {
    return this.#pending.size;
  }
}
