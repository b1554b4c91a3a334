/**
 * A DLQ entry's state: none yet, or the entry (listed, or marked deleted with its history kept).
 */
import type { JobRequest } from '../job/request.ts';
import type { DeadLetterStatus, DlqKeys } from './events.ts';

export interface NoDlqEntry {
  readonly status: 'NONE';
}

export const NO_DLQ_ENTRY: NoDlqEntry = { status: 'NONE' };

export interface DlqEntry {
  readonly status: 'ACTIVE' | 'DELETED';
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
  readonly request: JobRequest;
  /** Retries recorded (0 or 1 today: a repeated retry returns the first one's job). */
  readonly retries: number;
  /** The job the latest retry created (or is creating). */
  readonly retried_as: string | null;
  readonly deleted_at: number | null;
}

export type DlqState = NoDlqEntry | DlqEntry;
