/**
 * Synthetic job histories for benchmarks: the happy path's four events (submitted, scheduled,
 * dispatched-and-started, succeeded) per job, shaped exactly as the job event catalogue says.
 */
import type { JobEvent, JobStatus } from '../../src/domain/job/events.ts';
import type { JobKeys, JobRequest } from '../../src/domain/job/request.ts';

const TOPICS = ['job.default', 'job.email', 'job.render', 'job.billing.invoice'];
const TEAMS = ['platform', 'growth', 'data', null];

export function syntheticRequest(i: number, tenant: string): JobRequest {
  return {
    job_id: `J${i.toString(36).padStart(10, '0')}`,
    tenant,
    topic: TOPICS[i % TOPICS.length] as string,
    payload: { n: i, to: `user${i}@example.com` },
    priority: 'batch',
    team: TEAMS[i % TEAMS.length] ?? null,
    principal: 'svc-bench',
    labels: { env: 'bench' },
    requires: [],
    capability: null,
    risk_tags: [],
    idempotency_key: null,
    trace_id: `trace-${i % 1000}`,
    run_at: null,
    deadline_ms: null,
    retry: { max_attempts: 3, initial_backoff_ms: 1000, max_backoff_ms: 60_000, multiplier: 2, jitter: 0 },
    timeouts: { dispatch_ms: null, running_ms: null },
    step: null,
    retry_of: null,
    env: {},
  };
}

export function happyPath(i: number, tenant: string, createdAt: number): JobEvent[] {
  const request = syntheticRequest(i, tenant);
  const keys: JobKeys = {
    job_id: request.job_id,
    topic: request.topic,
    team: request.team,
    trace_id: request.trace_id,
    workflow_id: null,
    run_id: null,
    priority: request.priority,
    created_at: createdAt,
  };
  const t = (before: JobStatus | null, after: JobStatus, due: number | null) => ({
    keys,
    status_before: before,
    status_after: after,
    due_at: due,
    deadline_at: null,
  });
  return [
    { type: 'JobSubmitted', data: { ...t(null, 'PENDING', createdAt), request } },
    {
      type: 'JobScheduled',
      data: {
        ...t('PENDING', 'SCHEDULED', createdAt + 60_000),
        attempt: 1,
        target: { kind: 'worker', worker_id: `w-${i % 8}`, pool: 'default' },
        token: `tok${i}`,
        safety: {
          decision: 'ALLOW',
          reason: null,
          source: 'builtin',
          policy_version: 'p1',
          constraints: null,
          retry_after_ms: null,
        },
        limits: { dispatch_ms: 60_000, running_ms: 900_000, max_attempts: 3 },
        dispatch_deadline_at: createdAt + 60_000,
      },
    },
    {
      type: 'JobDispatched',
      data: {
        ...t('SCHEDULED', 'RUNNING', createdAt + 900_000),
        attempt: 1,
        worker_id: `w-${i % 8}`,
        started_at: createdAt + 5,
        running_deadline_at: createdAt + 900_000,
      },
    },
    {
      type: 'JobSucceeded',
      data: {
        ...t('RUNNING', 'SUCCEEDED', null),
        attempt: 1,
        worker_id: `w-${i % 8}`,
        result: { ok: true },
        result_ptr: null,
        execution_ms: 3,
        reported_status: 'SUCCEEDED',
      },
    },
  ];
}
