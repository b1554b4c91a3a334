/**
 * Reads of read models for the runtime and the API: the active version of each projection (cached
 * briefly; a rebuild's switch-over is seen within the cache time), and read-your-writes waits until a
 * projection has reached a position (SPEC 1.12, `min_position`).
 */
import type { AggregateType } from '../../domain/shared/stream.ts';
import type { ReadModelNamespace } from '../../projections/projection.ts';
import type { Clock, ReadModelStore } from '../ports.ts';

export class ReadModels {
  readonly store: ReadModelStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #namespaces = new Map<string, { ns: Promise<ReadModelNamespace | null>; at: number }>();

  constructor(store: ReadModelStore, clock: Clock, options: { readonly cacheMs?: number } = {}) {
    this.store = store;
    this.#clock = clock;
    this.#ttlMs = options.cacheMs ?? 500;
  }

  /** The namespace reads of `projection` go to, or null before its first build. */
  async namespace(projection: string): Promise<ReadModelNamespace | null> {
    const now = this.#clock.now();
    const cached = this.#namespaces.get(projection);
    // Concurrent readers share one lookup; "not built yet" is not kept (the first build comes soon).
    if (cached !== undefined && now - cached.at < this.#ttlMs) {
      const ns = await cached.ns;
      if (ns !== null) return ns;
    }
    const lookup = this.store
      .activeVersion(projection)
      .then((active) => (active === null ? null : { projection, version: active.version }));
    this.#namespaces.set(projection, { ns: lookup, at: now });
    lookup.catch(() => this.#namespaces.delete(projection));
    return lookup;
  }

  async checkpoint(projection: string, stream: AggregateType): Promise<number> {
    const ns = await this.namespace(projection);
    return ns === null ? 0 : this.store.checkpoint(ns, stream);
  }

  /** Waits until `projection` has applied `stream` up to `position`; false if the deadline passes first. */
  async waitFor(projection: string, stream: AggregateType, position: number, timeoutMs: number): Promise<boolean> {
    const deadline = this.#clock.now() + timeoutMs;
    let pause = 2;
    for (;;) {
      if ((await this.checkpoint(projection, stream)) >= position) return true;
      if (this.#clock.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(50, pause * 2);
    }
  }
}
