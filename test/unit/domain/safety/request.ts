/** A valid job request for safety and dispatch tests; override what a test is about. */
import type { JobRequest } from '../../../../src/domain/job/request.ts';

export function jobRequest(overrides: Partial<JobRequest> = {}): JobRequest {
  return {
    job_id: 'j1',
    tenant: 'acme',
    topic: 'job.default',
    payload: { n: 1 },
    priority: 'batch',
    team: null,
    principal: 'alice',
    labels: {},
    requires: [],
    capability: null,
    risk_tags: [],
    idempotency_key: null,
    trace_id: 't1',
    run_at: null,
    deadline_ms: null,
    retry: { max_attempts: 1, initial_backoff_ms: 1000, max_backoff_ms: 60000, multiplier: 2, jitter: 0 },
    timeouts: { dispatch_ms: null, running_ms: null },
    step: null,
    retry_of: null,
    env: {},
    ...overrides,
  };
}
