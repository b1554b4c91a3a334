/**
 * Synthetic `JobSubmitted` events for read-model tests and benchmarks (the job decider is built
 * elsewhere): a valid event body for a job in a tenant, with optional filter keys.
 */
import type { JobSubmitted } from '../../src/domain/job/events.ts';
import type { JobRequest } from '../../src/domain/job/request.ts';

export interface SyntheticJob {
  readonly jobId: string;
  readonly tenant: string;
  readonly createdAt: number;
  readonly topic?: string;
  readonly team?: string | null;
  readonly traceId?: string;
}

export function syntheticJobSubmitted(job: SyntheticJob): JobSubmitted {
  const topic = job.topic ?? 'job.default';
  const trace = job.traceId ?? `trace-${job.jobId}`;
  const request: JobRequest = {
    job_id: job.jobId,
    tenant: job.tenant,
    topic,
    payload: { n: job.jobId },
    priority: 'batch',
    team: job.team ?? null,
    principal: null,
    labels: { source: 'synthetic' },
    requires: [],
    capability: null,
    risk_tags: [],
    idempotency_key: null,
    trace_id: trace,
    run_at: null,
    deadline_ms: null,
    retry: { max_attempts: 1, initial_backoff_ms: 1000, max_backoff_ms: 60000, multiplier: 2, jitter: 0 },
    timeouts: { dispatch_ms: null, running_ms: null },
    step: null,
    retry_of: null,
    env: {},
  };
  return {
    type: 'JobSubmitted',
    data: {
      keys: {
        job_id: job.jobId,
        topic,
        team: job.team ?? null,
        trace_id: trace,
        workflow_id: null,
        run_id: null,
        priority: 'batch',
        created_at: job.createdAt,
      },
      status_before: null,
      status_after: 'PENDING',
      due_at: job.createdAt,
      deadline_at: null,
      request,
    },
  };
}
