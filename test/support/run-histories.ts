/**
 * Run and workflow histories for read-model tests, decided by the real deciders (so the events have
 * exactly the shape the runtime appends) and wrapped as stored events with positions in one stream.
 */
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import type { RunCommand } from '../../src/domain/workflow/run-commands.ts';
import { decideRun } from '../../src/domain/workflow/run-decide.ts';
import type { RunStatus } from '../../src/domain/workflow/run-events.ts';
import { evolveRun } from '../../src/domain/workflow/run-evolve.ts';
import { initialRunState, type RunState } from '../../src/domain/workflow/run-state.ts';
import { parseWorkflowDefinition } from '../../src/domain/workflow/parse-definition.ts';
import { decideWorkflow, type WorkflowCommand } from '../../src/domain/workflow/workflow-decide.ts';
import { evolveWorkflow, initialWorkflowState, type WorkflowState } from '../../src/domain/workflow/workflow-events.ts';

/** The statuses `runHistory` can end a run in. */
export const REACHABLE_RUN_STATUSES: readonly RunStatus[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface RunSpec {
  readonly tenant: string;
  readonly run_id: string;
  readonly workflow_id: string;
  readonly team_id: string | null;
  readonly created_at: number;
  readonly status: RunStatus;
}

/** Positions across every history made by one sequence (one stream). */
export class StreamPositions {
  #position = 0;

  wrap(tenant: string, streamId: string, event: { type: string; data: unknown }, time: number): StoredEvent {
    const position = ++this.#position;
    return {
      ...event,
      id: `e${position}`,
      schema_version: 1,
      stream_id: streamId,
      time: new Date(time).toISOString(),
      trace_id: null,
      causation_id: null,
      correlation_id: null,
      actor: 'test',
      tenant,
      first_position: 0,
      position,
    };
  }
}

/** The events of a one-step run that ends (or stays) in `spec.status`. */
export function runHistory(positions: StreamPositions, spec: RunSpec): StoredEvent[] {
  const definition = parseWorkflowDefinition(
    { steps: { work: {} } },
    { workflow_id: spec.workflow_id, org_id: spec.tenant },
  );
  if (definition instanceof Error) throw definition;
  const t = spec.created_at;
  const commands: RunCommand[] = [
    {
      type: 'StartRun',
      now: t,
      run_id: spec.run_id,
      workflow: { version: 1, definition },
      team_id: spec.team_id,
      input: {},
      trace_id: `trace-${spec.run_id}`,
      started_by: 'api:test',
      default_timeouts: { work: 60_000 },
      rerun: null,
    },
  ];
  const job = `${spec.run_id}.work.1`;
  const outcome = (status: 'SUCCEEDED' | 'FAILED') => ({
    job_id: job,
    status,
    result: status === 'SUCCEEDED' ? { ok: true } : null,
    result_ptr: null,
    error: status === 'FAILED' ? { code: 'boom', message: 'broke' } : null,
    retryable: false,
  });
  if (spec.status !== 'PENDING' && spec.status !== 'CANCELLED') commands.push({ type: 'ScheduleRun', now: t + 1 });
  if (spec.status === 'SUCCEEDED' || spec.status === 'FAILED') {
    commands.push({ type: 'RecordStepJobOutcomes', now: t + 2, outcomes: [outcome(spec.status)] });
  }
  if (spec.status === 'CANCELLED') commands.push({ type: 'CancelRun', now: t + 1, by: 'api:test', reason: null });
  let state: RunState = initialRunState;
  const events: StoredEvent[] = [];
  for (const command of commands) {
    const decided = decideRun(command, state);
    if (decided instanceof Error) throw decided;
    for (const event of decided) {
      state = evolveRun(state, event);
      events.push(positions.wrap(spec.tenant, `run:${spec.tenant}:${spec.run_id}`, event, command.now));
    }
  }
  if (state.status !== spec.status) throw new Error(`run history reached ${state.status}, not ${spec.status}`);
  return events;
}

/** Decides workflow commands in turn (each on the state the previous left), as stored events. */
export function workflowHistory(
  positions: StreamPositions,
  tenant: string,
  commands: readonly WorkflowCommand[],
): StoredEvent[] {
  let state: WorkflowState = initialWorkflowState;
  const events: StoredEvent[] = [];
  for (const command of commands) {
    const decided = decideWorkflow(command, state);
    if (decided instanceof Error) throw decided;
    for (const event of decided) {
      state = evolveWorkflow(state, event);
      events.push(positions.wrap(tenant, `workflow:${tenant}:${command.workflow_id}`, event, command.now));
    }
  }
  return events;
}
