/** The DLQ entry aggregate's repository. */
import type { DlqEvent } from '../../domain/dlq/events.ts';
import { evolveDlq } from '../../domain/dlq/evolve.ts';
import type { DlqState } from '../../domain/dlq/state.ts';
import { NO_DLQ_ENTRY } from '../../domain/dlq/state.ts';
import { AggregateRepository, type Decider } from '../aggregate-repository.ts';
import type { Clock, EventStore } from '../ports.ts';

export const dlqDecider: Decider<DlqState, DlqEvent> = {
  initial: NO_DLQ_ENTRY,
  evolve: evolveDlq,
  isFinished: (state) => state.status === 'DELETED',
  envelopeOf: (event) => ({ trace_id: null, correlation_id: event.data.keys.job_id }),
  startsHistory: () => false,
};

export type DlqRepository = AggregateRepository<DlqState, DlqEvent>;

export function dlqRepository(events: EventStore, clock: Clock): DlqRepository {
  return new AggregateRepository(events, clock, dlqDecider, { maxCached: 5_000 });
}
