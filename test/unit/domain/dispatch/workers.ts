/** Heartbeats and registries for dispatch tests. */
import {
  EMPTY_REGISTRY,
  recordHeartbeat,
  type WorkerHeartbeat,
  type WorkerRegistry,
} from '../../../../src/domain/dispatch/registry.ts';
import { DEFAULT_ROUTING, type RoutingSettings } from '../../../../src/domain/dispatch/routing.ts';

export function heartbeat(workerId: string, overrides: Partial<WorkerHeartbeat> = {}): WorkerHeartbeat {
  return {
    worker_id: workerId,
    pool: 'default',
    topics: [],
    active_jobs: 0,
    max_parallel_jobs: 10,
    capabilities: [],
    labels: {},
    cpu_load: 0,
    gpu_utilization: null,
    region: null,
    version: '1.0.0',
    sent_at: null,
    ...overrides,
  };
}

/** A registry holding the given heartbeats, all recorded at `at`. */
export function registryOf(heartbeats: readonly WorkerHeartbeat[], at = 0): WorkerRegistry {
  return heartbeats.reduce((registry, beat) => recordHeartbeat(registry, beat, at), EMPTY_REGISTRY);
}

export function routing(overrides: Partial<RoutingSettings> = {}): RoutingSettings {
  return { ...DEFAULT_ROUTING, ...overrides };
}
