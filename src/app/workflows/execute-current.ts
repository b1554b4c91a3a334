/**
 * Deciding on the aggregate as it is, not as a cache remembers it (ARCHITECTURE.md section 3: "a
 * decision that would drop an input first checks that its cached position is still the aggregate's
 * last, and reloads if not"). The repository reloads on its own when an append conflicts; a decision
 * that appends nothing — an outcome ignored as stale, an approval refused as "not waiting" — never
 * meets that conflict, so it is checked here: if the aggregate has moved past the position decided
 * on, the cache entry is dropped and the decision made again. The check costs a round trip only when
 * nothing was appended.
 */
import type { AggregateRepository, Decision, Executed, Loaded, Metadata } from '../aggregate-repository.ts';
import type { DomainEvent } from '../../domain/shared/events.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import type { StreamId } from '../../domain/shared/stream.ts';
import type { EventStore } from '../ports.ts';

export async function executeOnCurrent<S, E extends DomainEvent, D extends Decision<E>>(
  repository: AggregateRepository<S, E>,
  events: EventStore,
  stream: StreamId,
  decide: (current: Loaded<S>) => D | Error,
  meta: Metadata,
  attempts = 3,
): Promise<Executed<S, D> | Error> {
  for (let attempt = 1; ; attempt++) {
    let decidedAt = -1;
    const executed = await repository.execute(
      stream,
      (current) => {
        decidedAt = current.position;
        return decide(current);
      },
      meta,
    );
    const appended = !(executed instanceof Error) && executed.appended !== null;
    if (appended || executed instanceof ConcurrencyError || attempt >= attempts) return executed;
    if ((await events.lastPosition(stream)) === decidedAt) return executed;
    repository.forget(stream);
  }
}

/**
 * The aggregate as it is now, for reads that must not be stale (`GET` by id, the workflow a run is
 * pinned to): the cached state when the store's last position for the aggregate is still the cached
 * one (one cheap round trip), else a fresh load.
 */
export async function loadCurrent<S, E extends DomainEvent>(
  repository: AggregateRepository<S, E>,
  events: EventStore,
  stream: StreamId,
): Promise<Loaded<S>> {
  const [cached, last] = await Promise.all([repository.load(stream), events.lastPosition(stream)]);
  return cached.position === last ? cached : repository.load(stream, { fresh: true });
}
