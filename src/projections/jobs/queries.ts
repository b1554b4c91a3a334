/**
 * Listing jobs (SPEC 1.11): every supported filter is one tenant-scoped index, so a page is one range
 * read, full unless it is the last, at the same cost for ten thousand or ten million jobs. Newest
 * first; an opaque cursor (score, id) that stays valid while jobs change.
 */
import type { JobStatus } from '../../domain/job/events.ts';
import { JOB_STATUSES } from '../../domain/job/events.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { numberOf, type Page, readPage, textOf } from '../paging.ts';
import type { ReadModelNamespace } from '../projection.ts';
import type { ReadModelReader } from '../reader.ts';
import {
  ALL_TENANTS,
  docKey,
  FILTER_FIELDS,
  type FilterField,
  type IndexSort,
  indexKey,
  parseIndexMember,
} from './keys.ts';

export interface JobListFilter {
  readonly state?: JobStatus;
  readonly topic?: string;
  readonly team?: string;
  readonly trace_id?: string;
  readonly workflow_id?: string;
  readonly run_id?: string;
}

export type { Page };

export interface JobListQuery {
  /** The caller's tenant, or `*` for a key bound to every tenant. */
  readonly tenant: string;
  readonly filter: JobListFilter;
  readonly sort: IndexSort;
  /** Inclusive time range (ms) on created_at, or on updated_at with sort=updated. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export interface JobSummary {
  readonly job_id: string;
  readonly tenant: string;
  readonly topic: string;
  readonly state: JobStatus;
  readonly priority: string;
  readonly team: string | null;
  readonly trace_id: string;
  readonly workflow_id: string | null;
  readonly run_id: string | null;
  readonly step_id: string | null;
  readonly attempt: number;
  readonly max_attempts: number | null;
  readonly worker_id: string | null;
  readonly created_at: number;
  readonly updated_at: number;
  readonly due_at: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly labels: Record<string, string>;
  readonly queue: string | null;
  readonly retry_of: string | null;
}

export const SUPPORTED_JOB_FILTERS =
  'state; one of topic, team, trace_id, workflow_id, run_id (each alone or with state); with an all-tenant key, state only; with sort=updated, a time range only';

/** Which index serves a query, or a ValidationError naming the supported combinations. */
export function jobIndexFor(query: Pick<JobListQuery, 'tenant' | 'filter' | 'sort'>): string {
  const { filter } = query;
  if (filter.state !== undefined && !JOB_STATUSES.includes(filter.state)) {
    throw new ValidationError('state', `state must be one of ${JOB_STATUSES.join(', ')}`);
  }
  const given = FILTER_FIELDS.filter((field) => filter[field] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(
      given[1] as string,
      `filters ${given.join(' and ')} cannot be combined; supported: ${SUPPORTED_JOB_FILTERS}`,
      'unsupported_filter',
    );
  }
  const field: FilterField | undefined = given[0];
  if (query.sort === 'updated' && (field !== undefined || filter.state !== undefined)) {
    const named = field ?? 'state';
    throw new ValidationError(
      named,
      `${named} is not supported with sort=updated; supported: ${SUPPORTED_JOB_FILTERS}`,
      'unsupported_filter',
    );
  }
  if (field !== undefined && query.tenant === ALL_TENANTS) {
    throw new ValidationError(
      field,
      `${field} is not supported for an all-tenant key; supported: ${SUPPORTED_JOB_FILTERS}`,
      'unsupported_filter',
    );
  }
  return indexKey(query.sort, query.tenant, {
    ...(field === undefined ? {} : { field, value: filter[field] as string }),
    ...(filter.state === undefined ? {} : { state: filter.state }),
  });
}

export async function listJobs(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  query: JobListQuery,
): Promise<Page<JobSummary>> {
  return readPage(
    reader,
    ns,
    jobIndexFor(query),
    query,
    (member) => {
      const ref = parseIndexMember(query.tenant, member);
      return docKey(ref.tenant, ref.jobId);
    },
    toSummary,
  );
}

export async function getJobSummary(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  tenant: string,
  jobId: string,
): Promise<JobSummary | null> {
  const doc = await reader.hgetall(ns, docKey(tenant, jobId));
  return doc === null ? null : toSummary(doc);
}

function toSummary(doc: Record<string, string>): JobSummary {
  const errorCode = textOf(doc, 'error_code');
  return {
    job_id: doc.job_id ?? '',
    tenant: doc.tenant ?? '',
    topic: doc.topic ?? '',
    state: (doc.state ?? 'PENDING') as JobStatus,
    priority: doc.priority ?? 'batch',
    team: textOf(doc, 'team'),
    trace_id: doc.trace_id ?? '',
    workflow_id: textOf(doc, 'workflow_id'),
    run_id: textOf(doc, 'run_id'),
    step_id: textOf(doc, 'step_id'),
    attempt: numberOf(doc, 'attempt') ?? 0,
    max_attempts: numberOf(doc, 'max_attempts'),
    worker_id: textOf(doc, 'worker_id'),
    created_at: numberOf(doc, 'created_at') ?? 0,
    updated_at: numberOf(doc, 'updated_at') ?? 0,
    due_at: numberOf(doc, 'due_at'),
    error: errorCode === null ? null : { code: errorCode, message: doc.error_message ?? '' },
    labels: doc.labels === undefined ? {} : (JSON.parse(doc.labels) as Record<string, string>),
    queue: textOf(doc, 'queue'),
    retry_of: textOf(doc, 'retry_of'),
  };
}
