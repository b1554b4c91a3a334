/**
 * `runs_due` (SPEC 2.2, ARCHITECTURE.md section 4): the next due time of every live run — step
 * deadlines, delays, approval expiry, the run timeout, or its start while PENDING — from its events
 * (each carries `due_at`, null once the run has ended). The run reconciler reads it as a hint and
 * reloads each run before acting. Member `<tenant>/<run_id>`, score due_at.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { RunEvent } from '../../domain/workflow/run-events.ts';
import type { Projection } from '../projection.ts';
import { isRunEvent } from '../runs/run-events.ts';
import { type Write, zadd, zrem } from '../write.ts';

export const RUNS_DUE_KEY = 'due';

export const runsDueProjection: Projection = {
  name: 'runs_due',
  schema: 1,
  streams: ['run'],
  evolve(stored: StoredEvent): Write[] {
    if (!isRunEvent(stored)) return [];
    const data = stored.data as RunEvent['data'];
    const member = runDueMember(stored.tenant, data.keys.run_id);
    return [data.due_at === null ? zrem(RUNS_DUE_KEY, member) : zadd(RUNS_DUE_KEY, data.due_at, member)];
  },
};

export function runDueMember(tenant: string, runId: string): string {
  return `${tenant}/${runId}`;
}

export function parseRunDueMember(member: string): { tenant: string; runId: string } {
  const slash = member.indexOf('/');
  return { tenant: member.slice(0, slash), runId: member.slice(slash + 1) };
}
