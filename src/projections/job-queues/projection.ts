/**
 * The wait queues (SPEC 1.7): jobs deferred by the safety breaker, held at their tenant's limit,
 * waiting for capacity, or on a paused topic. Each is entered by one event (`JobDeferred`,
 * `JobQueued`) and ordered by that event's position; any later event of the job takes it out. Keys are
 * per partition, so the scheduler owning a partition reads only its own jobs:
 *
 *   q:deferred:<p>   q:tenant_limit:<p>:<tenant>   q:capacity:<p>:<topic>   q:paused:<p>:<topic>
 *
 * and per partition an index of the tenants / topics that have had a queue (`qi:<queue>:<p>`), so a
 * scheduler woken by a freed slot or spare capacity knows which queues to look at. Index members are
 * never removed (they are few); a queue that has emptied is simply read as empty.
 */
import type { JobEvent, WaitQueue } from '../../domain/job/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { parseStreamId, partitionOf } from '../../domain/shared/stream.ts';
import { isJobEvent } from '../jobs/job-events.ts';
import type { Projection } from '../projection.ts';
import { type Write, zadd, zrem } from '../write.ts';

export function queueKey(queue: WaitQueue, partition: number, tenant: string, topic: string): string {
  switch (queue) {
    case 'deferred':
      return `q:deferred:${partition}`;
    case 'tenant_limit':
      return `q:tenant_limit:${partition}:${tenant}`;
    case 'capacity':
      return `q:capacity:${partition}:${topic}`;
    case 'paused':
      return `q:paused:${partition}:${topic}`;
  }
}

const QUEUES: readonly WaitQueue[] = ['deferred', 'tenant_limit', 'capacity', 'paused'];

/** The index of a partition's queues of one kind, and the member naming one queue in it. */
export function queueIndexKey(queue: Exclude<WaitQueue, 'deferred'>, partition: number): string {
  return `qi:${queue}:${partition}`;
}

export function queueIndexMember(queue: Exclude<WaitQueue, 'deferred'>, tenant: string, topic: string): string {
  return queue === 'tenant_limit' ? tenant : topic;
}

export function queueMember(tenant: string, jobId: string): string {
  return `${tenant}/${jobId}`;
}

export function jobQueuesProjection(partitions: number): Projection {
  return {
    name: 'job_queues',
    schema: 1,
    streams: ['job'],
    evolve(stored: StoredEvent): Write[] {
      if (!isJobEvent(stored)) return [];
      const event = { type: stored.type, data: stored.data } as JobEvent;
      if (event.data.status_before !== 'PENDING' && event.type !== 'JobDeferred' && event.type !== 'JobQueued')
        return [];
      const stream = parseStreamId(stored.stream_id);
      if (stream === null) return [];
      const partition = partitionOf(stream, partitions);
      const member = queueMember(stored.tenant, event.data.keys.job_id);
      const topic = event.data.keys.topic;
      const entered: WaitQueue | null =
        event.type === 'JobDeferred' ? 'deferred' : event.type === 'JobQueued' ? event.data.queue : null;
      const writes: Write[] = [];
      for (const queue of QUEUES) {
        if (queue !== entered) writes.push(zrem(queueKey(queue, partition, stored.tenant, topic), member));
      }
      if (entered !== null) {
        writes.push(zadd(queueKey(entered, partition, stored.tenant, topic), stored.position, member));
        if (entered !== 'deferred') {
          writes.push(
            zadd(queueIndexKey(entered, partition), stored.position, queueIndexMember(entered, stored.tenant, topic)),
          );
        }
      }
      return writes;
    },
  };
}
