/**
 * Rebuilds started from the API (SPEC 5): run `rebuildProjection` in the background, one at a time per
 * projection, keeping the latest progress and outcome of each so `/api/v1/status` can show them.
 */
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import type { Clock, EventStore, Logger, ReadModelStore } from '../ports.ts';
import { type RebuildProgress, type RebuildResult, rebuildProjection } from './rebuild.ts';
import type { ReadModelAccess } from './read-model-access.ts';

export type RebuildState = 'running' | 'succeeded' | 'failed';

export interface RebuildStatus {
  readonly projection: string;
  readonly state: RebuildState;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly progress: RebuildProgress | null;
  readonly result: RebuildResult | null;
  readonly error: string | null;
}

export class ProjectionRebuilds {
  readonly #deps: {
    readonly events: EventStore;
    readonly store: ReadModelStore;
    readonly readModels: ReadModelAccess;
    readonly clock: Clock;
    readonly log: Logger;
  };
  readonly #status = new Map<string, RebuildStatus>();
  readonly #running = new Set<Promise<void>>();
  readonly #dropOldAfterMs: number | undefined;

  constructor(
    deps: {
      readonly events: EventStore;
      readonly store: ReadModelStore;
      readonly readModels: ReadModelAccess;
      readonly clock: Clock;
      readonly log: Logger;
    },
    options: { readonly dropOldAfterMs?: number } = {},
  ) {
    this.#deps = deps;
    this.#dropOldAfterMs = options.dropOldAfterMs;
  }

  /** Starts a rebuild; a second one while the first runs is a conflict (409). */
  start(name: string): RebuildStatus {
    const projection = this.#deps.readModels.projection(name);
    if (projection === undefined) throw new NotFoundError(`no projection named ${name}`, 'projection_not_found');
    if (this.#status.get(name)?.state === 'running') {
      throw new ConflictError(`a rebuild of ${name} is already running`, 'rebuild_running');
    }
    const started: RebuildStatus = {
      projection: name,
      state: 'running',
      started_at: this.#deps.clock.now(),
      finished_at: null,
      progress: null,
      result: null,
      error: null,
    };
    this.#status.set(name, started);
    const update = (change: Partial<RebuildStatus>) => {
      const current = this.#status.get(name) ?? started;
      this.#status.set(name, { ...current, ...change });
    };
    this.#deps.log.info({ projection: name }, 'projection rebuild started');
    const run = rebuildProjection({ events: this.#deps.events, store: this.#deps.store }, projection, {
      onProgress: (progress) => update({ progress }),
      ...(this.#dropOldAfterMs === undefined ? {} : { dropOldAfterMs: this.#dropOldAfterMs }),
    })
      .then((result) => {
        this.#deps.readModels.invalidate(name);
        update({ state: 'succeeded', result, finished_at: this.#deps.clock.now() });
        this.#deps.log.info({ ...result }, 'projection rebuild finished');
      })
      .catch((error: unknown) => {
        update({ state: 'failed', error: String(error), finished_at: this.#deps.clock.now() });
        this.#deps.log.error({ projection: name, err: error }, 'projection rebuild failed');
      });
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
    return started;
  }

  status(name: string): RebuildStatus | null {
    return this.#status.get(name) ?? null;
  }

  /** Waits for running rebuilds (graceful shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.#running]);
  }
}
