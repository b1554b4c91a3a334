/**
 * The submission of a DLQ entry's retry (SPEC 1.10): the full original request — payload, labels,
 * priority, requires, retry policy, timeouts, deadline, tenant, team, trace — minus its idempotency key,
 * plus `retry_of`, under the entry's deterministic new id.
 */
import type { JobSubmissionInput } from '../job/submission.ts';
import type { DlqEntry } from './state.ts';

export interface DlqRetrySubmission {
  readonly tenant: string;
  readonly job_id: string;
  readonly id_source: 'derived';
  readonly input: JobSubmissionInput;
}

/**
 * Null until the retry is recorded (`DlqRetried`): the new job is only ever created under the id the
 * entry recorded, so a crash between the two steps is completed with the same id, never a second one.
 *
 * `run_at` is left out on purpose: the original time has passed, and the deadline (`deadline_ms`) then
 * counts from the retry's submission instead of expiring at once.
 */
export function retrySubmissionOf(entry: DlqEntry): DlqRetrySubmission | null {
  if (entry.retried_as === null) return null;
  const request = entry.request;
  return {
    tenant: entry.tenant,
    job_id: entry.retried_as,
    id_source: 'derived',
    input: {
      topic: request.topic,
      payload: request.payload,
      priority: request.priority,
      team: request.team,
      principal: request.principal,
      labels: request.labels,
      requires: request.requires,
      capability: request.capability,
      risk_tags: request.risk_tags,
      trace_id: request.trace_id,
      deadline_ms: request.deadline_ms,
      retry: request.retry,
      timeouts: request.timeouts,
      env: request.env,
      retry_of: entry.job_id,
    },
  };
}
