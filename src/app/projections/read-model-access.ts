/**
 * Read-model access for the use cases that serve reads: which version of a projection reads come from
 * (cached briefly, since a rebuild switches it rarely and keeps the old keys for a while after), how
 * far each projection has caught up with its streams (status, lag), and read-your-writes waits
 * (`min_position`, SPEC 1.12): wait, bounded, until a projection's checkpoint reaches a position.
 */
import { UnavailableError, ValidationError } from '../../domain/shared/errors.ts';
import type { PositionToken } from '../../domain/shared/events.ts';
import type { AggregateType } from '../../domain/shared/stream.ts';
import type { Projection, ReadModelNamespace } from '../../projections/projection.ts';
import type { Clock, EventStore, ReadModelStore } from '../ports.ts';
import type { CommitSignal } from './commit-signal.ts';

export interface StreamProgress {
  readonly stream: AggregateType;
  /** The last position the read model has applied. */
  readonly position: number;
  /** The stream's last position. */
  readonly head: number;
  readonly lag: number;
}

export interface ProjectionProgress {
  readonly projection: string;
  /** The version reads are served from; null before the first build. */
  readonly version: number | null;
  readonly streams: readonly StreamProgress[];
}

export interface ReadModelAccessOptions {
  /** How long the active version is cached (default 500 ms; a rebuild keeps old keys ≥ 2 s). */
  readonly versionCacheMs?: number;
  /** How often a `min_position` wait re-reads the checkpoint (default 20 ms). */
  readonly pollMs?: number;
  /** This process's projection commits: a wait re-reads as soon as one reaches its position. */
  readonly commits?: CommitSignal;
}

export class ReadModelAccess {
  readonly #store: ReadModelStore;
  readonly #events: EventStore;
  readonly #clock: Clock;
  readonly #projections: ReadonlyMap<string, Projection>;
  readonly #cacheMs: number;
  readonly #pollMs: number;
  readonly #commits: CommitSignal | undefined;
  readonly #versions = new Map<string, { ns: ReadModelNamespace | null; at: number }>();

  constructor(
    deps: { readonly store: ReadModelStore; readonly events: EventStore; readonly clock: Clock },
    projections: readonly Projection[],
    options: ReadModelAccessOptions = {},
  ) {
    this.#store = deps.store;
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#projections = new Map(projections.map((p) => [p.name, p]));
    this.#cacheMs = options.versionCacheMs ?? 500;
    this.#pollMs = options.pollMs ?? 20;
    this.#commits = options.commits;
  }

  get reader(): ReadModelStore {
    return this.#store;
  }

  get projections(): readonly Projection[] {
    return [...this.#projections.values()];
  }

  projection(name: string): Projection | undefined {
    return this.#projections.get(name);
  }

  /** The namespace reads of `projection` come from; null before its first build. */
  async namespace(projection: string): Promise<ReadModelNamespace | null> {
    const now = this.#clock.now();
    const cached = this.#versions.get(projection);
    if (cached !== undefined && now - cached.at < this.#cacheMs) return cached.ns;
    const active = await this.#store.activeVersion(projection);
    const ns = active === null ? null : { projection, version: active.version };
    this.#versions.set(projection, { ns, at: now });
    return ns;
  }

  /** Forgets the cached version (after a switch-over this process made itself). */
  invalidate(projection: string): void {
    this.#versions.delete(projection);
  }

  async checkpoint(projection: string, stream: AggregateType): Promise<number> {
    const ns = await this.namespace(projection);
    return ns === null ? 0 : this.#store.checkpoint(ns, stream);
  }

  /**
   * Waits until `projection` has applied `token` (a position of one of its streams), for at most
   * `timeoutMs`; then a 503-worthy UnavailableError. `field` names the parameter the token came from.
   */
  async waitForPosition(projection: string, token: PositionToken, timeoutMs: number, field: string): Promise<void> {
    const known = this.#projections.get(projection);
    if (known === undefined) throw new Error(`unknown projection ${projection}`);
    if (!known.streams.includes(token.stream)) {
      throw new ValidationError(
        field,
        `${field} must be a position of the ${known.streams.join(' or ')} stream (this list is built from it)`,
        'invalid_position',
      );
    }
    const deadline = this.#clock.now() + timeoutMs;
    for (;;) {
      // Read the version afresh each time: a switch-over may be what we are waiting for.
      this.invalidate(projection);
      if ((await this.checkpoint(projection, token.stream)) >= token.position) return;
      if (this.#clock.now() >= deadline) {
        throw new UnavailableError(
          `the ${projection} read model has not reached ${token.stream}:${token.position} yet`,
          'read_model_behind',
          1000,
        );
      }
      const pause = Math.min(this.#pollMs, Math.max(1, deadline - this.#clock.now()));
      if (this.#commits === undefined) await new Promise((resolve) => setTimeout(resolve, pause));
      else await this.#commits.reached(projection, token.stream, token.position, pause);
    }
  }

  /** Every projection's position, its streams' heads and the lag (SPEC 5, `/api/v1/status`). */
  async progress(): Promise<ProjectionProgress[]> {
    const heads = new Map<AggregateType, Promise<number>>();
    const head = (stream: AggregateType) => {
      let found = heads.get(stream);
      if (found === undefined) {
        found = this.#events.headPosition(stream);
        heads.set(stream, found);
      }
      return found;
    };
    return Promise.all(
      this.projections.map(async (projection) => {
        const active = await this.#store.activeVersion(projection.name);
        const ns = active === null ? null : { projection: projection.name, version: active.version };
        const streams = await Promise.all(
          projection.streams.map(async (stream) => {
            const [position, last] = await Promise.all([
              ns === null ? 0 : this.#store.checkpoint(ns, stream),
              head(stream),
            ]);
            return { stream, position, head: last, lag: Math.max(0, last - position) };
          }),
        );
        return { projection: projection.name, version: active?.version ?? null, streams };
      }),
    );
  }
}
