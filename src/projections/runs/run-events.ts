/** Recognising run events among stored events (read models and process managers skip types they do not know). */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { RunEvent, RunEventType } from '../../domain/workflow/run-events.ts';

const TYPES: ReadonlySet<string> = new Set<RunEventType>([
  'RunStarted',
  'RunStepsScheduled',
  'RunStepResultsRecorded',
  'RunStepApproved',
  'RunStepRejected',
  'RunTimersFired',
  'RunCancelled',
  'RunSnapshot',
]);

export function isRunEvent(event: StoredEvent): boolean {
  return TYPES.has(event.type);
}

/** The domain event inside a stored run event. */
export function runEventOf(stored: StoredEvent): RunEvent {
  return { type: stored.type, data: stored.data } as RunEvent;
}
