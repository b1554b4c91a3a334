/**
 * The hand-off message (SPEC 1.6, ARCHITECTURE.md section 6): the job, its attempt and token, the
 * deadlines, where to report, and the environment a worker sees — the effective config as
 * `CORETEX_EFFECTIVE_CONFIG`, workflow/run/step ids, tenant and team, fan-out index and item.
 */
import type { DispatchMessage, ProtocolSubjects } from '../../domain/protocol/messages.ts';
import type { ScheduledJob } from '../../domain/job/state.ts';
import type { ResolvedConfig } from '../config/job-config.ts';

export function dispatchMessageFor(
  job: ScheduledJob,
  config: ResolvedConfig,
  partition: number,
  subjects: ProtocolSubjects,
): DispatchMessage {
  const request = job.request;
  const step = request.step;
  const env: Record<string, string> = {
    ...request.env,
    CORETEX_EFFECTIVE_CONFIG: config.json,
    CORETEX_CONFIG_VERSION: config.effective.version,
    tenant_id: request.tenant,
    trace_id: request.trace_id,
  };
  if (request.team !== null) env.team_id = request.team;
  if (step !== null) {
    env.workflow_id = step.workflow_id;
    env.run_id = step.run_id;
    env.step_id = step.step_id;
    if (step.foreach_index !== null) {
      env.foreach_index = String(step.foreach_index);
      env.foreach_item = JSON.stringify(step.foreach_item ?? null);
    }
  }
  return {
    job_id: request.job_id,
    tenant: request.tenant,
    attempt: job.attempt,
    token: job.token,
    topic: request.topic,
    payload: request.payload,
    priority: request.priority,
    labels: request.labels,
    trace_id: request.trace_id,
    partition,
    result_subject: subjects.result(partition),
    progress_subject: subjects.progress(partition),
    dispatch_deadline: job.dispatch_deadline_at,
    running_ms: job.limits.running_ms,
    deadline_at: job.deadline_at,
    env,
  };
}
