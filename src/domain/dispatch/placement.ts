/**
 * Placement labels (SPEC 1.6). Only an allow-list of a job's labels constrains where it runs —
 * `region`, `zone`, `gpu` and keys under `placement.` — so labels used for search or accounting
 * (`team`, `env`, ...) never block placement. Two more labels are hints, not constraints:
 * `preferred_worker_id` and `preferred_pool` (see `chooseTarget` for how they fall back).
 */
import type { WorkerHeartbeat } from './registry.ts';

export const PLACEMENT_KEYS: readonly string[] = ['region', 'zone', 'gpu'];
export const PLACEMENT_PREFIX = 'placement.';
export const PREFERRED_WORKER_LABEL = 'preferred_worker_id';
export const PREFERRED_POOL_LABEL = 'preferred_pool';

export interface Placement {
  /** Label key → required value on the worker. */
  readonly constraints: Readonly<Record<string, string>>;
  readonly preferred_worker_id: string | null;
  readonly preferred_pool: string | null;
}

export function isPlacementKey(key: string): boolean {
  return PLACEMENT_KEYS.includes(key) || (key.startsWith(PLACEMENT_PREFIX) && key.length > PLACEMENT_PREFIX.length);
}

export function placementOf(labels: Readonly<Record<string, string>>): Placement {
  const constraints: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (isPlacementKey(key)) constraints[key] = value;
  }
  const hint = (key: string): string | null => {
    const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
    return value === undefined || value === '' ? null : value;
  };
  return {
    constraints,
    preferred_worker_id: hint(PREFERRED_WORKER_LABEL),
    preferred_pool: hint(PREFERRED_POOL_LABEL),
  };
}

/**
 * The worker's value for a placement key. `region` falls back to the heartbeat's own `region` field;
 * `placement.<name>` is looked up as written, then as plain `<name>` (so a worker labelled
 * `rack: r1` serves a job asking `placement.rack: r1`).
 */
export function workerLabel(worker: WorkerHeartbeat, key: string): string | null {
  const own = (name: string): string | null =>
    Object.hasOwn(worker.labels, name) ? (worker.labels[name] ?? null) : null;
  const exact = own(key);
  if (exact !== null) return exact;
  if (key === 'region') return worker.region;
  if (key.startsWith(PLACEMENT_PREFIX)) return own(key.slice(PLACEMENT_PREFIX.length));
  return null;
}

export function matchesPlacement(worker: WorkerHeartbeat, placement: Placement): boolean {
  return Object.entries(placement.constraints).every(([key, value]) => workerLabel(worker, key) === value);
}
