/**
 * Given/when/then for the run decider: `given(events).when(command).then(expected)`, where expected
 * events are matched partly (`toMatchObject`), so a spec names the fields it is about. `decided(...)`
 * builds a history by deciding commands in turn, and the command builders fill in what a spec does
 * not care about. Every `when` also checks that replaying its events gives the state the decider
 * worked from, and that each event's `due_at` is the due time of the state it leads to.
 */
import { expect } from 'vitest';
import type { WorkflowDefinition } from '../../src/domain/workflow/definition.ts';
import { parseWorkflowDefinition } from '../../src/domain/workflow/parse-definition.ts';
import type {
  CancelRun,
  DecideRunStepApproval,
  FireRunTimers,
  RecordStepJobOutcomes,
  RunCommand,
  ScheduleRun,
  StartRun,
} from '../../src/domain/workflow/run-commands.ts';
import { decideRun } from '../../src/domain/workflow/run-decide.ts';
import type { JobScheduled, RunEvent, StepJobOutcome } from '../../src/domain/workflow/run-events.ts';
import { evolveRun } from '../../src/domain/workflow/run-evolve.ts';
import { initialRunState, runDueAt, type RunState } from '../../src/domain/workflow/run-state.ts';

export const T0 = 1_700_000_000_000;

export function workflow(steps: Record<string, unknown>, extra: Record<string, unknown> = {}): WorkflowDefinition {
  const parsed = parseWorkflowDefinition({ name: 'spec', ...extra, steps }, { workflow_id: 'wf', org_id: 'acme' });
  if (parsed instanceof Error) throw new Error(`bad definition in a spec: ${parsed.field}: ${parsed.message}`);
  return parsed;
}

export function start(definition: WorkflowDefinition, overrides: Partial<StartRun> = {}): StartRun {
  const defaults: Record<string, number> = {};
  for (const id of Object.keys(definition.steps)) defaults[id] = 60_000;
  return {
    type: 'StartRun',
    now: T0,
    run_id: 'run1',
    workflow: { version: 1, definition },
    team_id: null,
    input: {},
    trace_id: 'trace1',
    started_by: 'api:key1',
    default_timeouts: defaults,
    rerun: null,
    ...overrides,
  };
}

export const schedule = (now = T0): ScheduleRun => ({ type: 'ScheduleRun', now });
export const timers = (now: number): FireRunTimers => ({ type: 'FireRunTimers', now });
export const cancel = (now: number, by = 'api:key1', reason: string | null = null): CancelRun => ({
  type: 'CancelRun',
  now,
  by,
  reason,
});
export const approve = (
  stepId: string,
  now: number,
  approved = true,
  reason: string | null = null,
): DecideRunStepApproval => ({
  type: 'DecideRunStepApproval',
  now,
  step_id: stepId,
  approved,
  by: 'alice',
  reason,
});
export const outcomes = (now: number, ...list: StepJobOutcome[]): RecordStepJobOutcomes => ({
  type: 'RecordStepJobOutcomes',
  now,
  outcomes: list,
});

export function succeeded(jobId: string, result: unknown = null): StepJobOutcome {
  return { job_id: jobId, status: 'SUCCEEDED', result, result_ptr: null, error: null, retryable: true };
}

export function failed(jobId: string, retryable = true, status: StepJobOutcome['status'] = 'FAILED'): StepJobOutcome {
  return {
    job_id: jobId,
    status,
    result: null,
    result_ptr: null,
    error: { code: 'boom', message: 'it broke' },
    retryable,
  };
}

export function fold(events: readonly RunEvent[], from: RunState = initialRunState): RunState {
  return events.reduce(evolveRun, from);
}

/** Decides each command against the history so far; throws if one is refused. */
export function decided(...commands: RunCommand[]): RunEvent[] {
  const events: RunEvent[] = [];
  for (const command of commands) {
    const result = decideRun(command, fold(events));
    if (result instanceof Error) throw new Error(`${command.type} refused: ${result.name} ${result.message}`);
    events.push(...result);
  }
  return events;
}

/** The job ids scheduled by events, in order. */
export function scheduledJobs(events: readonly RunEvent[]): JobScheduled[] {
  return events.flatMap((event) => event.data.changes.filter((change) => change.type === 'job_scheduled'));
}

export interface Outcome {
  readonly before: RunState;
  readonly after: RunState;
  readonly events: readonly RunEvent[];
  then(expected: readonly unknown[]): Outcome;
  thenNothing(): Outcome;
  thenError(name: string, code?: string, field?: string): void;
}

export function given(events: readonly RunEvent[]) {
  const before = fold(events);
  return {
    when(command: RunCommand): Outcome {
      const result = decideRun(command, before);
      const produced = result instanceof Error ? [] : result;
      const after = fold(produced, before);
      let previous = before;
      for (const event of produced) {
        previous = evolveRun(previous, event);
        expect(event.data.due_at, `${event.type}.due_at`).toBe(runDueAt(previous));
      }
      const outcome: Outcome = {
        before,
        after,
        events: produced,
        then(expected) {
          if (result instanceof Error) throw new Error(`expected events, got ${result.name}: ${result.message}`);
          expect(result).toHaveLength(expected.length);
          expect(result).toMatchObject(expected);
          return outcome;
        },
        thenNothing() {
          if (result instanceof Error) throw new Error(`expected no events, got ${result.name}: ${result.message}`);
          expect(result).toEqual([]);
          return outcome;
        },
        thenError(name, code, field) {
          if (!(result instanceof Error)) throw new Error(`expected ${name}, got ${result.length} events`);
          expect(result.name).toBe(name);
          // The message is the problem+json `detail` a client reads: it must say something.
          expect(result.message, 'the error explains itself').not.toBe('');
          if (code !== undefined) expect((result as Error & { code: string }).code).toBe(code);
          if (field !== undefined) expect((result as Error & { field: string }).field).toBe(field);
        },
      };
      return outcome;
    },
  };
}
