/**
 * The aggregate repository's cache: live aggregates and recently finished ones, bounded apart. A
 * finished job is still asked about right after it finishes (the reactions to its last event: its
 * tenant slot, its DLQ entry, its workflow step) and then rarely again; live ones are asked about
 * until they finish. Kept in one map, a flood of finished jobs would push live ones out, and not
 * keeping finished ones at all made every reaction to a terminal event read the job's whole history
 * back from the store — at 1,000 jobs/s, as soon as the cache was half full, a few direct gets per
 * job that stalled the event store.
 */
export class AggregateCache<V> {
  readonly #live = new Map<string, V>();
  readonly #finished = new Map<string, V>();
  readonly #maxLive: number;
  readonly #maxFinished: number;

  constructor(maxLive: number, maxFinished: number) {
    this.#maxLive = maxLive;
    this.#maxFinished = maxFinished;
  }

  get(key: string): V | undefined {
    return this.#live.get(key) ?? this.#finished.get(key);
  }

  /** Stores the value as the newest of its kind; the oldest of that kind goes beyond its bound. */
  set(key: string, value: V, finished: boolean): void {
    this.delete(key);
    const map = finished ? this.#finished : this.#live;
    map.set(key, value);
    if (map.size > (finished ? this.#maxFinished : this.#maxLive)) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#live.delete(key);
    this.#finished.delete(key);
  }

  /** Deletes every entry whose key matches. */
  deleteWhere(matches: (key: string) => boolean): number {
    let deleted = 0;
    for (const map of [this.#live, this.#finished]) {
      for (const key of map.keys()) {
        if (matches(key)) {
          map.delete(key);
          deleted++;
        }
      }
    }
    return deleted;
  }

  get size(): number {
    return this.#live.size + this.#finished.size;
  }
}
