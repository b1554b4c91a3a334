/**
 * The job's lifecycle as tables, written from SPEC 1.2 for the tests and independent of the decider:
 * which status may follow which, and which transitions each event may record.
 */
import type { JobEventType, JobStatus } from '../../src/domain/job/events.ts';

export type Status = JobStatus | 'NONE';
export const TERMINAL: ReadonlySet<Status> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED']);
export const isDone = (status: Status) => TERMINAL.has(status);

/** SPEC 1.2, as a table: which status may follow which (self-loops: re-holds, progress, snapshots). */
export const LEGAL: Record<Status, readonly Status[]> = {
  NONE: ['PENDING', 'CANCELLED'],
  PENDING: ['PENDING', 'APPROVAL_REQUIRED', 'SCHEDULED', 'DENIED', 'FAILED', 'CANCELLED', 'TIMEOUT'],
  APPROVAL_REQUIRED: ['APPROVAL_REQUIRED', 'PENDING', 'DENIED', 'CANCELLED', 'TIMEOUT'],
  SCHEDULED: ['SCHEDULED', 'DISPATCHED', 'RUNNING', 'PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT'],
  DISPATCHED: ['DISPATCHED', 'RUNNING', 'PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT'],
  RUNNING: ['RUNNING', 'PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
  TIMEOUT: [],
  DENIED: [],
};

const LIVE: Status[] = ['PENDING', 'APPROVAL_REQUIRED', 'SCHEDULED', 'DISPATCHED', 'RUNNING'];
const FLYING: Status[] = ['SCHEDULED', 'DISPATCHED', 'RUNNING'];
const pairs = (from: Status[], to: Status[]) => from.flatMap((f) => to.map((t) => `${f}>${t}`));

/** Which transitions each event may record. */
export const EVENT_TRANSITIONS: Record<Exclude<JobEventType, 'JobArchived'>, readonly string[]> = {
  JobSubmitted: ['NONE>PENDING'],
  JobPreempted: ['NONE>CANCELLED'],
  JobApprovalRequired: ['PENDING>APPROVAL_REQUIRED'],
  JobApproved: ['APPROVAL_REQUIRED>PENDING'],
  JobRejected: ['APPROVAL_REQUIRED>DENIED'],
  JobApprovalExpired: ['APPROVAL_REQUIRED>DENIED'],
  JobSafetyReevaluated: pairs(['APPROVAL_REQUIRED'], ['PENDING', 'APPROVAL_REQUIRED', 'DENIED']),
  JobDenied: ['PENDING>DENIED'],
  JobThrottled: ['PENDING>PENDING'],
  JobDeferred: ['PENDING>PENDING'],
  JobQueued: ['PENDING>PENDING'],
  JobRoutingFailed: ['PENDING>FAILED'],
  JobScheduled: ['PENDING>SCHEDULED'],
  JobDispatched: pairs(['SCHEDULED'], ['DISPATCHED', 'RUNNING']),
  JobDispatchFailed: ['SCHEDULED>PENDING'],
  JobStarted: pairs(['SCHEDULED', 'DISPATCHED'], ['RUNNING']),
  JobProgressed: ['RUNNING>RUNNING'],
  JobSucceeded: pairs(FLYING, ['SUCCEEDED']),
  JobAttemptFailed: pairs(FLYING, ['PENDING', 'FAILED']),
  JobAttemptTimedOut: [
    ...pairs(FLYING, ['PENDING', 'TIMEOUT']),
    ...pairs(['PENDING', 'APPROVAL_REQUIRED'], ['TIMEOUT']),
  ],
  JobCancelled: pairs(LIVE, ['CANCELLED']),
  JobSnapshot: LIVE.map((s) => `${s}>${s}`),
};
