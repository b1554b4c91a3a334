/**
 * The `jobs` read model's key layout, shared by its evolve and its queries so the two cannot drift.
 *
 *   d:<tenant>:<job_id>            the job document (a hash)
 *   c:<tenant>:<filter>            by creation time: member job_id, score created_at (ms)
 *   u:<tenant>:<filter>            by last update:   member job_id, score updated_at (ms)
 *   c:*:<filter>, u:*:<filter>     global twins for `*` keys: member <tenant>/<job_id>
 *
 * Filters: `all`, `s:<STATE>`, and each of topic/team/trace/workflow/run alone or with a state,
 * e.g. `t:job.email|s:FAILED`. Values are URI-encoded so no value can forge another key.
 */
import type { JobStatus } from '../../domain/job/events.ts';

export const FILTER_FIELDS = ['topic', 'team', 'trace_id', 'workflow_id', 'run_id'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

const TAG: Record<FilterField, string> = { topic: 't', team: 'tm', trace_id: 'tr', workflow_id: 'w', run_id: 'r' };

export interface IndexFilter {
  readonly field?: FilterField;
  readonly value?: string;
  readonly state?: JobStatus;
}

export type IndexSort = 'created' | 'updated';

export const ALL_TENANTS = '*';

export function docKey(tenant: string, jobId: string): string {
  return `d:${tenant}:${jobId}`;
}

export function filterKey(filter: IndexFilter): string {
  const parts: string[] = [];
  if (filter.field !== undefined && filter.value !== undefined) {
    parts.push(`${TAG[filter.field]}:${encodeURIComponent(filter.value)}`);
  }
  if (filter.state !== undefined) parts.push(`s:${filter.state}`);
  return parts.length === 0 ? 'all' : parts.join('|');
}

export function indexKey(sort: IndexSort, tenant: string, filter: IndexFilter): string {
  return `${sort === 'created' ? 'c' : 'u'}:${tenant}:${filterKey(filter)}`;
}

/** The member a job has in an index: its id in a tenant's index, `<tenant>/<id>` in a global twin. */
export function indexMember(indexTenant: string, tenant: string, jobId: string): string {
  return indexTenant === ALL_TENANTS ? `${tenant}/${jobId}` : jobId;
}

export function parseIndexMember(indexTenant: string, member: string): { tenant: string; jobId: string } {
  if (indexTenant !== ALL_TENANTS) return { tenant: indexTenant, jobId: member };
  const slash = member.indexOf('/');
  return { tenant: member.slice(0, slash), jobId: member.slice(slash + 1) };
}
