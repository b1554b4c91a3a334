/**
 * A bounded, time-limited memory of keys (stopped attempts, recently finished attempts): a stop that
 * overtakes its job, or a hand-off asked again after the attempt ran, must still be recognised, but a
 * long-running worker must not grow without bound. Entries leave after `ttlMs`, or oldest first when
 * there are more than `maxEntries`.
 */
export class ExpiringMemory<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly at: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { readonly ttlMs: number; readonly maxEntries: number; readonly now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  get(key: string): V | undefined {
    this.#expire();
    return this.#entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    // Re-inserting keeps the map in write order, so the oldest entry is always first.
    this.#entries.delete(key);
    this.#entries.set(key, { value, at: this.#now() });
    this.#expire();
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    this.#expire();
    return this.#entries.size;
  }

  #expire(): void {
    const cutoff = this.#now() - this.#ttlMs;
    for (const [key, entry] of this.#entries) {
      if (entry.at > cutoff) break;
      this.#entries.delete(key);
    }
  }
}
