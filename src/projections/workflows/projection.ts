/**
 * The `workflows` read model (SPEC 2.2 `GET /api/v1/workflows`): a document per workflow holding its
 * latest version and whether it is deleted, listed by creation time per tenant (live ones, or all).
 * Every workflow event carries the list keys and the whole new state, so no write reads state.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { WorkflowEvent } from '../../domain/workflow/workflow-events.ts';
import type { Projection } from '../projection.ts';
import { hset, type Write, zadd, zrem } from '../write.ts';
import { ALL_TENANTS, workflowDocKey, workflowIndexKey, workflowIndexMember } from './keys.ts';

const TYPES: ReadonlySet<string> = new Set<WorkflowEvent['type']>(['WorkflowDefined', 'WorkflowDeleted']);

export const workflowsProjection: Projection = { name: 'workflows', schema: 1, streams: ['workflow'], evolve };

function evolve(stored: StoredEvent): Write[] {
  if (!TYPES.has(stored.type)) return [];
  const event = { type: stored.type, data: stored.data } as WorkflowEvent;
  const { keys } = event.data;
  const tenant = stored.tenant;
  const fields: Record<string, string> = {
    workflow_id: keys.workflow_id,
    tenant,
    name: keys.name,
    team_id: keys.team_id ?? '',
    status: event.data.status_after,
    deleted: String(event.data.status_after === 'DELETED'),
    version: String(event.data.version),
    created_at: String(keys.created_at),
    updated_at: String(event.data.at),
    updated_by: event.data.by,
  };
  if (event.type === 'WorkflowDefined') {
    const definition = event.data.definition;
    Object.assign(fields, {
      description: definition.description ?? '',
      steps: String(Object.keys(definition.steps).length),
      definition: JSON.stringify(definition),
    });
  }
  const writes: Write[] = [hset(workflowDocKey(tenant, keys.workflow_id), fields)];
  for (const indexTenant of [tenant, ALL_TENANTS]) {
    const member = workflowIndexMember(indexTenant, tenant, keys.workflow_id);
    // A workflow created again after a delete is listed by its new creation time.
    writes.push(zadd(workflowIndexKey(indexTenant, 'all'), keys.created_at, member));
    writes.push(
      event.type === 'WorkflowDefined'
        ? zadd(workflowIndexKey(indexTenant, 'active'), keys.created_at, member)
        : zrem(workflowIndexKey(indexTenant, 'active'), member),
    );
  }
  return writes;
}
