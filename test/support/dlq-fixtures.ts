/**
 * Builders for DLQ commands and the DLQ decider's given/when/then.
 */
import type { AddDlqEntry, DlqCommand, DlqDecision } from '../../src/domain/dlq/commands.ts';
import { decideDlq } from '../../src/domain/dlq/decide.ts';
import type { DlqEvent } from '../../src/domain/dlq/events.ts';
import { evolveDlq } from '../../src/domain/dlq/evolve.ts';
import type { DlqState } from '../../src/domain/dlq/state.ts';
import { NO_DLQ_ENTRY } from '../../src/domain/dlq/state.ts';
import type { JobEvent } from '../../src/domain/job/events.ts';
import { fold } from '../../src/domain/job/evolve.ts';
import type { JobRequest } from '../../src/domain/job/request.ts';
import { deciderSpec } from './decider-spec.ts';
import { accepted, failed, historyOf, JOB_ID, schedule, submit, T0, TENANT } from './job-fixtures.ts';

export const dlqSpec = deciderSpec<DlqState, DlqEvent, DlqCommand, DlqDecision>({
  initialState: NO_DLQ_ENTRY,
  evolve: evolveDlq,
  decide: decideDlq,
});

/** A job that failed for good on its only attempt, and the request it was submitted with. */
export function failedJob(): { history: JobEvent[]; request: JobRequest } {
  const history = historyOf(
    submit({
      payload: { n: 1 },
      labels: { region: 'eu' },
      idempotency_key: 'idem-1',
      team: 'ops',
      priority: 'critical',
    }),
    schedule(),
    accepted('w1', T0 + 4),
    failed(),
  );
  const state = fold(history);
  if (state.status !== 'FAILED' || state.preempted) throw new Error('expected a failed job');
  return { history, request: state.request };
}

export const DLQ_AT = T0 + 60_000;

export function addEntry(over: Partial<AddDlqEntry> = {}): AddDlqEntry {
  return {
    type: 'AddDlqEntry',
    job_id: JOB_ID,
    tenant: TENANT,
    topic: 'job.default',
    final_state: 'FAILED',
    reason_code: 'boom',
    reason: 'it broke',
    attempts: 1,
    worker_id: 'w1',
    request: failedJob().request,
    now: DLQ_AT,
    ...over,
  };
}

export const dlqKeys = { job_id: JOB_ID, topic: 'job.default', reason_code: 'boom', created_at: DLQ_AT };

export function addedEvent(): DlqEvent {
  const result = decideDlq(addEntry(), NO_DLQ_ENTRY);
  if (result instanceof Error || result.events[0] === undefined) throw new Error('expected an entry');
  return result.events[0];
}
