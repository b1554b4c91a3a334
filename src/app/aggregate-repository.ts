/**
 * Acting on an aggregate (ARCHITECTURE.md sections 2-3): load → decide → append one event with the
 * expected position, and on a concurrency conflict reload and decide again (bounded). Decisions on one
 * aggregate are serialised within this process; decisions on different aggregates run concurrently,
 * so many appends are in flight at once. States are cached with their positions, fed by this process's
 * own appends and, for a partition's owner, by the partition's event stream (`observe`).
 */
import { ConcurrencyError } from '../domain/shared/errors.ts';
import { type DomainEvent, loadStartOf, type StoredEvent } from '../domain/shared/events.ts';
import type { StreamId } from '../domain/shared/stream.ts';
import { formatStreamId, parseStreamId, partitionOf } from '../domain/shared/stream.ts';
import { AggregateCache } from './aggregate-cache.ts';
import type { Clock, EventStore } from './ports.ts';

export interface Decider<S, E extends DomainEvent> {
  readonly initial: S;
  evolve(state: S, event: E): S;
  /** Whether a state is finished (its cache entry is the first to go). */
  isFinished(state: S): boolean;
  /**
   * Envelope fields an event carries (trace, correlation), from the event or the aggregate it changes
   * (`before`): every event of an aggregate that has a trace carries it, not only its first.
   */
  envelopeOf(event: E, before: S): { readonly trace_id: string | null; readonly correlation_id: string | null };
  /** Events that start the history themselves (snapshots): later loads begin there. */
  startsHistory(event: E): boolean;
}

export interface Loaded<S> {
  readonly state: S;
  /** The aggregate's last position (0: no events). */
  readonly position: number;
  /** Where its history starts (passed back on append). */
  readonly firstPosition: number;
}

export interface Metadata {
  readonly actor: string;
  readonly causation_id?: string | null;
  /**
   * The aggregate is known to be new (an id just generated): decide on the initial state without a
   * read. Should it exist after all, the append's expected position 0 fails and the loop reloads.
   */
  readonly expectNew?: boolean;
}

export interface Decision<E> {
  readonly events: readonly [] | readonly [E];
}

export interface Executed<S, D> {
  readonly decision: D;
  /** The aggregate after the decision. */
  readonly after: Loaded<S>;
  /** The event appended, if any. */
  readonly appended: StoredEvent | null;
}

export class AggregateRepository<S, E extends DomainEvent> {
  readonly #events: EventStore;
  readonly #clock: Clock;
  readonly #decider: Decider<S, E>;
  readonly #cache: AggregateCache<Loaded<S>>;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #maxAttempts: number;

  constructor(
    events: EventStore,
    clock: Clock,
    decider: Decider<S, E>,
    options: { maxCached?: number; maxAttempts?: number } = {},
  ) {
    this.#events = events;
    this.#clock = clock;
    this.#decider = decider;
    this.#maxAttempts = options.maxAttempts ?? 6;
    const maxCached = options.maxCached ?? 50_000;
    // Finished ones are needed for seconds after their last event: a quarter of the room is plenty.
    this.#cache = new AggregateCache(maxCached, Math.max(1, Math.floor(maxCached / 4)));
  }

  /**
   * The aggregate as of its last event (from the cache when this process has followed it). `atLeast`:
   * a reaction to an event needs the aggregate as of that event at least — a cache behind it is read
   * again from the store.
   */
  async load(
    stream: StreamId,
    options: { readonly fresh?: boolean; readonly atLeast?: number } = {},
  ): Promise<Loaded<S>> {
    const key = formatStreamId(stream);
    const cached = options.fresh ? undefined : this.#cache.get(key);
    if (cached !== undefined && cached.position >= (options.atLeast ?? 0)) return cached;
    const history = await this.#events.read(stream);
    let state = this.#decider.initial;
    for (const event of history.events) state = this.#decider.evolve(state, event as unknown as E);
    const loaded = { state, position: history.lastPosition, firstPosition: history.firstPosition };
    this.#remember(key, loaded);
    return loaded;
  }

  /**
   * Caches an aggregate from a whole history the caller has just read, unless the cache already holds
   * it as far: a caller about to decide on an aggregate it has read need not have it read again. Only a
   * history that starts at the aggregate's first event or a snapshot is whole; any other is left alone.
   * A history that was stale by then costs a retry, no more: the append's expected position refuses it
   * and the aggregate is read afresh.
   */
  prime(stream: StreamId, events: readonly StoredEvent[]): void {
    const last = events.at(-1);
    if (last === undefined || events[0]?.first_position !== 0) return;
    let state = this.#decider.initial;
    for (const event of events) state = this.#decider.evolve(state, event as unknown as E);
    this.#remember(formatStreamId(stream), { state, position: last.position, firstPosition: loadStartOf(last) });
  }

  /**
   * Folds an event read from the aggregate's stream into the cache. Events at or below the cached
   * position are already in; an aggregate not cached is left alone (loaded whole when next needed).
   */
  observe(event: StoredEvent): void {
    const cached = this.#cache.get(event.stream_id);
    // An event that starts its history (a first event or a snapshot: `first_position` 0) is a whole
    // state by itself, so the owner of a stream of new aggregates never has to read them back.
    const startsHistory = event.first_position === 0;
    if (cached === undefined ? !startsHistory : event.position <= cached.position) return;
    this.#remember(event.stream_id, {
      state: this.#decider.evolve(
        cached === undefined || startsHistory ? this.#decider.initial : cached.state,
        event as unknown as E,
      ),
      position: event.position,
      firstPosition: startsHistory ? event.position : event.first_position,
    });
  }

  /** Runs `decide` on the aggregate's current state and appends its event; serialised per aggregate. */
  execute<D extends Decision<E>>(
    stream: StreamId,
    decide: (current: Loaded<S>) => D | Error,
    meta: Metadata,
  ): Promise<Executed<S, D> | Error> {
    const key = formatStreamId(stream);
    return this.#serialised(key, () => this.#execute(stream, key, decide, meta));
  }

  /**
   * Runs `decide` on the aggregate's last event alone and appends its event right after it: for an
   * aggregate that can no longer be loaded (the start of its history aged out) whose last event holds
   * all the decision needs. The envelope's fields come from the event alone. Something appended since
   * that event is a conflict, returned rather than retried: the decision was made on what was read.
   */
  executeOnLast<D extends Decision<E>>(
    stream: StreamId,
    last: StoredEvent,
    decide: (last: StoredEvent) => D | Error,
    meta: Metadata,
  ): Promise<{ readonly decision: D; readonly appended: StoredEvent | null } | Error> {
    const key = formatStreamId(stream);
    return this.#serialised(key, async () => {
      const decision = decide(last);
      if (decision instanceof Error) return decision;
      const [event] = decision.events;
      if (event === undefined) return { decision, appended: null };
      try {
        const appended = await this.#append(stream, event, this.#decider.initial, meta, {
          expectedPosition: last.position,
          firstPosition: loadStartOf(last),
        });
        return { decision, appended: appended.event };
      } catch (error) {
        if (error instanceof ConcurrencyError) return error;
        throw error;
      } finally {
        this.#cache.delete(key);
      }
    });
  }

  /** Appends a decided event, its envelope from the event and the state it was decided on. */
  #append(
    stream: StreamId,
    event: E,
    before: S,
    meta: Metadata,
    options: { readonly expectedPosition: number; readonly firstPosition: number },
  ): ReturnType<EventStore['append']> {
    const envelope = this.#decider.envelopeOf(event, before);
    return this.#events.append(
      stream,
      {
        type: event.type,
        data: event.data,
        time: new Date(this.#clock.now()).toISOString(),
        actor: meta.actor,
        trace_id: envelope.trace_id,
        causation_id: meta.causation_id ?? null,
        correlation_id: envelope.correlation_id,
      },
      options,
    );
  }

  /** Runs `work` after every earlier decision on the same aggregate in this process. */
  #serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    this.#queues.set(key, run);
    const done = () => {
      if (this.#queues.get(key) === run) this.#queues.delete(key);
    };
    // Not `finally`: that would pass a failed append on to a promise nobody awaits, and an unhandled
    // rejection ends the process. The caller handles `run` itself.
    run.then(done, done);
    return run;
  }

  forget(stream: StreamId): void {
    this.#cache.delete(formatStreamId(stream));
  }

  /**
   * Drops every cached aggregate of one partition: a process taking a partition over (again) cannot
   * know what its previous owner appended meanwhile, and following the stream from the saved cursor
   * would fold those events onto the old state as if nothing had been missed.
   */
  forgetPartition(partition: number, partitions: number): number {
    return this.#cache.deleteWhere((key) => {
      const stream = parseStreamId(key);
      return stream !== null && partitionOf(stream, partitions) === partition;
    });
  }

  async #execute<D extends Decision<E>>(
    stream: StreamId,
    key: string,
    decide: (current: Loaded<S>) => D | Error,
    meta: Metadata,
  ): Promise<Executed<S, D> | Error> {
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const cached = fresh ? undefined : this.#cache.get(key);
      const current =
        attempt === 1 && meta.expectNew === true && cached === undefined
          ? { state: this.#decider.initial, position: 0, firstPosition: 0 }
          : await this.load(stream, { fresh });
      const decision = decide(current);
      const [event] = decision instanceof Error ? [] : decision.events;
      // A decision that drops its input (no event, or a refusal) on a cached state first checks that
      // the cache is still the aggregate's last position (ARCHITECTURE.md section 3): another process
      // may have appended since — the previous owner of a partition dispatched the job this worker's
      // result is for — and dropping the result on that stale state would lose it.
      if (event === undefined && cached !== undefined && current === cached && attempt < this.#maxAttempts) {
        if ((await this.#events.lastPosition(stream)) !== current.position) {
          this.#cache.delete(key);
          fresh = true;
          continue;
        }
      }
      if (decision instanceof Error) return decision;
      if (event === undefined) return { decision, after: current, appended: null };
      const startsHere = current.position === 0 || this.#decider.startsHistory(event);
      try {
        const appended = await this.#append(stream, event, current.state, meta, {
          expectedPosition: current.position,
          firstPosition: startsHere ? 0 : current.firstPosition,
        });
        const after: Loaded<S> = {
          state: this.#decider.evolve(current.state, event),
          position: appended.position,
          firstPosition: startsHere ? appended.position : current.firstPosition,
        };
        this.#remember(key, after);
        return { decision, after, appended: appended.event };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= this.#maxAttempts) return error;
        // Someone else wrote first: decide again on the aggregate as it is now.
        this.#cache.delete(key);
        fresh = true;
      }
    }
  }

  #remember(key: string, loaded: Loaded<S>): void {
    // Never move a cached aggregate backwards: a slow load (the reconciler's fresh read, say) finishing
    // after the stream was followed further would hand later events a state that missed some, and
    // `observe` would fold them onto it.
    const current = this.#cache.get(key);
    if (current !== undefined && current.position > loaded.position) return;
    this.#cache.set(key, loaded, this.#decider.isFinished(loaded.state));
  }
}
