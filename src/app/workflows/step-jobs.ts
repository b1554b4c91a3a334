/**
 * The two effects a run event has on step jobs (SPEC 2.2, the cancel guard): creating the job a
 * `job_scheduled` change names, and stopping one listed in `stop_jobs`. Both are idempotent and safe in
 * either order, because the job aggregate serialises them: a creation after the pre-emption fails
 * (`job_preempted`), a pre-emption after the creation becomes a cancel, and repeating either changes
 * nothing.
 */
import { ConflictError, ValidationError } from '../../domain/shared/errors.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { JobScheduled, JobToStop } from '../../domain/workflow/run-events.ts';
import { findUnit, isLive, runStep, type RunData, type RunState } from '../../domain/workflow/run-state.ts';
import { stepJobRequest } from '../../domain/workflow/step-job.ts';
import type { StartedRuntime } from '../jobs/create-runtime.ts';
import { cancelJob } from '../jobs/job-commands.ts';
import { executeJob } from '../jobs/job-repository.ts';
import { submitJob } from '../jobs/submit.ts';
import { runLogFields } from '../log-fields.ts';

/** The actor recorded on what the workflow engine itself appends. */
export const WORKFLOWS_ACTOR = 'workflows';

export type CreateOutcome = 'created' | 'exists' | 'not_needed' | 'rejected';

/**
 * Creates the step job of `change` with the id the event names (expected position 0), if the run
 * still waits on it: `run` is the run as it is now (at or after the event), so a replayed event whose
 * unit has moved on (a retry, an ended run) creates nothing — the later event stops that job anyway.
 * A request the job pipeline refuses (a payload over the limit, say) can never succeed: the job is
 * pre-empted instead, which the run reads as the step job cancelled, so the run ends rather than
 * waiting for the step's timeout.
 */
export async function createStepJob(rt: StartedRuntime, run: RunState, change: JobScheduled): Promise<CreateOutcome> {
  if (!isLive(run)) return 'not_needed';
  const unit = findUnit(runStep(run, change.step_id), change.index);
  if (unit?.status !== 'RUNNING' || unit.job?.job_id !== change.job_id) return 'not_needed';
  const tenant = run.keys.org_id;
  try {
    await submitJob(
      { jobs: rt.jobs, claims: rt.claims, config: rt.config, clock: rt.clock, entropy: rt.entropy, hasher: rt.hasher },
      {
        tenant,
        input: stepJobRequest(run.definition, run, change),
        idempotency_key: null,
        derived_id: change.job_id,
        actor: WORKFLOWS_ACTOR,
      },
    );
    return 'created';
  } catch (error) {
    if (error instanceof ConflictError && (error.code === 'job_exists' || error.code === 'job_preempted')) {
      return 'exists';
    }
    if (!(error instanceof ValidationError)) throw error;
    rt.log.warn(
      { ...runLogFields(run), job_id: change.job_id, step_id: change.step_id, field: error.field, err: error },
      'step job refused; pre-empting it',
    );
    const reason = `the step job could not be created: ${error.field}: ${error.message}`;
    await stopStepJob(rt, run, { job_id: change.job_id, step_id: change.step_id, index: change.index }, reason);
    return 'rejected';
  }
}

/**
 * Stops a step job the run no longer wants: pre-empted (`JobPreempted`, a legal first event, appended
 * with expected position 0) if it was not created yet, else cancelled, which tells its worker to stop.
 */
export async function stopStepJob(rt: StartedRuntime, run: RunData, job: JobToStop, reason: string): Promise<void> {
  const tenant = run.keys.org_id;
  const stream = streamId('job', tenant, job.job_id);
  const step = Object.hasOwn(run.definition.steps, job.step_id) ? run.definition.steps[job.step_id] : undefined;
  const preempted = await executeJob(
    rt.jobs,
    stream,
    () => ({
      type: 'PreemptJob',
      job_id: job.job_id,
      workflow_id: run.keys.workflow_id,
      run_id: run.keys.run_id,
      topic: step?.topic ?? null,
      team: run.keys.team_id,
      trace_id: run.trace_id,
      reason,
      now: rt.clock.now(),
    }),
    { actor: WORKFLOWS_ACTOR },
  );
  if (preempted instanceof ConflictError && preempted.code === 'job_exists') {
    // A cancel of a finished job changes nothing, so this is safe to repeat too.
    await cancelJob(rt, tenant, job.job_id, WORKFLOWS_ACTOR, reason);
    return;
  }
  if (preempted instanceof Error) throw preempted;
}
