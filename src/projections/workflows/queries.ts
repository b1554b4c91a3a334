/**
 * Listing workflows (SPEC 2.2 `GET /api/v1/workflows`): newest first by creation time, live ones only
 * unless deleted ones are asked for, paginated with the same opaque cursor as jobs and runs.
 */
import { ValidationError } from '../../domain/shared/errors.ts';
import type { WorkflowDefinition } from '../../domain/workflow/definition.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { Page } from '../jobs/queries.ts';
import type { ReadModelNamespace } from '../projection.ts';
import type { ReadModelReader } from '../reader.ts';
import { parseWorkflowIndexMember, workflowDocKey, workflowIndexKey } from './keys.ts';

export interface WorkflowListQuery {
  /** The caller's tenant, or `*` for a key bound to every tenant. */
  readonly tenant: string;
  readonly include_deleted?: boolean;
  /** Inclusive time range (ms) on created_at. */
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly cursor?: string;
}

export interface WorkflowSummary {
  readonly workflow_id: string;
  readonly tenant: string;
  readonly name: string;
  readonly description: string | null;
  readonly team_id: string | null;
  /** The latest version (for a deleted workflow, the version its delete ended). */
  readonly version: number;
  readonly deleted: boolean;
  readonly steps: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly updated_by: string;
}

export interface WorkflowDocument extends WorkflowSummary {
  /** The latest version's definition. */
  readonly definition: WorkflowDefinition | null;
}

export const MAX_WORKFLOW_PAGE = 500;

export async function listWorkflows(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  query: WorkflowListQuery,
): Promise<Page<WorkflowSummary>> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_WORKFLOW_PAGE) {
    throw new ValidationError('limit', `limit must be a whole number from 1 to ${MAX_WORKFLOW_PAGE}`);
  }
  const index = workflowIndexKey(query.tenant, query.include_deleted === true ? 'all' : 'active');
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const found = await reader.range(ns, index, {
    order: 'desc',
    limit: query.limit + 1,
    ...(query.from === undefined ? {} : { min: query.from }),
    ...(query.to === undefined ? {} : { max: query.to }),
    ...(after === undefined ? {} : { after }),
  });
  const page = found.slice(0, query.limit);
  const docs = await reader.hgetallMany(
    ns,
    page.map((item) => {
      const ref = parseWorkflowIndexMember(query.tenant, item.member);
      return workflowDocKey(ref.tenant, ref.workflowId);
    }),
  );
  const items = docs.flatMap((doc) => (doc === null ? [] : [toSummary(doc)]));
  const last = page.at(-1);
  return { items, next_cursor: found.length > query.limit && last !== undefined ? encodeCursor(last) : null };
}

/** One workflow's document with its latest definition (deleted ones too), or null. */
export async function getWorkflowDocument(
  reader: ReadModelReader,
  ns: ReadModelNamespace,
  tenant: string,
  workflowId: string,
): Promise<WorkflowDocument | null> {
  const doc = await reader.hgetall(ns, workflowDocKey(tenant, workflowId));
  if (doc === null) return null;
  const definition = doc.definition === undefined ? null : (JSON.parse(doc.definition) as WorkflowDefinition);
  return { ...toSummary(doc), definition };
}

function toSummary(doc: Record<string, string>): WorkflowSummary {
  const text = (field: string) => (doc[field] === undefined || doc[field] === '' ? null : doc[field]);
  return {
    workflow_id: doc.workflow_id ?? '',
    tenant: doc.tenant ?? '',
    name: doc.name ?? '',
    description: text('description'),
    team_id: text('team_id'),
    version: Number(doc.version ?? 0),
    deleted: doc.deleted === 'true',
    steps: Number(doc.steps ?? 0),
    created_at: Number(doc.created_at ?? 0),
    updated_at: Number(doc.updated_at ?? 0),
    updated_by: doc.updated_by ?? '',
  };
}
