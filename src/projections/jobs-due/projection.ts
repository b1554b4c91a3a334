/**
 * `jobs_due` (SPEC 1.7): the next due time of every non-terminal job, from its events. The reconciler
 * reads it as a hint (and reloads each job before acting). Member `<tenant>/<job_id>`, score due_at.
 */
import type { JobEvent } from '../../domain/job/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { isJobEvent } from '../jobs/job-events.ts';
import type { Projection } from '../projection.ts';
import { type Write, zadd, zrem } from '../write.ts';

export const DUE_KEY = 'due';

export const jobsDueProjection: Projection = {
  name: 'jobs_due',
  schema: 1,
  streams: ['job'],
  evolve(stored: StoredEvent): Write[] {
    if (!isJobEvent(stored)) return [];
    const data = stored.data as JobEvent['data'];
    const member = dueMember(stored.tenant, data.keys.job_id);
    return [data.due_at === null ? zrem(DUE_KEY, member) : zadd(DUE_KEY, data.due_at, member)];
  },
};

export function dueMember(tenant: string, jobId: string): string {
  return `${tenant}/${jobId}`;
}

export function parseDueMember(member: string): { tenant: string; jobId: string } {
  const slash = member.indexOf('/');
  return { tenant: member.slice(0, slash), jobId: member.slice(slash + 1) };
}
