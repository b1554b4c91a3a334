/**
 * What can be asked of a DLQ entry: plain data, with the time on the command.
 */
import type { JobStatus } from '../job/events.ts';
import type { JobRequest } from '../job/request.ts';
import type { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { DlqEvent } from './events.ts';

/** From the reactor that watches terminal job events; see `deadLetterFor`. */
export interface AddDlqEntry {
  readonly type: 'AddDlqEntry';
  readonly job_id: string;
  readonly tenant: string;
  readonly topic: string;
  /** Any job status: the decider refuses those that are never dead-lettered. */
  readonly final_state: JobStatus;
  readonly reason_code: string;
  readonly reason: string;
  readonly attempts: number;
  readonly worker_id: string | null;
  readonly request: JobRequest;
  readonly now: number;
}

export interface RetryDlqEntry {
  readonly type: 'RetryDlqEntry';
  readonly by: string;
  readonly now: number;
}

export interface DeleteDlqEntry {
  readonly type: 'DeleteDlqEntry';
  readonly by: string;
  readonly now: number;
}

export type DlqCommand = AddDlqEntry | RetryDlqEntry | DeleteDlqEntry;

export type DlqIgnoredReason = 'already_added' | 'already_retried' | 'already_deleted';

export interface DlqDecision {
  readonly events: readonly [] | readonly [DlqEvent];
  readonly ignored?: DlqIgnoredReason;
  /** For a retry: the job it creates (the same one when the entry was already retried). */
  readonly new_job_id?: string;
}

export type DlqDecisionResult = DlqDecision | ValidationError | ConflictError | NotFoundError;
