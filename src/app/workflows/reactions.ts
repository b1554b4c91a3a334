/**
 * What the workflow process manager does with its inputs (ARCHITECTURE.md section 5). Each reaction
 * decides on the run as it is now (the repository reloads on a conflict) and is idempotent, so a
 * replay after a crash repeats nothing:
 *   RunStarted            → `ScheduleRun` (the first scheduling pass; nothing once the run moved on)
 *   any run event         → its effects: step jobs created, stopped jobs pre-empted or cancelled;
 *                           then, if a decision left units to start for lack of budget (a large
 *                           fan-out), `ScheduleRun` again — its event, read back, continues it
 *   step jobs' outcomes   → one `RecordStepJobOutcomes` per run and fetch (outcomes the run no
 *                           longer waits on are ignored by the decider)
 */
import type { JobEvent } from '../../domain/job/events.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { parseStepJobId } from '../../domain/shared/ids.ts';
import { type StreamId, streamId } from '../../domain/shared/stream.ts';
import type { RunEvent, StepJobOutcome } from '../../domain/workflow/run-events.ts';
import { deferredSince, isLive } from '../../domain/workflow/run-state.ts';
import { stepJobOutcome } from '../../domain/workflow/step-job.ts';
import { isJobEvent } from '../../projections/jobs/job-events.ts';
import { isRunEvent } from '../../projections/runs/run-events.ts';
import { executeRun } from './run-repository.ts';
import type { WorkflowRuntime, WorkflowRuntimeOptions } from './runtime.ts';
import { WORKFLOWS_ACTOR } from './step-jobs.ts';

export async function reactToRunEvent(wrt: WorkflowRuntime, stored: StoredEvent): Promise<void> {
  if (!isRunEvent(stored)) return;
  const stream = streamId('run', stored.tenant, (stored.data as RunEvent['data']).keys.run_id);
  if (stored.type === 'RunStarted') await scheduleRun(wrt, stream, stored.id);
  await wrt.effects.perform(stored);
  const run = await wrt.runs.load(stream, { atLeast: stored.position });
  if (isLive(run.state) && run.state.status !== 'PENDING' && deferredSince(run.state) !== null) {
    await scheduleRun(wrt, stream, stored.id);
  }
}

/** A scheduling pass: the run's first, or one continuing deferred units (the decider ignores it otherwise). */
async function scheduleRun(wrt: WorkflowRuntime, stream: StreamId, causationId: string): Promise<void> {
  const executed = await executeRun(
    wrt.runs,
    wrt.rt.events,
    stream,
    () => ({ type: 'ScheduleRun', now: wrt.rt.clock.now() }),
    { actor: WORKFLOWS_ACTOR, causation_id: causationId },
  );
  if (executed instanceof Error) throw executed;
  await wrt.effects.afterDecision(executed.appended);
}

/** The step-job outcomes of one run found in one fetch, with the events they came from. */
export interface RunOutcomes {
  readonly stream: StreamId;
  readonly events: StoredEvent[];
  readonly outcomes: StepJobOutcome[];
}

/** Groups a fetch of step-job events by run, keeping the order read; events that end no job are left out. */
export function outcomesByRun(batch: readonly StoredEvent[]): Map<string, RunOutcomes> {
  const groups = new Map<string, RunOutcomes>();
  for (const stored of batch) {
    if (!isJobEvent(stored)) continue;
    const outcome = stepJobOutcome({ type: stored.type, data: stored.data } as JobEvent);
    const ref = outcome === null ? null : parseStepJobId(outcome.job_id);
    if (outcome === null || ref === null) continue;
    const key = `${stored.tenant}/${ref.runId}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { stream: streamId('run', stored.tenant, ref.runId), events: [], outcomes: [] };
      groups.set(key, group);
    }
    group.events.push(stored);
    group.outcomes.push(outcome);
  }
  return groups;
}

/**
 * Splits one run's outcomes into decisions small enough to append: at most `maxOutcomesPerDecision`
 * each, and at most `maxOutcomeBytesPerDecision` of results and errors (a single larger one goes alone).
 */
export function chunkOutcomes(group: RunOutcomes, options: WorkflowRuntimeOptions): RunOutcomes[] {
  const chunks: RunOutcomes[] = [];
  let current: RunOutcomes = { stream: group.stream, events: [], outcomes: [] };
  let bytes = 0;
  group.outcomes.forEach((outcome, i) => {
    const size = outcomeBytes(outcome);
    const full =
      current.outcomes.length >= options.maxOutcomesPerDecision ||
      (current.outcomes.length > 0 && bytes + size > options.maxOutcomeBytesPerDecision);
    if (full) {
      chunks.push(current);
      current = { stream: group.stream, events: [], outcomes: [] };
      bytes = 0;
    }
    current.events.push(group.events[i] as StoredEvent);
    current.outcomes.push(outcome);
    bytes += size;
  });
  if (current.outcomes.length > 0) chunks.push(current);
  return chunks;
}

function outcomeBytes(outcome: StepJobOutcome): number {
  return (JSON.stringify(outcome.result ?? null)?.length ?? 4) + (outcome.error?.message.length ?? 0) + 200;
}

/** Records one chunk of a run's outcomes in one decision, then performs that decision's effects. */
export async function recordOutcomes(wrt: WorkflowRuntime, chunk: RunOutcomes): Promise<void> {
  const executed = await executeRun(
    wrt.runs,
    wrt.rt.events,
    chunk.stream,
    () => ({ type: 'RecordStepJobOutcomes', now: wrt.rt.clock.now(), outcomes: chunk.outcomes }),
    { actor: WORKFLOWS_ACTOR, causation_id: chunk.events.at(-1)?.id ?? null },
  );
  if (executed instanceof NotFoundError) {
    // Step job ids name their run, and runs are never deleted: this is a job someone made by hand.
    wrt.rt.log.warn({ run_id: chunk.stream.id, jobs: chunk.outcomes.map((o) => o.job_id) }, 'outcomes for no run');
    return;
  }
  if (executed instanceof Error) throw executed;
  await wrt.effects.afterDecision(executed.appended);
}

/** How parked inputs of the workflow engine are replayed: the same handlers that parked them. */
export function registerWorkflowReplays(wrt: WorkflowRuntime): void {
  wrt.rt.parking.handle('run-event', async (parked) => {
    await reactToRunEvent(wrt, parked.input as StoredEvent);
  });
  wrt.rt.parking.handle('step-job-outcomes', async (parked) => {
    for (const group of outcomesByRun(parked.input as StoredEvent[]).values()) {
      for (const chunk of chunkOutcomes(group, wrt.options)) await recordOutcomes(wrt, chunk);
    }
  });
}
