/** The workflow definition aggregate's repository: each save appends a version, a delete ends it. */
import type { StreamId } from '../../domain/shared/stream.ts';
import { decideWorkflow, type WorkflowCommand } from '../../domain/workflow/workflow-decide.ts';
import {
  evolveWorkflow,
  initialWorkflowState,
  type WorkflowEvent,
  type WorkflowState,
} from '../../domain/workflow/workflow-events.ts';
import {
  AggregateRepository,
  type Decider,
  type Executed,
  type Loaded,
  type Metadata,
} from '../aggregate-repository.ts';
import type { Clock, EventStore } from '../ports.ts';
import { executeOnCurrent } from './execute-current.ts';

export const workflowDecider: Decider<WorkflowState, WorkflowEvent> = {
  initial: initialWorkflowState,
  evolve: evolveWorkflow,
  isFinished: (state) => state.status === 'DELETED',
  envelopeOf: (event) => ({ trace_id: null, correlation_id: event.data.keys.workflow_id }),
  startsHistory: () => false,
};

export type LoadedWorkflow = Loaded<WorkflowState>;
export type WorkflowRepository = AggregateRepository<WorkflowState, WorkflowEvent>;
export type ExecutedWorkflow = Executed<WorkflowState, { readonly events: readonly [] | readonly [WorkflowEvent] }>;

export function workflowRepository(events: EventStore, clock: Clock): WorkflowRepository {
  return new AggregateRepository(events, clock, workflowDecider, { maxCached: 5_000 });
}

/** Decides a workflow command on its current state (`executeOnCurrent`) and appends the outcome. */
export function executeWorkflow(
  workflows: WorkflowRepository,
  events: EventStore,
  stream: StreamId,
  command: (workflow: LoadedWorkflow) => WorkflowCommand,
  meta: Metadata,
): Promise<ExecutedWorkflow | Error> {
  return executeOnCurrent(
    workflows,
    events,
    stream,
    (workflow) => {
      const decision = decideWorkflow(command(workflow), workflow.state);
      if (decision instanceof Error) return decision;
      if (decision.length > 1) return new Error(`a workflow decision yielded ${decision.length} events`);
      return { events: decision as readonly [] | readonly [WorkflowEvent] };
    },
    meta,
  );
}
