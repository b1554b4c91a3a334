/**
 * Config documents for the runtime, from the `config` read model (SPEC 4): the levels of an
 * effective config in one read. Changes apply without a restart: listeners hear when the config read
 * model moves — its checkpoint or its version (a rebuild switches keyspaces at the same checkpoint) —
 * checked a few times a second.
 *
 * A read model behind its stream (Redis wiped and rebuilding, a fresh version filling) would answer an
 * empty or partial config — no routing, no limits, no safety rules — as if it were the truth, and
 * callers cache what they resolve. So when it knows the stream (the composition root passes the event
 * store), a read first checks the read model has applied the config stream up to the head last seen,
 * and is `UnavailableError` (retried by the caller) until it has.
 */
import type { ConfigLevels } from '../../domain/config/effective.ts';
import { scopeChain, type EffectiveConfigKey } from '../../domain/config/scope.ts';
import { UnavailableError, ValidationError } from '../../domain/shared/errors.ts';
import { readConfigLevels } from '../../projections/config/queries.ts';
import type { ConfigSource, EventStore } from '../ports.ts';
import type { ReadModels } from '../projections/read-models.ts';

export class ReadModelConfigSource implements ConfigSource {
  readonly #readModels: ReadModels;
  readonly #events: Pick<EventStore, 'headPosition'> | null;
  readonly #listeners = new Set<() => void>();
  readonly #timer: NodeJS.Timeout;
  #seen = '';
  /** The config stream's head as last read (it only grows); null until first read. */
  #head: number | null = null;

  constructor(readModels: ReadModels, pollMs = 250, events: Pick<EventStore, 'headPosition'> | null = null) {
    this.#readModels = readModels;
    this.#events = events;
    this.#timer = setInterval(() => void this.#poll(), pollMs);
    this.#timer.unref();
  }

  async levels(key: EffectiveConfigKey): Promise<ConfigLevels> {
    const chain = scopeChain(key);
    // A job's own fields are validated on submission; an id that cannot name a scope has no config.
    if (chain instanceof ValidationError) return {};
    const ns = await this.#readModels.namespace('config');
    if (this.#events !== null) {
      const head = this.#head ?? (this.#head = await this.#events.headPosition('config'));
      const checkpoint = ns === null ? 0 : await this.#readModels.store.checkpoint(ns, 'config');
      if (checkpoint < head) {
        throw new UnavailableError(
          `the config read model is behind its stream (at ${checkpoint} of ${head}): rebuilding`,
          'config_unavailable',
          500,
        );
      }
    }
    return readConfigLevels(this.#readModels.store, ns, chain);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #poll(): Promise<void> {
    try {
      if (this.#events !== null) this.#head = Math.max(this.#head ?? 0, await this.#events.headPosition('config'));
      const ns = await this.#readModels.namespace('config');
      const checkpoint = ns === null ? 0 : await this.#readModels.store.checkpoint(ns, 'config');
      const seen = `${ns?.version ?? 0}:${checkpoint}`;
      if (seen !== this.#seen) {
        this.#seen = seen;
        for (const listener of this.#listeners) listener();
      }
    } catch {
      // The read model is unreachable for now: keep what is cached, try again on the next tick.
    }
  }
}
