/**
 * The DLQ entry's event catalogue (SPEC 1.10). An entry is its own stream, keyed by the original job id.
 * Every event carries the entry's index `keys` (the listing filters: topic, reason code, time), so the
 * DLQ read model is a pure function of single events, as the job's is.
 */
import type { JobRequest } from '../job/request.ts';
import type { DomainEvent } from '../shared/events.ts';

/** The only final states that are dead-lettered: a user's CANCELLED and SUCCEEDED never are. */
export type DeadLetterStatus = 'FAILED' | 'TIMEOUT' | 'DENIED';
export const DEAD_LETTER_STATUSES: readonly DeadLetterStatus[] = ['FAILED', 'TIMEOUT', 'DENIED'];

export interface DlqKeys {
  readonly job_id: string;
  readonly topic: string;
  readonly reason_code: string;
  /** When the entry was added: the score of its time index. */
  readonly created_at: number;
}

export type DlqEntryAdded = DomainEvent<
  'DlqEntryAdded',
  {
    readonly keys: DlqKeys;
    readonly job_id: string;
    readonly tenant: string;
    readonly topic: string;
    readonly final_state: DeadLetterStatus;
    readonly reason_code: string;
    readonly reason: string;
    readonly attempts: number;
    readonly worker_id: string | null;
    readonly created_at: number;
    /** The full original request: a retry resubmits it. */
    readonly request: JobRequest;
  }
>;

/** Recorded before the new job exists; a reactor completes its creation if a crash falls in between. */
export type DlqRetried = DomainEvent<
  'DlqRetried',
  {
    readonly keys: DlqKeys;
    readonly n: number;
    /** `<job_id>.r<n>`: deterministic, so creating it twice is caught by the job stream. */
    readonly new_job_id: string;
    readonly by: string;
    readonly at: number;
  }
>;

/** Marked deleted; the history is kept. */
export type DlqEntryDeleted = DomainEvent<
  'DlqEntryDeleted',
  { readonly keys: DlqKeys; readonly by: string; readonly at: number }
>;

export type DlqEvent = DlqEntryAdded | DlqRetried | DlqEntryDeleted;
export type DlqEventType = DlqEvent['type'];
