/**
 * The `jobs` read model (SPEC 1.11): a document per job and one sorted-set index per supported
 * filter, each filter alone and with a state. Built from job events alone: every job event carries
 * the job's index keys and its status before and after, so no write depends on reading state.
 */
import type { JobEvent, JobStatus } from '../../domain/job/events.ts';
import type { JobKeys } from '../../domain/job/request.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { Projection } from '../projection.ts';
import { del, hincr, hincrIf, hset, type Write, zadd, zrem } from '../write.ts';
import { ALL_TENANTS, docKey, FILTER_FIELDS, type IndexFilter, indexKey, indexMember } from './keys.ts';
import { isJobEvent } from './job-events.ts';

/**
 * Schema 2: approval documents carry `policy_version`, `approval_expires_at` and `approval_reason`.
 * Schema 3: counts start from a snapshot when a job's first events aged out (documents carry `counted`).
 */
export const jobsProjection: Projection = { name: 'jobs', schema: 3, streams: ['job'], evolve };

function evolve(stored: StoredEvent): Write[] {
  if (!isJobEvent(stored)) return [];
  const event = { type: stored.type, data: stored.data } as JobEvent;
  const data = event.data;
  const tenant = stored.tenant;
  const jobId = data.keys.job_id;
  const updatedAt = Date.parse(stored.time);
  const writes: Write[] = [];

  // Counts by state and topic (`/metrics`): moved on every change of state, gone when archived. A job
  // is counted from its first event or, when older events have aged out of the stream (a rebuild),
  // from a snapshot; its document then carries COUNTED. Events of a job the read model met in the
  // middle of its history (aged out, no snapshot: an archived job) move no count, so a rebuild never
  // lowers a count it did not raise.
  const topic = data.keys.topic;
  const doc = docKey(tenant, jobId);
  const counted = { key: doc, field: COUNTED, present: true };
  if (data.status_before === null) {
    writes.push(hincr(STATS_KEY, statsField(data.status_after, topic), 1));
  } else if (stored.first_position === 0) {
    // A snapshot: counted now unless this job was counted from its start.
    writes.push(hincrIf(STATS_KEY, statsField(data.status_after, topic), 1, { ...counted, present: false }));
  } else if (event.type === 'JobArchived') {
    writes.push(hincrIf(STATS_KEY, statsField(data.status_after, topic), -1, counted));
  } else if (data.status_before !== data.status_after) {
    writes.push(hincrIf(STATS_KEY, statsField(data.status_before, topic), -1, counted));
    writes.push(hincrIf(STATS_KEY, statsField(data.status_after, topic), 1, counted));
  }

  if (event.type === 'JobArchived') {
    for (const filter of filtersOf(data.keys, data.status_before ?? data.status_after)) {
      for (const indexTenant of [tenant, ALL_TENANTS]) {
        if (indexTenant === ALL_TENANTS && filter.field !== undefined) continue;
        const member = indexMember(indexTenant, tenant, jobId);
        writes.push(zrem(indexKey('created', indexTenant, filter), member));
      }
    }
    for (const indexTenant of [tenant, ALL_TENANTS]) {
      writes.push(zrem(indexKey('updated', indexTenant, {}), indexMember(indexTenant, tenant, jobId)));
    }
    writes.push(del(docKey(tenant, jobId)));
    return writes;
  }

  const startsHistory = data.status_before === null || stored.first_position === 0;
  writes.push(
    hset(doc, {
      ...documentFields(event),
      tenant,
      updated_at: String(updatedAt),
      ...(startsHistory ? { [COUNTED]: '1' } : {}),
    }),
  );

  const before = data.status_before;
  const after = data.status_after;
  for (const indexTenant of [tenant, ALL_TENANTS]) {
    const member = indexMember(indexTenant, tenant, jobId);
    const global = indexTenant === ALL_TENANTS;
    // A snapshot (re)places the job in every index of its state: in a rebuild it may be the job's
    // first event left; otherwise these entries are there already (adding them again changes nothing).
    // A job is in the indexes of its current state only, so a new job, and a job entering a state,
    // is a new member of the indexes it enters (a batch that also sees it leave writes neither).
    if (before === null || stored.first_position === 0) {
      for (const filter of filtersOf(data.keys, after)) {
        if (global && filter.field !== undefined) continue;
        writes.push(zadd(indexKey('created', indexTenant, filter), data.keys.created_at, member, before === null));
      }
    } else if (before !== after) {
      for (const filter of stateFilters(data.keys, before)) {
        if (global && filter.field !== undefined) continue;
        writes.push(zrem(indexKey('created', indexTenant, filter), member));
      }
      for (const filter of stateFilters(data.keys, after)) {
        if (global && filter.field !== undefined) continue;
        writes.push(zadd(indexKey('created', indexTenant, filter), data.keys.created_at, member, true));
      }
    }
    // One `updated` index per tenant (sort=updated takes a time range, no other filter).
    writes.push(zadd(indexKey('updated', indexTenant, {}), updatedAt, member));
  }
  return writes;
}

/** Job counts by `<state>|<topic>` over every tenant. */
export const STATS_KEY = 'stats';
/** A document field: the job is in the counts (met from its first event or a snapshot). */
export const COUNTED = 'counted';

export function statsField(state: JobStatus, topic: string): string {
  return `${state}|${topic}`;
}

/** Every index a job with these keys in this state belongs to. */
function filtersOf(keys: JobKeys, state: JobStatus): IndexFilter[] {
  const filters: IndexFilter[] = [{}];
  for (const field of FILTER_FIELDS) {
    const value = keys[field];
    if (value !== null && value !== '') filters.push({ field, value });
  }
  return [...filters, ...stateFilters(keys, state)];
}

/** The indexes that include the state: the ones a status change moves the job between. */
function stateFilters(keys: JobKeys, state: JobStatus): IndexFilter[] {
  const filters: IndexFilter[] = [{ state }];
  for (const field of FILTER_FIELDS) {
    const value = keys[field];
    if (value !== null && value !== '') filters.push({ field, value, state });
  }
  return filters;
}

/** The document fields an event sets (strings; absent values as ''). */
function documentFields(event: JobEvent): Record<string, string> {
  const data = event.data;
  const fields: Record<string, string> = {
    state: data.status_after,
    due_at: num(data.due_at),
    deadline_at: num(data.deadline_at),
    last_event: event.type,
  };
  switch (event.type) {
    case 'JobSubmitted': {
      const r = event.data.request;
      Object.assign(fields, {
        job_id: r.job_id,
        tenant: r.tenant,
        topic: r.topic,
        priority: r.priority,
        team: r.team ?? '',
        principal: r.principal ?? '',
        trace_id: r.trace_id,
        workflow_id: r.step?.workflow_id ?? '',
        run_id: r.step?.run_id ?? '',
        step_id: r.step?.step_id ?? '',
        labels: JSON.stringify(r.labels),
        run_at: num(r.run_at),
        max_attempts: String(r.retry.max_attempts),
        attempt: '0',
        retry_of: r.retry_of ?? '',
        created_at: String(data.keys.created_at),
      });
      break;
    }
    case 'JobPreempted':
      Object.assign(fields, keyFields(data.keys), { error_code: 'preempted', error_message: event.data.reason });
      break;
    case 'JobSnapshot':
      // In a rebuild it may be all that is left of the job's start: the fields its keys carry.
      Object.assign(fields, keyFields(data.keys));
      break;
    case 'JobScheduled':
      Object.assign(fields, {
        attempt: String(event.data.attempt),
        worker_id: event.data.target.kind === 'worker' ? event.data.target.worker_id : '',
        pool: event.data.target.pool,
        queue: '',
        max_attempts: String(event.data.limits.max_attempts),
      });
      if (event.data.safety !== null) fields.safety_decision = event.data.safety.decision;
      break;
    case 'JobDispatched':
    case 'JobStarted':
      Object.assign(fields, { attempt: String(event.data.attempt), worker_id: event.data.worker_id });
      break;
    case 'JobSucceeded':
      Object.assign(fields, {
        worker_id: event.data.worker_id,
        result: JSON.stringify(event.data.result ?? null),
        result_ptr: event.data.result_ptr ?? '',
        error_code: '',
        error_message: '',
      });
      break;
    case 'JobAttemptFailed':
      Object.assign(fields, { error_code: event.data.error.code, error_message: event.data.error.message });
      break;
    case 'JobAttemptTimedOut':
      Object.assign(fields, {
        error_code: `timeout_${event.data.phase}`,
        error_message: `${event.data.phase} timeout`,
      });
      break;
    case 'JobRoutingFailed':
      Object.assign(fields, { error_code: event.data.error.code, error_message: event.data.error.message });
      break;
    case 'JobDenied':
      Object.assign(fields, { error_code: event.data.reason_code, error_message: event.data.safety?.reason ?? '' });
      if (event.data.safety !== null) fields.safety_decision = event.data.safety.decision;
      break;
    case 'JobApprovalRequired':
      Object.assign(fields, {
        safety_decision: 'REQUIRE_APPROVAL',
        request_hash: event.data.request_hash,
        policy_version: event.data.safety.policy_version,
        approval_expires_at: String(event.data.expires_at),
        approval_reason: event.data.safety.reason ?? '',
      });
      break;
    case 'JobSafetyReevaluated':
      // Still waiting: the request is bound to the new rules. Otherwise the approval fields are moot.
      Object.assign(fields, {
        safety_decision: event.data.safety.decision,
        request_hash: event.data.request_hash ?? '',
        policy_version: event.data.request_hash === null ? '' : event.data.safety.policy_version,
        approval_expires_at: num(event.data.expires_at),
        approval_reason: event.data.request_hash === null ? '' : (event.data.safety.reason ?? ''),
      });
      break;
    case 'JobRejected':
      Object.assign(fields, { error_code: 'approval_rejected', error_message: event.data.reason ?? '' });
      break;
    case 'JobApprovalExpired':
      Object.assign(fields, { error_code: 'approval_expired', error_message: 'approval expired' });
      break;
    case 'JobCancelled':
      Object.assign(fields, { error_code: 'cancelled', error_message: event.data.reason ?? '' });
      break;
    case 'JobDeferred':
      fields.queue = 'deferred';
      break;
    case 'JobQueued':
      fields.queue = event.data.queue;
      break;
    case 'JobThrottled':
    case 'JobApproved':
    case 'JobDispatchFailed':
    case 'JobProgressed':
    case 'JobArchived':
      break;
  }
  return fields;
}

function keyFields(keys: JobKeys): Record<string, string> {
  return {
    job_id: keys.job_id,
    topic: keys.topic,
    priority: keys.priority,
    team: keys.team ?? '',
    trace_id: keys.trace_id,
    workflow_id: keys.workflow_id ?? '',
    run_id: keys.run_id ?? '',
    created_at: String(keys.created_at),
  };
}

function num(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
