/**
 * Process-manager read positions on any KV bucket with compare-and-set. A save never moves a cursor
 * back, so a process that lost its lease and lags behind cannot rewind the one that took over.
 */
import type { CursorStore, KvBucket } from '../ports.ts';

export class KvCursorStore implements CursorStore {
  readonly #bucket: KvBucket<number>;
  /** Last entry seen per cursor, so the common save is one compare-and-set round trip. */
  readonly #known = new Map<string, { revision: number; position: number }>();

  constructor(bucket: KvBucket<number>) {
    this.#bucket = bucket;
  }

  async load(name: string): Promise<number> {
    const entry = await this.#bucket.get(name);
    if (entry === null) {
      this.#known.delete(name);
      return 0;
    }
    this.#known.set(name, { revision: entry.revision, position: entry.value });
    return entry.value;
  }

  async save(name: string, position: number): Promise<void> {
    for (;;) {
      const known = this.#known.get(name);
      if (known !== undefined && known.position >= position) return;
      const revision =
        known === undefined
          ? await this.#bucket.create(name, position)
          : await this.#bucket.update(name, position, known.revision);
      if (revision !== null) {
        this.#known.set(name, { revision, position });
        return;
      }
      // Someone else moved it: learn where it is and try again unless it is already further.
      const current = await this.#bucket.get(name);
      if (current === null) this.#known.delete(name);
      else this.#known.set(name, { revision: current.revision, position: current.value });
    }
  }
}
