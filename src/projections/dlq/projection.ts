/**
 * The `dlq` read model (SPEC 1.10): a document per entry and indexes by the time the entry was added,
 * per tenant: all, by topic, by reason code (and an all-tenant twin of `all`). A deleted entry leaves
 * the indexes and its document (its history stays in the event stream); a retry records the new job.
 *
 *   d:<tenant>:<job_id>   c:<tenant>:all   c:<tenant>:t:<topic>   c:<tenant>:r:<reason_code>   c:*:all
 */
import type { DlqEvent } from '../../domain/dlq/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { Projection } from '../projection.ts';
import { del, hset, type Write, zadd, zrem } from '../write.ts';

export const ALL_TENANTS = '*';

export function dlqDocKey(tenant: string, jobId: string): string {
  return `d:${tenant}:${jobId}`;
}

export type DlqFilter = { readonly topic?: string; readonly reason_code?: string };

export function dlqIndexKey(tenant: string, filter: DlqFilter): string {
  if (filter.topic !== undefined) return `c:${tenant}:t:${encodeURIComponent(filter.topic)}`;
  if (filter.reason_code !== undefined) return `c:${tenant}:r:${encodeURIComponent(filter.reason_code)}`;
  return `c:${tenant}:all`;
}

const TYPES: ReadonlySet<string> = new Set(['DlqEntryAdded', 'DlqRetried', 'DlqEntryDeleted']);

export const dlqProjection: Projection = {
  name: 'dlq',
  schema: 1,
  streams: ['dlq'],
  evolve(stored: StoredEvent): Write[] {
    if (!TYPES.has(stored.type)) return [];
    const event = { type: stored.type, data: stored.data } as DlqEvent;
    const { keys } = event.data;
    const tenant = stored.tenant;
    const doc = dlqDocKey(tenant, keys.job_id);
    const indexes: [string, string][] = [
      [dlqIndexKey(tenant, {}), keys.job_id],
      [dlqIndexKey(tenant, { topic: keys.topic }), keys.job_id],
      [dlqIndexKey(tenant, { reason_code: keys.reason_code }), keys.job_id],
      [dlqIndexKey(ALL_TENANTS, {}), `${tenant}/${keys.job_id}`],
    ];
    switch (event.type) {
      case 'DlqEntryAdded': {
        const d = event.data;
        return [
          hset(doc, {
            job_id: d.job_id,
            tenant: d.tenant,
            topic: d.topic,
            final_state: d.final_state,
            reason_code: d.reason_code,
            reason: d.reason,
            attempts: String(d.attempts),
            worker_id: d.worker_id ?? '',
            created_at: String(d.created_at),
            retries: '0',
            retried_as: '',
            request: JSON.stringify(d.request),
          }),
          ...indexes.map(([key, member]) => zadd(key, keys.created_at, member)),
        ];
      }
      case 'DlqRetried':
        return [hset(doc, { retries: String(event.data.n), retried_as: event.data.new_job_id })];
      case 'DlqEntryDeleted':
        return [del(doc), ...indexes.map(([key, member]) => zrem(key, member))];
      default:
        return [];
    }
  },
};
