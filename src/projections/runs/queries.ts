/**
 * Listing runs (SPEC 2.2, paginated as 1.11): every supported filter is one tenant-scoped index, so a
 * page is one range read, full unless it is the last, at the same cost however many runs there are.
 * Newest first; an opaque cursor (score, id) that stays valid while runs change.
 */
import { ValidationError } from '../../domain/shared/errors.ts';
import type { RunStatus } from '../../domain/workflow/run-events.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { Page } from '../jobs/queries.ts';
import type { ReadModelNamespace } from '../projection.ts';
import type { ReadModelReader } from '../reader.ts';
import {
  ALL_TENANTS,
  parseRunIndexMember,
  RUN_FILTER_FIELDS,
  runDocKey,
  type RunFilterField,
  runIndexKey,
  stepField,
} from './keys.ts';

export const RUN_STATUSES: readonly RunStatus[] = [
  'PENDING',
  'RUNNING',
  'WAITING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
];

export interface RunListFilter {
  readonly status?: RunStatus;
  readonly workflow_id?: string;
  readonly team_id?: string;
}

export interface RunListQuery {
  /** The caller's tenant, or `*` for a key bound to every tenant. */
  readonly tenant: string;
  readonly filter: RunListFilter;
  /** Inclusive time range (ms) on created_at. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export interface RunSummary {
  readonly run_id: string;
  readonly tenant: string;
  readonly workflow_id: string;
  readonly workflow_version: number;
  readonly team_id: string | null;
  readonly status: RunStatus;
  readonly created_at: number;
  readonly updated_at: number;
  readonly ended_at: number | null;
  readonly due_at: number | null;
  readonly started_by: string;
  readonly trace_id: string;
  readonly rerun_of: string | null;
  readonly error: { readonly code: string; readonly message: string; readonly step_id: string | null } | null;
  /** Each step's status, for drawing the DAG. */
  readonly steps: Readonly<Record<string, string>>;
}

export const SUPPORTED_RUN_FILTERS =
  'status; one of workflow_id, team_id (each alone or with status); with an all-tenant key, status only';

export const MAX_RUN_PAGE = 500;

/** Which index serves a query, or a ValidationError naming the supported combinations. */
export function runIndexFor(query: Pick<RunListQuery, 'tenant' | 'filter'>): string {
  const { filter } = query;
  if (filter.status !== undefined && !RUN_STATUSES.includes(filter.status)) {
    throw new ValidationError('status', `status must be one of ${RUN_STATUSES.join(', ')}`);
  }
  const given = RUN_FILTER_FIELDS.filter((field) => filter[field] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(
      given[1] as string,
      `filters ${given.join(' and ')} cannot be combined; supported: ${SUPPORTED_RUN_FILTERS}`,
      'unsupported_filter',
    );
  }
  const field: RunFilterField | undefined = given[0];
  if (field !== undefined && query.tenant === ALL_TENANTS) {
    throw new ValidationError(
      field,
      `${field} is not supported for an all-tenant key; supported: ${SUPPORTED_RUN_FILTERS}`,
      'unsupported_filter',
    );
  }
  return runIndexKey(query.tenant, {
    ...(field === undefined ? {} : { field, value: filter[field] as string }),
    ...(filter.status === undefined ? {} : { status: filter.status }),
  });
}

export async function listRuns(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  query: RunListQuery,
): Promise<Page<RunSummary>> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_RUN_PAGE) {
    throw new ValidationError('limit', `limit must be a whole number from 1 to ${MAX_RUN_PAGE}`);
  }
  const index = runIndexFor(query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const found = await reader.range(ns, index, {
    order: 'desc',
    limit: query.limit + 1,
    ...(query.from === undefined ? {} : { min: query.from }),
    ...(query.to === undefined ? {} : { max: query.to }),
    ...(after === undefined ? {} : { after }),
  });
  const page = found.slice(0, query.limit);
  const refs = page.map((item) => parseRunIndexMember(query.tenant, item.member));
  const docs = await reader.hgetallMany(
    ns,
    refs.map((ref) => runDocKey(ref.tenant, ref.runId)),
  );
  const items = docs.flatMap((doc) => (doc === null ? [] : [toSummary(doc)]));
  const last = page.at(-1);
  return { items, next_cursor: found.length > query.limit && last !== undefined ? encodeCursor(last) : null };
}

export async function getRunSummary(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  tenant: string,
  runId: string,
): Promise<RunSummary | null> {
  const doc = await reader.hgetall(ns, runDocKey(tenant, runId));
  return doc === null ? null : toSummary(doc);
}

function toSummary(doc: Record<string, string>): RunSummary {
  const text = (field: string) => (doc[field] === undefined || doc[field] === '' ? null : doc[field]);
  const number = (field: string) => (text(field) === null ? null : Number(doc[field]));
  const stepIds = doc.steps === undefined ? [] : (JSON.parse(doc.steps) as string[]);
  const errorCode = text('error_code');
  return {
    run_id: doc.run_id ?? '',
    tenant: doc.tenant ?? '',
    workflow_id: doc.workflow_id ?? '',
    workflow_version: number('workflow_version') ?? 0,
    team_id: text('team_id'),
    status: (doc.status ?? 'PENDING') as RunStatus,
    created_at: number('created_at') ?? 0,
    updated_at: number('updated_at') ?? 0,
    ended_at: number('ended_at'),
    due_at: number('due_at'),
    started_by: doc.started_by ?? '',
    trace_id: doc.trace_id ?? '',
    rerun_of: text('rerun_of'),
    error:
      errorCode === null ? null : { code: errorCode, message: doc.error_message ?? '', step_id: text('error_step') },
    steps: Object.fromEntries(stepIds.map((id) => [id, doc[stepField(id)] ?? 'PENDING'])),
  };
}
