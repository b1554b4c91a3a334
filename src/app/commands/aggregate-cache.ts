/**
 * Aggregate states kept with their positions, so a command handler catches up from the cached position
 * instead of replaying the whole history. A bounded least-recently-used map: the cache is only ever a
 * shortcut, since every append is still guarded by the expected position.
 */

export interface LoadedAggregate<S> {
  readonly state: S;
  /** The aggregate's last position (0 when it has no events). */
  readonly lastPosition: number;
  /** Where a load of the aggregate starts; passed back to the event store on append. */
  readonly firstPosition: number;
}

export interface AggregateCache<S> {
  get(key: string): LoadedAggregate<S> | undefined;
  set(key: string, value: LoadedAggregate<S>): void;
  delete(key: string): void;
}

export function noAggregateCache<S>(): AggregateCache<S> {
  return { get: () => undefined, set: () => {}, delete: () => {} };
}

export class LruAggregateCache<S> implements AggregateCache<S> {
  readonly #max: number;
  readonly #entries = new Map<string, LoadedAggregate<S>>();

  constructor(maxEntries: number) {
    this.#max = Math.max(1, maxEntries);
  }

  get(key: string): LoadedAggregate<S> | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: LoadedAggregate<S>): void {
    const current = this.#entries.get(key);
    // Never move a cached aggregate backwards (two commands racing on one process).
    if (current !== undefined && current.lastPosition > value.lastPosition) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
