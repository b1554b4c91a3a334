/**
 * A job's effective config and the settings read from it (SPEC 4): system → org (the tenant) → team →
 * workflow → step, shallow-merged. Resolutions are cached per key and dropped on any config change, so
 * changes apply without a restart and the hot path does not re-merge per job.
 */
import type { EffectiveConfig } from '../../domain/config/effective.ts';
import { effectiveConfig } from '../../domain/config/effective.ts';
import { readSettings } from '../../domain/config/read-settings.ts';
import type { EffectiveConfigKey } from '../../domain/config/scope.ts';
import type { Settings } from '../../domain/config/settings.ts';
import { DEFAULT_SETTINGS } from '../../domain/config/settings.ts';
import type { JobRequest } from '../../domain/job/request.ts';
import type { ConfigSource, Hasher, Logger } from '../ports.ts';

export interface ResolvedConfig {
  readonly effective: EffectiveConfig;
  readonly settings: Settings;
  /** `effective.data` as JSON, as handed to workers in `CORETEX_EFFECTIVE_CONFIG`. */
  readonly json: string;
}

export function configKeyOf(request: JobRequest): EffectiveConfigKey {
  return {
    org_id: request.tenant,
    team_id: request.team,
    workflow_id: request.step?.workflow_id ?? null,
    step_id: request.step?.step_id ?? null,
  };
}

export class JobConfigResolver {
  readonly #source: ConfigSource;
  readonly #hasher: Hasher;
  readonly #log: Logger;
  readonly #cache = new Map<string, Promise<ResolvedConfig>>();

  constructor(source: ConfigSource, hasher: Hasher, log: Logger) {
    this.#source = source;
    this.#hasher = hasher;
    this.#log = log;
    source.onChange(() => this.#cache.clear());
  }

  /** Told after any config change (once the cache has been dropped). */
  onChange(listener: () => void): () => void {
    return this.#source.onChange(listener);
  }

  forJob(request: JobRequest): Promise<ResolvedConfig> {
    return this.resolve(configKeyOf(request));
  }

  resolve(key: EffectiveConfigKey): Promise<ResolvedConfig> {
    const cacheKey = `${key.org_id}\u0000${key.team_id ?? ''}\u0000${key.workflow_id ?? ''}\u0000${key.step_id ?? ''}`;
    let resolved = this.#cache.get(cacheKey);
    if (resolved === undefined) {
      resolved = this.#resolve(key);
      this.#cache.set(cacheKey, resolved);
      resolved.catch(() => this.#cache.delete(cacheKey));
    }
    return resolved;
  }

  async #resolve(key: EffectiveConfigKey): Promise<ResolvedConfig> {
    const effective = effectiveConfig(await this.#source.levels(key), (text) => this.#hasher.sha256(text));
    const settings = readSettings(effective.data);
    if (settings instanceof Error) {
      // Saving validates documents, but two valid levels can merge into something unreadable: keep
      // running on the defaults and say so, rather than stopping every job of the tenant.
      this.#log.error({ org_id: key.org_id, err: settings }, 'effective config is invalid; using defaults');
      return { effective, settings: DEFAULT_SETTINGS, json: JSON.stringify(effective.data) };
    }
    return { effective, settings, json: JSON.stringify(effective.data) };
  }
}
