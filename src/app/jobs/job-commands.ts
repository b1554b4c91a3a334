/**
 * The job commands users give through the API (SPEC 1.4, 1.9): cancel, approve, reject. Each answers
 * with the job's state and position after it — the current ones when it changed nothing (a cancel of a
 * finished job is not an error).
 */
import type { JobCommand } from '../../domain/job/commands.ts';
import type { JobState } from '../../domain/job/state.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { streamId } from '../../domain/shared/stream.ts';
import { executeJob } from './job-repository.ts';
import type { JobRuntime } from './runtime.ts';

export interface CommandAnswer {
  readonly state: JobState;
  readonly position: number;
  /** True when the command appended an event. */
  readonly changed: boolean;
}

export async function cancelJob(
  rt: JobRuntime,
  tenant: string,
  jobId: string,
  by: string,
  reason: string | null,
): Promise<CommandAnswer> {
  return run(rt, tenant, jobId, by, () => ({ type: 'CancelJob', by, reason, now: rt.clock.now() }));
}

export async function answerApproval(
  rt: JobRuntime,
  tenant: string,
  jobId: string,
  answer: {
    readonly approve: boolean;
    readonly by: string;
    readonly reason: string | null;
    readonly request_hash: string;
  },
): Promise<CommandAnswer> {
  const stream = streamId('job', tenant, jobId);
  const current = await rt.jobs.load(stream, { fresh: true });
  if (current.state.status === 'NONE') throw new NotFoundError(`job ${jobId} not found`, 'job_not_found');
  // The built-in policy's version is the rules' hash now; a remote kernel's is the one it gave.
  const policyVersion =
    current.state.status === 'APPROVAL_REQUIRED' && current.state.approval_request.safety.source === 'builtin'
      ? rt.safety.policyVersion(await rt.config.forJob(current.state.request))
      : current.state.status === 'APPROVAL_REQUIRED'
        ? current.state.approval_request.safety.policy_version
        : '';
  return run(rt, tenant, jobId, answer.by, () => ({
    type: answer.approve ? 'ApproveJob' : 'RejectJob',
    by: answer.by,
    reason: answer.reason,
    request_hash: answer.request_hash,
    current_policy_version: policyVersion,
    now: rt.clock.now(),
  }));
}

async function run(
  rt: JobRuntime,
  tenant: string,
  jobId: string,
  actor: string,
  command: () => JobCommand,
): Promise<CommandAnswer> {
  const stream = streamId('job', tenant, jobId);
  const executed = await executeJob(rt.jobs, stream, command, { actor });
  if (executed instanceof Error) throw executed;
  if (executed.after.state.status === 'NONE') throw new NotFoundError(`job ${jobId} not found`, 'job_not_found');
  return { state: executed.after.state, position: executed.after.position, changed: executed.appended !== null };
}
