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
  // An entry carries the trace of the job it holds, so a failed request's trace leads to its DLQ entry.
  envelopeOf: (event, before) => ({
    trace_id:
      event.type === 'DlqEntryAdded'
        ? event.data.request.trace_id
        : before.status === 'NONE'
          ? null
          : before.request.trace_id,
    correlation_id: event.data.keys.job_id,
  }),
  startsHistory: () => false,
};

export type DlqRepository = AggregateRepository<DlqState, DlqEvent>;

export function dlqRepository(events: EventStore, clock: Clock): DlqRepository {
  return new AggregateRepository(events, clock, dlqDecider, { maxCached: 5_000 });
}
