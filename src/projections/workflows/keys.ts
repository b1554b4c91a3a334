/**
 * The `workflows` read model's key layout, shared by its evolve and its queries.
 *
 *   d:<tenant>:<workflow_id>    the workflow document (a hash): its latest version, deleted flag
 *   c:<tenant>:active           live workflows by creation time: member workflow_id, score created_at
 *   c:<tenant>:all              every workflow, deleted ones included
 *   c:*:active, c:*:all         global twins for `*` keys: member <tenant>/<workflow_id>
 */
export const ALL_TENANTS = '*';

export type WorkflowIndex = 'active' | 'all';

export function workflowDocKey(tenant: string, workflowId: string): string {
  return `d:${tenant}:${workflowId}`;
}

export function workflowIndexKey(tenant: string, index: WorkflowIndex): string {
  return `c:${tenant}:${index}`;
}

export function workflowIndexMember(indexTenant: string, tenant: string, workflowId: string): string {
  return indexTenant === ALL_TENANTS ? `${tenant}/${workflowId}` : workflowId;
}

export function parseWorkflowIndexMember(indexTenant: string, member: string): { tenant: string; workflowId: string } {
  if (indexTenant !== ALL_TENANTS) return { tenant: indexTenant, workflowId: member };
  const slash = member.indexOf('/');
  return { tenant: member.slice(0, slash), workflowId: member.slice(slash + 1) };
}
