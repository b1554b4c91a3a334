/**
 * The generic command handler (ARCHITECTURE.md sections 2-3): load → decide → append, for any decider.
 *
 * It loads the aggregate (from a cache of states with their positions when one is given, catching up
 * with the events appended since), asks the decider, and appends the one event it returns with the
 * load's last position as the expectation. When another writer got there first (`ConcurrencyError`), it
 * reloads and decides again, a bounded number of times; after that the error goes to the caller (the
 * API answers 409). The answer carries the aggregate's state and the position token of its last event;
 * a command that changed nothing answers the current position.
 */
import type { CoretexError } from '../../domain/shared/errors.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import type { DomainEvent, StoredEvent } from '../../domain/shared/events.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import type { StreamId } from '../../domain/shared/stream.ts';
import { formatStreamId } from '../../domain/shared/stream.ts';
import type { Clock, EventStore } from '../ports.ts';
import { type AggregateCache, type LoadedAggregate, noAggregateCache } from './aggregate-cache.ts';

/** What a decider returns when it decides: at most one event (one decision, one event). */
export interface Decision<E extends DomainEvent> {
  readonly events: readonly [] | readonly [E];
}

export interface Decider<S, C, E extends DomainEvent, D extends Decision<E> = Decision<E>> {
  readonly initialState: S;
  /** Total: never throws, whatever the event. */
  evolve(state: S, event: E): S;
  /** A decision, or a domain error as a value (ValidationError, ConflictError, NotFoundError, ...). */
  decide(command: C, state: S): D | CoretexError;
}

/** Envelope metadata of the event a command appends. */
export interface CommandMetadata {
  /** `api:<key id>`, `scheduler`, ... */
  readonly actor: string;
  readonly trace_id?: string | null;
  readonly causation_id?: string | null;
  readonly correlation_id?: string | null;
}

export interface CommandResult<S, D> {
  readonly state: S;
  readonly decision: D;
  /** The event this command appended; null when it changed nothing. */
  readonly appended: StoredEvent | null;
  /** The aggregate's last position after the command (0 when it still has no events). */
  readonly lastPosition: number;
  /** `<stream>:<seq>` of that position, as clients see it. */
  readonly position: string;
}

export interface CommandHandlerOptions<S> {
  /** How many times to reload and decide again after a ConcurrencyError (default 5). */
  readonly maxAttempts?: number;
  readonly cache?: AggregateCache<S>;
  /** Told of every append that stored a new event (metrics). */
  readonly onAppended?: (stream: StreamId, event: StoredEvent) => void;
}

export class CommandHandler<S, C, E extends DomainEvent, D extends Decision<E> = Decision<E>> {
  readonly #events: EventStore;
  readonly #clock: Clock;
  readonly #decider: Decider<S, C, E, D>;
  readonly #maxAttempts: number;
  readonly #cache: AggregateCache<S>;
  readonly #onAppended: ((stream: StreamId, event: StoredEvent) => void) | undefined;

  constructor(
    deps: { readonly events: EventStore; readonly clock: Clock },
    decider: Decider<S, C, E, D>,
    options: CommandHandlerOptions<S> = {},
  ) {
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#decider = decider;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.#cache = options.cache ?? noAggregateCache();
    this.#onAppended = options.onAppended;
  }

  /** The aggregate's current state and last position, as the event store knows it now. */
  async load(stream: StreamId): Promise<LoadedAggregate<S>> {
    const key = formatStreamId(stream);
    const cached = this.#cache.get(key);
    const history =
      cached === undefined
        ? await this.#events.read(stream)
        : await this.#events.read(stream, { from: cached.lastPosition + 1 });
    // A cached state whose aggregate moved in a way we cannot follow (rewritten, or shorter) is dropped.
    if (cached !== undefined && history.lastPosition < cached.lastPosition) {
      this.#cache.delete(key);
      return this.load(stream);
    }
    let state = cached?.state ?? this.#decider.initialState;
    for (const event of history.events) state = this.#decider.evolve(state, asDomainEvent<E>(event));
    const loaded: LoadedAggregate<S> = {
      state,
      lastPosition: history.lastPosition,
      firstPosition: history.firstPosition,
    };
    if (history.lastPosition > 0) this.#cache.set(key, loaded);
    return loaded;
  }

  /**
   * Runs one command. Domain errors returned by the decider are thrown as they are (the API maps them);
   * a ConcurrencyError is thrown only after `maxAttempts` loads in a row found the aggregate moved.
   */
  async execute(stream: StreamId, command: C, meta: CommandMetadata): Promise<CommandResult<S, D>> {
    const key = formatStreamId(stream);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(stream);
      const decision = this.#decider.decide(command, loaded.state);
      if (decision instanceof Error) throw decision;
      const [event] = decision.events;
      if (event === undefined) {
        return {
          state: loaded.state,
          decision,
          appended: null,
          lastPosition: loaded.lastPosition,
          position: formatPositionToken({ stream: stream.type, position: loaded.lastPosition }),
        };
      }
      try {
        const result = await this.#events.append(
          stream,
          {
            type: event.type,
            data: event.data,
            time: new Date(this.#clock.now()).toISOString(),
            actor: meta.actor,
            trace_id: meta.trace_id ?? null,
            causation_id: meta.causation_id ?? null,
            correlation_id: meta.correlation_id ?? null,
          },
          { expectedPosition: loaded.lastPosition, firstPosition: loaded.firstPosition },
        );
        const state = this.#decider.evolve(loaded.state, event);
        this.#cache.set(key, {
          state,
          lastPosition: result.position,
          firstPosition: loaded.firstPosition === 0 ? result.position : loaded.firstPosition,
        });
        if (!result.duplicate) this.#onAppended?.(stream, result.event);
        return {
          state,
          decision,
          appended: result.event,
          lastPosition: result.position,
          position: formatPositionToken({ stream: stream.type, position: result.position }),
        };
      } catch (error) {
        this.#cache.delete(key);
        if (!(error instanceof ConcurrencyError) || attempt >= this.#maxAttempts) throw error;
        // Someone else appended first: reload and decide again on what they wrote.
      }
    }
  }
}

function asDomainEvent<E extends DomainEvent>(stored: StoredEvent): E {
  return { type: stored.type, data: stored.data } as E;
}
