/**
 * A workflow run as clients see it (`GET /api/v1/workflow-runs/{id}`): one flat object whatever the
 * state, each step with its status, wait, latest job ids, output and error; times as ISO 8601.
 */
import { formatPositionToken } from '../../domain/shared/events.ts';
import { stepOf, type WorkflowDefinition } from '../../domain/workflow/definition.ts';
import type { ActiveRun, RunStep } from '../../domain/workflow/run-state.ts';
import { iso, isoOrNull } from './job.ts';

function stepView(run: ActiveRun, stepId: string, step: RunStep) {
  return {
    type: stepOf(run.definition, stepId)?.type ?? 'job',
    status: step.status,
    started_at: isoOrNull(step.started_at),
    ended_at: isoOrNull(step.ended_at),
    wait:
      step.wait === null ? null : { reason: step.wait.reason, until: iso(step.wait.until), request: step.wait.request },
    job_ids: step.units.flatMap((unit) => (unit.job === null ? [] : [unit.job.job_id])),
    // Each retry is a new job whose attempt counts on from the unit's last: summed, the jobs made.
    attempts: step.units.reduce((sum, unit) => sum + (unit.job?.attempt ?? 0), 0),
    output: step.output ?? null,
    output_ptr: step.output_ptr,
    error: step.error === null ? null : { code: step.error.code, message: step.error.message },
    reused: step.reused,
  };
}

/** One run as the event store knows it, at `position` in the run stream. */
export function runView(run: ActiveRun, tenant: string, position: number) {
  const ended = 'outcome' in run ? run : null;
  return {
    run_id: run.keys.run_id,
    tenant,
    workflow_id: run.keys.workflow_id,
    workflow_version: run.keys.workflow_version,
    team_id: run.keys.team_id,
    status: run.status,
    input: run.input ?? null,
    output: ended?.outcome.output ?? null,
    error: ended?.outcome.error ?? null,
    trace_id: run.trace_id,
    started_by: run.started_by,
    started_at: iso(run.started_at),
    ended_at: isoOrNull(ended?.ended_at),
    timeout_at: isoOrNull(run.timeout_at),
    rerun_of: run.rerun_of === null ? null : { run_id: run.rerun_of.run_id, from_step: run.rerun_of.from_step },
    steps: Object.fromEntries(Object.entries(run.steps).map(([id, step]) => [id, stepView(run, id, step)])),
    position: formatPositionToken({ stream: 'run', position }),
  };
}

/** A saved definition as `GET /api/v1/workflows/{id}` shows it (every default filled in). */
export function definitionView(definition: WorkflowDefinition) {
  return {
    ...definition,
    steps: Object.fromEntries(
      Object.entries(definition.steps).map(([id, step]) => [
        id,
        { ...step, depends_on: [...step.depends_on], requires: [...step.requires] },
      ]),
    ),
  };
}
