/**
 * The registry as operators see it (`GET /api/v1/workers`, SPEC 1.5): live workers only, each with
 * the load least-loaded dispatch uses, whether it is overloaded, and whether it is cordoned.
 */
import { activeJobs, isOverloaded, loadScore } from './load.ts';
import type { WorkerHeartbeat, WorkerRegistry } from './registry.ts';
import { liveWorkers } from './registry.ts';
import { isCordoned, type RoutingSettings } from './routing.ts';

export interface WorkerStatus {
  readonly heartbeat: WorkerHeartbeat;
  readonly heartbeat_at: number;
  readonly expires_at: number;
  /** The heartbeat's `active_jobs` plus assignments made since it. */
  readonly active_jobs: number;
  readonly load_score: number;
  readonly overloaded: boolean;
  readonly cordoned: boolean;
}

/** Live workers, ordered by id. */
export function workerStatuses(
  registry: WorkerRegistry,
  now: number,
  routing: RoutingSettings,
): readonly WorkerStatus[] {
  return liveWorkers(registry, now, routing.worker_ttl_ms)
    .map((entry) => ({
      heartbeat: entry.heartbeat,
      heartbeat_at: entry.heartbeat_at,
      expires_at: entry.heartbeat_at + routing.worker_ttl_ms,
      active_jobs: activeJobs(entry),
      load_score: loadScore(entry),
      overloaded: isOverloaded(entry),
      cordoned: isCordoned(routing, entry.heartbeat.worker_id),
    }))
    .sort((a, b) => (a.heartbeat.worker_id < b.heartbeat.worker_id ? -1 : 1));
}
