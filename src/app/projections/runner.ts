/**
 * The projection runner (ARCHITECTURE.md section 4): one active runner per projection, under a lease.
 * It reads each of the projection's streams in order from the stored checkpoint + 1 and commits every
 * batch of writes with the new checkpoint, fenced on the checkpoint it started from. The checkpoint in
 * the read-model store is the only cursor, so a lost lease, a pause, a crash or a wiped Redis can never
 * make a batch apply twice or be skipped: a stale runner's commit simply fails the fence.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { AggregateType } from '../../domain/shared/stream.ts';
import { writesOfBatch } from '../../projections/coalesce.ts';
import type { Projection, ReadModelNamespace } from '../../projections/projection.ts';
import { rebuildProjection } from './rebuild.ts';
import type {
  ActiveVersion,
  Clock,
  CrashPoints,
  EventStore,
  Lease,
  LeaseStore,
  Logger,
  ReadModelStore,
  Subscription,
} from '../ports.ts';

export interface RunnerDeps {
  readonly events: EventStore;
  readonly store: ReadModelStore;
  readonly leases: LeaseStore;
  readonly clock: Clock;
  readonly crash: CrashPoints;
  readonly log: Logger;
}

export interface RunnerOptions {
  /** Unique per process incarnation. */
  readonly owner: string;
  readonly leaseTtlMs?: number;
  readonly maxBatch?: number;
  /** How often a runner without the lease tries to take it, and the holder checks for a switch-over. */
  readonly pollMs?: number;
  /** Told after every commit (metrics, read-your-writes waiters). */
  readonly onCommit?: (stream: AggregateType, checkpoint: number, events: number) => void;
}

interface StreamReader {
  checkpoint: number;
  subscription: Subscription;
}

export class ProjectionRunner {
  readonly #deps: RunnerDeps;
  readonly #projection: Projection;
  readonly #owner: string;
  readonly #ttl: number;
  readonly #maxBatch: number;
  readonly #pollMs: number;
  readonly #onCommit: RunnerOptions['onCommit'];
  #rebuilding: Promise<void> | null = null;
  #lease: Lease | null = null;
  #active: ActiveVersion | null = null;
  #readers = new Map<AggregateType, StreamReader>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #tick: Promise<void> = Promise.resolve();

  constructor(deps: RunnerDeps, projection: Projection, options: RunnerOptions) {
    this.#deps = deps;
    this.#projection = projection;
    this.#owner = options.owner;
    this.#ttl = options.leaseTtlMs ?? 10_000;
    this.#maxBatch = options.maxBatch ?? 512;
    this.#pollMs = options.pollMs ?? Math.max(50, Math.floor(this.#ttl / 3));
    this.#onCommit = options.onCommit;
  }

  get name(): string {
    return this.#projection.name;
  }

  /** True while this runner holds the lease and is applying events. */
  get active(): boolean {
    return this.#lease !== null;
  }

  get namespace(): ReadModelNamespace | null {
    return this.#active === null ? null : { projection: this.#projection.name, version: this.#active.version };
  }

  start(): void {
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#tick;
    await this.#rebuilding;
    await this.#stopReaders();
    if (this.#lease !== null) await this.#deps.leases.release(this.#lease).catch(() => false);
    this.#lease = null;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#step().finally(() => this.#schedule(this.#pollMs));
    }, delay);
  }

  /** One turn: take or renew the lease, follow a version switch, keep the readers running. */
  async #step(): Promise<void> {
    try {
      if (this.#lease === null) {
        this.#lease = await this.#deps.leases.acquire(this.#leaseName(), this.#owner, this.#ttl);
        if (this.#lease === null) return;
        this.#deps.log.info({ projection: this.#projection.name, owner: this.#owner }, 'projection lease taken');
      } else {
        this.#lease = await this.#deps.leases.renew(this.#lease, this.#ttl);
        if (this.#lease === null) {
          this.#deps.log.warn({ projection: this.#projection.name }, 'projection lease lost; stopping');
          this.#active = null;
          await this.#stopReaders();
          return;
        }
      }
      const { active, created } = await this.#ensureActiveVersion();
      if (active.schema !== this.#projection.schema) this.#rebuildForSchema(active.schema);
      // `created`: the read model was gone (Redis wiped) and this turn started it again — possibly with
      // the same version number, so the readers must restart from its (zero) checkpoint now, not wait
      // for the next event to fail a commit: on a quiet stream none may come.
      if (this.#active === null || created || active.version !== this.#active.version) {
        await this.#stopReaders();
        this.#active = active;
        await this.#startReaders();
      }
    } catch (error) {
      this.#deps.log.error({ projection: this.#projection.name, err: error }, 'projection runner step failed');
    }
  }

  /**
   * The active version was built by another schema of this projection (an upgrade changed what its
   * documents hold): rebuild it into a new version in the background while the old one keeps being
   * served and followed; the switch at the end moves the readers over on a later turn.
   */
  #rebuildForSchema(activeSchema: number): void {
    if (this.#rebuilding !== null) return;
    const projection = this.#projection.name;
    this.#deps.log.warn(
      { projection, from: activeSchema, to: this.#projection.schema },
      'projection schema changed; rebuilding',
    );
    this.#rebuilding = rebuildProjection(this.#deps, this.#projection)
      .then((result) => this.#deps.log.info({ ...result }, 'projection rebuilt for its new schema'))
      .catch((error: unknown) =>
        this.#deps.log.error({ projection, err: error }, 'projection rebuild failed; retrying'),
      )
      .finally(() => {
        this.#rebuilding = null;
      });
  }

  async #ensureActiveVersion(): Promise<{ readonly active: ActiveVersion; readonly created: boolean }> {
    const name = this.#projection.name;
    for (;;) {
      const current = await this.#deps.store.activeVersion(name);
      if (current !== null) return { active: current, created: false };
      // First build (or Redis was wiped): start a version and let this runner fill it from position 1.
      const first = { version: await this.#deps.store.allocateVersion(name), schema: this.#projection.schema };
      if (await this.#deps.store.switchVersion(name, null, first)) return { active: first, created: true };
    }
  }

  async #startReaders(): Promise<void> {
    const ns = this.namespace;
    if (ns === null) return;
    for (const stream of this.#projection.streams) await this.#startReader(ns, stream);
  }

  async #startReader(ns: ReadModelNamespace, stream: AggregateType): Promise<void> {
    const checkpoint = await this.#deps.store.checkpoint(ns, stream);
    const reader: StreamReader = {
      checkpoint,
      subscription: this.#deps.events.subscribe(
        stream,
        {
          from: checkpoint + 1,
          maxBatch: this.#maxBatch,
          onError: (err, attempt) =>
            this.#deps.log.warn(
              { projection: ns.projection, stream, attempt, err },
              'projection batch failed; retrying',
            ),
        },
        (batch) => this.#apply(ns, stream, reader, batch),
      ),
    };
    this.#readers.set(stream, reader);
  }

  async #apply(
    ns: ReadModelNamespace,
    stream: AggregateType,
    reader: StreamReader,
    batch: readonly StoredEvent[],
  ): Promise<void> {
    if (this.#lease === null || this.#readers.get(stream) !== reader) return;
    // A redelivered batch may start below the checkpoint: those events are already applied.
    const fresh = batch.filter((event) => event.position > reader.checkpoint);
    const last = fresh.at(-1);
    if (last === undefined) return;
    const writes = writesOfBatch(this.#projection, fresh);
    this.#deps.crash.hit('projector.before_commit');
    const result = await this.#deps.store.commit(ns, stream, {
      expect: reader.checkpoint,
      checkpoint: last.position,
      writes,
    });
    if (!result.ok) {
      // Someone else moved the checkpoint (we lost the lease, or a rebuild took over): start again
      // from where the store says, if we still hold the lease on the next turn.
      this.#deps.log.warn(
        { projection: ns.projection, stream, expected: reader.checkpoint, stored: result.checkpoint },
        'projection checkpoint moved; restarting the reader',
      );
      this.#readers.delete(stream);
      this.#active = null;
      queueMicrotask(() => void reader.subscription.stop());
      return;
    }
    reader.checkpoint = last.position;
    this.#onCommit?.(stream, last.position, fresh.length);
    this.#deps.crash.hit('projector.after_commit_before_next_fetch');
  }

  async #stopReaders(): Promise<void> {
    const readers = [...this.#readers.values()];
    this.#readers = new Map();
    await Promise.all(readers.map((r) => r.subscription.stop()));
  }

  #leaseName(): string {
    return `projector.${this.#projection.name}`;
  }
}
