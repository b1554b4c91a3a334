/**
 * The DLQ entry decider (SPEC 1.10): add (non-success, ad-hoc jobs only), retry (idempotent: the same
 * new job id every time), delete (marked, history kept).
 */
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { dlqRetryJobId, parseStepJobId } from '../shared/ids.ts';
import type { AddDlqEntry, DeleteDlqEntry, DlqCommand, DlqDecisionResult, RetryDlqEntry } from './commands.ts';
import type { DeadLetterStatus } from './events.ts';
import { DEAD_LETTER_STATUSES } from './events.ts';
import type { DlqState } from './state.ts';

export function decideDlq(command: DlqCommand, state: DlqState): DlqDecisionResult {
  switch (command.type) {
    case 'AddDlqEntry':
      return decideAdd(command, state);
    case 'RetryDlqEntry':
      return decideRetry(command, state);
    case 'DeleteDlqEntry':
      return decideDelete(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}

function isDeadLetterStatus(status: string): status is DeadLetterStatus {
  return (DEAD_LETTER_STATUSES as readonly string[]).includes(status);
}

function decideAdd(command: AddDlqEntry, state: DlqState): DlqDecisionResult {
  if (!isDeadLetterStatus(command.final_state)) {
    return new ConflictError(`a ${command.final_state} job is not dead-lettered`, 'not_dead_letterable');
  }
  // The workflow owns its step jobs' retries (rerun), so they never reach the DLQ.
  if (command.request.step !== null || parseStepJobId(command.job_id) !== null) {
    return new ConflictError('workflow step jobs are not dead-lettered', 'workflow_step_job');
  }
  if (command.request.job_id !== command.job_id) {
    return new ValidationError('request.job_id', 'the request belongs to another job', 'mismatch');
  }
  // The reactor may be redelivered the terminal event: adding again is a no-op.
  if (state.status !== 'NONE') return { events: [], ignored: 'already_added' };
  const keys = {
    job_id: command.job_id,
    topic: command.topic,
    reason_code: command.reason_code,
    created_at: command.now,
  };
  return {
    events: [
      {
        type: 'DlqEntryAdded',
        data: {
          keys,
          job_id: command.job_id,
          tenant: command.tenant,
          topic: command.topic,
          final_state: command.final_state,
          reason_code: command.reason_code,
          reason: command.reason,
          attempts: command.attempts,
          worker_id: command.worker_id,
          created_at: command.now,
          request: command.request,
        },
      },
    ],
  };
}

function decideRetry(command: RetryDlqEntry, state: DlqState): DlqDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such DLQ entry', 'dlq_entry_not_found');
  if (state.status === 'DELETED') return new NotFoundError('the DLQ entry was deleted', 'dlq_entry_deleted');
  // Double clicks and repeated bulk retries never duplicate: the same job comes back.
  if (state.retried_as !== null) return { events: [], ignored: 'already_retried', new_job_id: state.retried_as };
  const n = state.retries + 1;
  const newJobId = dlqRetryJobId(state.job_id, n);
  return {
    events: [
      { type: 'DlqRetried', data: { keys: state.keys, n, new_job_id: newJobId, by: command.by, at: command.now } },
    ],
    new_job_id: newJobId,
  };
}

function decideDelete(command: DeleteDlqEntry, state: DlqState): DlqDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such DLQ entry', 'dlq_entry_not_found');
  if (state.status === 'DELETED') return { events: [], ignored: 'already_deleted' };
  return { events: [{ type: 'DlqEntryDeleted', data: { keys: state.keys, by: command.by, at: command.now } }] };
}
