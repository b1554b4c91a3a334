/**
 * The first event of a job: a submission (→ PENDING) or a workflow's preemption (→ CANCELLED).
 */
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { parseStepJobId } from '../shared/ids.ts';
import type { JobDecisionResult, PreemptJob, SubmitJob } from './commands.ts';
import { emit, ignore } from './decision.ts';
import type { JobPreempted, JobSubmitted } from './events.ts';
import type { JobKeys } from './request.ts';
import type { JobState } from './state.ts';
import { DEFAULT_TOPIC, validateSubmission } from './submission.ts';

/** Ids are never reused, archived jobs included (SPEC 1.1); a preempted step keeps its id taken. */
function idTaken(state: JobState): ConflictError | null {
  if (state.status === 'NONE') return null;
  if (state.status === 'CANCELLED' && state.preempted) {
    return new ConflictError(`job ${state.keys.job_id} was cancelled before it was created`, 'job_preempted');
  }
  return new ConflictError(`job ${state.keys.job_id} already exists`, 'job_exists');
}

export function decideSubmit(command: SubmitJob, state: JobState): JobDecisionResult {
  const taken = idTaken(state);
  if (taken !== null) return taken;
  const request = validateSubmission(command.input, command);
  if (request instanceof ValidationError) return request;
  const startsAt = request.run_at ?? command.now;
  const keys: JobKeys = {
    job_id: request.job_id,
    topic: request.topic,
    team: request.team,
    trace_id: request.trace_id,
    workflow_id: request.step?.workflow_id ?? null,
    run_id: request.step?.run_id ?? null,
    priority: request.priority,
    created_at: command.now,
  };
  const deadlineAt = request.deadline_ms === null ? null : startsAt + request.deadline_ms;
  const event: JobSubmitted = {
    type: 'JobSubmitted',
    data: {
      keys,
      status_before: null,
      status_after: 'PENDING',
      // A deadline earlier than run_at (impossible today: deadline_ms > 0) would still bound the due time.
      due_at: deadlineAt === null ? startsAt : Math.min(startsAt, deadlineAt),
      deadline_at: deadlineAt,
      request,
    },
  };
  return emit(event);
}

export function decidePreempt(command: PreemptJob, state: JobState): JobDecisionResult {
  if (state.status === 'CANCELLED' && state.preempted) return ignore('already_preempted');
  if (state.status !== 'NONE') {
    return new ConflictError(`job ${command.job_id} exists: cancel it instead`, 'job_exists');
  }
  const step = parseStepJobId(command.job_id);
  if (step === null || step.runId !== command.run_id) {
    return new ValidationError('job_id', `${command.job_id} is not a step job id of run ${command.run_id}`);
  }
  const event: JobPreempted = {
    type: 'JobPreempted',
    data: {
      keys: {
        job_id: command.job_id,
        topic: command.topic ?? DEFAULT_TOPIC,
        team: command.team,
        trace_id: command.trace_id,
        workflow_id: command.workflow_id,
        run_id: command.run_id,
        priority: 'batch',
        created_at: command.now,
      },
      status_before: null,
      status_after: 'CANCELLED',
      due_at: null,
      deadline_at: null,
      reason: command.reason,
    },
  };
  return emit(event);
}
