/**
 * The run commands the API gives on an existing run (SPEC 2.2): cancel (`200`; a run that has ended
 * answers with its state and changes nothing — the cancel guard), approve or reject a waiting approval
 * step (`409 step_not_waiting` when it is not waiting, `approval_expired` once its time is up), and
 * reading a run and its events from the event store (authoritative, never stale). The effects —
 * stopping the step jobs, creating the jobs of the steps that become ready — are the process
 * manager's, driven by the event appended here.
 */
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import { loadCurrent } from './execute-current.ts';
import { executeRun } from './run-repository.ts';
import { type RunAnswer, runAnswer } from './run-answer.ts';
import type { WorkflowRuntime } from './runtime.ts';

export async function cancelRun(
  wrt: WorkflowRuntime,
  tenant: string,
  runId: string,
  by: string,
  reason: string | null,
): Promise<RunAnswer> {
  const stream = streamId('run', tenant, runId);
  const executed = await executeRun(
    wrt.runs,
    wrt.rt.events,
    stream,
    () => ({ type: 'CancelRun', now: wrt.rt.clock.now(), by, reason }),
    { actor: by },
  );
  if (executed instanceof Error) throw executed;
  return runAnswer(runId, executed.after.state, executed.after.position, { changed: executed.appended !== null });
}

export interface StepApproval {
  readonly approved: boolean;
  readonly by: string;
  readonly reason: string | null;
}

/** `POST /api/v1/workflow-runs/{run_id}/steps/{step_id}/approve {approved, reason}`. */
export async function decideStepApproval(
  wrt: WorkflowRuntime,
  tenant: string,
  runId: string,
  stepId: string,
  approval: StepApproval,
): Promise<RunAnswer> {
  const stream = streamId('run', tenant, runId);
  const executed = await executeRun(
    wrt.runs,
    wrt.rt.events,
    stream,
    () => ({
      type: 'DecideRunStepApproval',
      now: wrt.rt.clock.now(),
      step_id: stepId,
      approved: approval.approved,
      by: approval.by,
      reason: approval.reason,
    }),
    { actor: approval.by },
  );
  if (executed instanceof Error) throw executed;
  return runAnswer(runId, executed.after.state, executed.after.position, { changed: executed.appended !== null });
}

/** `GET /api/v1/workflow-runs/{id}/events`: every event of the run in order. Unknown → NotFoundError. */
export async function runEvents(wrt: WorkflowRuntime, tenant: string, runId: string): Promise<StoredEvent[]> {
  const history = await wrt.rt.events.read(streamId('run', tenant, runId), { from: 1 });
  if (history.lastPosition === 0) throw new NotFoundError(`run ${runId} not found`, 'run_not_found');
  return [...history.events];
}

/** `GET /api/v1/workflow-runs/{id}`: the run as the event store knows it. Unknown → NotFoundError. */
export async function getRun(wrt: WorkflowRuntime, tenant: string, runId: string): Promise<RunAnswer> {
  const loaded = await loadCurrent(wrt.runs, wrt.rt.events, streamId('run', tenant, runId));
  return runAnswer(runId, loaded.state, loaded.position, { changed: false });
}
