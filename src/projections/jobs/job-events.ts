/** Recognising job events among stored events (read models skip types they do not know). */
import type { JobEventType } from '../../domain/job/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';

const TYPES: ReadonlySet<string> = new Set<JobEventType>([
  'JobSubmitted',
  'JobPreempted',
  'JobApprovalRequired',
  'JobApproved',
  'JobRejected',
  'JobApprovalExpired',
  'JobSafetyReevaluated',
  'JobDenied',
  'JobThrottled',
  'JobDeferred',
  'JobQueued',
  'JobRoutingFailed',
  'JobScheduled',
  'JobDispatched',
  'JobDispatchFailed',
  'JobStarted',
  'JobProgressed',
  'JobSucceeded',
  'JobAttemptFailed',
  'JobAttemptTimedOut',
  'JobCancelled',
  'JobSnapshot',
  'JobArchived',
]);

export function isJobEvent(event: StoredEvent): boolean {
  return TYPES.has(event.type);
}
