/**
 * The `runs` read model's key layout, shared by its evolve and its queries so the two cannot drift.
 *
 *   d:<tenant>:<run_id>         the run document (a hash; `step:<id>` fields hold each step's status)
 *   c:<tenant>:<filter>         by creation time: member run_id, score created_at (ms)
 *   c:*:<filter>                global twins for `*` keys (all and status only): member <tenant>/<run_id>
 *
 * Filters: `all`, `s:<STATUS>`, and workflow_id or team_id alone or with a status, e.g.
 * `w:nightly|s:FAILED`. Values are URI-encoded so no value can forge another key.
 */
import type { RunStatus } from '../../domain/workflow/run-events.ts';

export const RUN_FILTER_FIELDS = ['workflow_id', 'team_id'] as const;
export type RunFilterField = (typeof RUN_FILTER_FIELDS)[number];

const TAG: Record<RunFilterField, string> = { workflow_id: 'w', team_id: 'tm' };

export interface RunIndexFilter {
  readonly field?: RunFilterField;
  readonly value?: string;
  readonly status?: RunStatus;
}

export const ALL_TENANTS = '*';

export function runDocKey(tenant: string, runId: string): string {
  return `d:${tenant}:${runId}`;
}

export function runFilterKey(filter: RunIndexFilter): string {
  const parts: string[] = [];
  if (filter.field !== undefined && filter.value !== undefined) {
    parts.push(`${TAG[filter.field]}:${encodeURIComponent(filter.value)}`);
  }
  if (filter.status !== undefined) parts.push(`s:${filter.status}`);
  return parts.length === 0 ? 'all' : parts.join('|');
}

export function runIndexKey(tenant: string, filter: RunIndexFilter): string {
  return `c:${tenant}:${runFilterKey(filter)}`;
}

/** The member a run has in an index: its id in a tenant's index, `<tenant>/<id>` in a global twin. */
export function runIndexMember(indexTenant: string, tenant: string, runId: string): string {
  return indexTenant === ALL_TENANTS ? `${tenant}/${runId}` : runId;
}

export function parseRunIndexMember(indexTenant: string, member: string): { tenant: string; runId: string } {
  if (indexTenant !== ALL_TENANTS) return { tenant: indexTenant, runId: member };
  const slash = member.indexOf('/');
  return { tenant: member.slice(0, slash), runId: member.slice(slash + 1) };
}

/** The document field holding a step's status. */
export function stepField(stepId: string): string {
  return `step:${stepId}`;
}
