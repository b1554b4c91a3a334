/** Listing and reading DLQ entries (SPEC 1.10): filters topic or reason_code (one at a time), time, cursor. */
import type { JobRequest } from '../../domain/job/request.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { numberOf, type Page, readPage, textOf } from '../paging.ts';
import type { ReadModelNamespace } from '../projection.ts';
import type { ReadModelReader } from '../reader.ts';
import { ALL_TENANTS, type DlqFilter, dlqDocKey, dlqIndexKey } from './projection.ts';

export interface DlqEntryView {
  readonly job_id: string;
  readonly tenant: string;
  readonly topic: string;
  readonly final_state: string;
  readonly reason_code: string;
  readonly reason: string;
  readonly attempts: number;
  readonly worker_id: string | null;
  readonly created_at: number;
  readonly retries: number;
  readonly retried_as: string | null;
  readonly request: JobRequest;
}

export interface DlqListQuery {
  readonly tenant: string;
  readonly filter: DlqFilter;
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export const SUPPORTED_DLQ_FILTERS =
  'topic or reason_code (one of them), with a time range; an all-tenant key: a time range only';

export async function listDlq(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  query: DlqListQuery,
): Promise<Page<DlqEntryView>> {
  const { filter } = query;
  if (filter.topic !== undefined && filter.reason_code !== undefined) {
    throw new ValidationError(
      'reason_code',
      `topic and reason_code cannot be combined; supported: ${SUPPORTED_DLQ_FILTERS}`,
      'unsupported_filter',
    );
  }
  if (query.tenant === ALL_TENANTS && (filter.topic !== undefined || filter.reason_code !== undefined)) {
    const field = filter.topic !== undefined ? 'topic' : 'reason_code';
    throw new ValidationError(
      field,
      `${field} is not supported for an all-tenant key; supported: ${SUPPORTED_DLQ_FILTERS}`,
      'unsupported_filter',
    );
  }
  return readPage(
    reader,
    ns,
    dlqIndexKey(query.tenant, filter),
    query,
    (member) => {
      if (query.tenant !== ALL_TENANTS) return dlqDocKey(query.tenant, member);
      const slash = member.indexOf('/');
      return dlqDocKey(member.slice(0, slash), member.slice(slash + 1));
    },
    toView,
  );
}

export async function getDlqEntry(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  tenant: string,
  jobId: string,
): Promise<DlqEntryView | null> {
  const doc = await reader.hgetall(ns, dlqDocKey(tenant, jobId));
  return doc === null ? null : toView(doc);
}

function toView(doc: Record<string, string>): DlqEntryView {
  return {
    job_id: doc.job_id ?? '',
    tenant: doc.tenant ?? '',
    topic: doc.topic ?? '',
    final_state: doc.final_state ?? '',
    reason_code: doc.reason_code ?? '',
    reason: doc.reason ?? '',
    attempts: numberOf(doc, 'attempts') ?? 0,
    worker_id: textOf(doc, 'worker_id'),
    created_at: numberOf(doc, 'created_at') ?? 0,
    retries: numberOf(doc, 'retries') ?? 0,
    retried_as: textOf(doc, 'retried_as'),
    request: JSON.parse(doc.request ?? 'null') as JobRequest,
  };
}
