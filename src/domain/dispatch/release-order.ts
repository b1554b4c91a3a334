/**
 * Release order of held PENDING jobs (SPEC 1.6): priority class first (`critical`, `interactive`,
 * `batch`), then round-robin across tenants, then FIFO by position within a tenant. A tenant at its
 * concurrency limit is skipped, never blocking other tenants or lower classes; its jobs stay held.
 *
 * The round-robin state is the tenant served last in each class. Tenants take turns in the order of
 * their names, starting after that tenant (cyclically), so the state survives tenants coming and
 * going: a tenant is compared by name, not looked up in a list. A tenant's in-flight count is shared
 * by every class: releasing a critical job uses a slot a batch job of the same tenant then lacks.
 *
 * Per-job safety constraints (`max_concurrent_jobs`) are not applied here: the caller folds them into
 * the limits it passes, so a tenant has one limit and its jobs stay FIFO.
 */
import type { Priority } from '../job/request.ts';
import { PRIORITIES } from '../job/request.ts';
import { type TenantLimits, tenantLimit } from './tenant-limit.ts';

export interface ReleaseCandidate {
  readonly job_id: string;
  readonly tenant: string;
  readonly priority: Priority;
  /** Where the job entered its wait (an event position): FIFO order. */
  readonly position: number;
}

/** The tenant served last in each priority class. */
export type ReleaseRotation = Readonly<Partial<Record<Priority, string>>>;

export interface ReleaseState {
  /** Jobs in flight per tenant (absent = 0). */
  readonly inFlight: Readonly<Record<string, number>>;
  readonly limits: TenantLimits;
  readonly rotation: ReleaseRotation;
}

export interface ReleaseResult<C extends ReleaseCandidate> {
  /** In release order. */
  readonly released: readonly C[];
  readonly rotation: ReleaseRotation;
  /** In-flight counts after the releases. */
  readonly inFlight: Readonly<Record<string, number>>;
}

export function releaseOrder<C extends ReleaseCandidate>(
  candidates: readonly C[],
  state: ReleaseState,
  maxToRelease: number,
): ReleaseResult<C> {
  const released: C[] = [];
  const rotation: Partial<Record<Priority, string>> = { ...state.rotation };
  // A Map, not an object: a tenant may be named `__proto__`.
  const inFlight = new Map(Object.entries(state.inFlight));
  const hasSlot = (tenant: string): boolean => {
    const limit = tenantLimit(state.limits, tenant);
    return limit === null || (inFlight.get(tenant) ?? 0) < limit;
  };

  for (const priority of PRIORITIES) {
    if (released.length >= maxToRelease) break;
    const queues = queuesByTenant(candidates.filter((candidate) => candidate.priority === priority));
    const order = turnOrder([...queues.keys()], rotation[priority]);
    let progressed = true;
    while (progressed && released.length < maxToRelease) {
      progressed = false;
      for (const tenant of order) {
        if (released.length >= maxToRelease) break;
        const queue = queues.get(tenant);
        const next = queue?.shift();
        if (next === undefined) continue;
        if (!hasSlot(tenant)) {
          queue?.unshift(next);
          continue;
        }
        released.push(next);
        inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
        rotation[priority] = tenant;
        progressed = true;
      }
    }
  }
  return { released, rotation, inFlight: Object.fromEntries(inFlight) };
}

/** Each tenant's candidates, oldest first. */
function queuesByTenant<C extends ReleaseCandidate>(candidates: readonly C[]): Map<string, C[]> {
  const queues = new Map<string, C[]>();
  for (const candidate of candidates) {
    const queue = queues.get(candidate.tenant);
    if (queue === undefined) queues.set(candidate.tenant, [candidate]);
    else queue.push(candidate);
  }
  for (const queue of queues.values()) queue.sort((a, b) => a.position - b.position);
  return queues;
}

/** Tenants by name, starting with the first one after `last` and wrapping around. */
export function turnOrder(tenants: readonly string[], last: string | undefined): readonly string[] {
  const sorted = [...tenants].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (last === undefined) return sorted;
  const start = sorted.findIndex((tenant) => tenant > last);
  return start <= 0 ? sorted : [...sorted.slice(start), ...sorted.slice(0, start)];
}
