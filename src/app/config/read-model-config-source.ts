/**
 * Config documents for the runtime, from the `config` read model (SPEC 4): the levels of an
 * effective config in one read. Changes apply without a restart: listeners hear when the config
 * stream's checkpoint in the read model moves (checked a few times a second).
 */
import type { ConfigLevels } from '../../domain/config/effective.ts';
import { scopeChain, type EffectiveConfigKey } from '../../domain/config/scope.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { readConfigLevels } from '../../projections/config/queries.ts';
import type { ConfigSource } from '../ports.ts';
import type { ReadModels } from '../projections/read-models.ts';

export class ReadModelConfigSource implements ConfigSource {
  readonly #readModels: ReadModels;
  readonly #listeners = new Set<() => void>();
  readonly #timer: NodeJS.Timeout;
  #seen = -1;

  constructor(readModels: ReadModels, pollMs = 250) {
    this.#readModels = readModels;
    this.#timer = setInterval(() => void this.#poll(), pollMs);
    this.#timer.unref();
  }

  async levels(key: EffectiveConfigKey): Promise<ConfigLevels> {
    const chain = scopeChain(key);
    // A job's own fields are validated on submission; an id that cannot name a scope has no config.
    if (chain instanceof ValidationError) return {};
    return readConfigLevels(this.#readModels.store, await this.#readModels.namespace('config'), chain);
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
      const checkpoint = await this.#readModels.checkpoint('config', 'config');
      if (checkpoint !== this.#seen) {
        this.#seen = checkpoint;
        for (const listener of this.#listeners) listener();
      }
    } catch {
      // The read model is unreachable for now: keep what is cached, try again on the next tick.
    }
  }
}
