/**
 * The run aggregate's repository: the generic load → decide → append loop with the run decider. Every
 * run event carries the run's trace; the run id is the correlation id of its events and of its step jobs'.
 */
import type { StreamId } from '../../domain/shared/stream.ts';
import type { RunCommand } from '../../domain/workflow/run-commands.ts';
import { decideRun, type RunDecision } from '../../domain/workflow/run-decide.ts';
import type { RunEvent } from '../../domain/workflow/run-events.ts';
import { evolveRun } from '../../domain/workflow/run-evolve.ts';
import { initialRunState, isLive, type RunState } from '../../domain/workflow/run-state.ts';
import {
  AggregateRepository,
  type Decider,
  type Executed,
  type Loaded,
  type Metadata,
} from '../aggregate-repository.ts';
import type { Clock, EventStore } from '../ports.ts';
import { executeOnCurrent } from './execute-current.ts';

export const runDecider: Decider<RunState, RunEvent> = {
  initial: initialRunState,
  evolve: evolveRun,
  isFinished: (state) => state.status !== 'NONE' && !isLive(state),
  envelopeOf: (event, before) => ({
    trace_id: event.type === 'RunStarted' ? event.data.trace_id : before.status === 'NONE' ? null : before.trace_id,
    correlation_id: event.data.keys.run_id,
  }),
  startsHistory: (event) => event.type === 'RunSnapshot',
};

export type LoadedRun = Loaded<RunState>;
export type RunRepository = AggregateRepository<RunState, RunEvent>;
export type ExecutedRun = Executed<RunState, { readonly events: readonly [] | readonly [RunEvent] }>;

export function runRepository(events: EventStore, clock: Clock, options: { maxCached?: number } = {}): RunRepository {
  return new AggregateRepository(events, clock, runDecider, options);
}

/**
 * Decides a run command on the run's current state and appends the outcome; a decision that appends
 * nothing is checked against the run's last position (`executeOnCurrent`). `command` is built per
 * try, so a retry after a conflict gets a fresh `now`.
 */
export function executeRun(
  runs: RunRepository,
  events: EventStore,
  stream: StreamId,
  command: (run: LoadedRun) => RunCommand,
  meta: Metadata,
): Promise<ExecutedRun | Error> {
  return executeOnCurrent(runs, events, stream, (run) => asDecision(decideRun(command(run), run.state)), meta);
}

/** The decider answers with a list of at most one event; the repository wants that said in the type. */
function asDecision(decision: RunDecision): { readonly events: readonly [] | readonly [RunEvent] } | Error {
  if (decision instanceof Error) return decision;
  if (decision.length > 1) return new Error(`a run decision yielded ${decision.length} events; at most one is allowed`);
  return { events: decision as readonly [] | readonly [RunEvent] };
}
