/**
 * Where a job's next attempt goes (SPEC 1.6), as one pure function of the job, the registry, the
 * routing settings, `now` and a tie-break value in [0, 1) the caller draws at random.
 *
 * In order:
 *  1. a paused topic waits (`paused`), before anything else, so an operator can pause a topic while
 *     fixing its mapping without its jobs failing;
 *  2. the eligible pools are those mapped to the topic that offer every capability the job requires;
 *     none → `fail: no_pool_mapping`;
 *  3. the workers *present* are the live ones of an eligible pool that serve the topic and have every
 *     required capability. None present → the topic queue of one eligible pool (for workers that do
 *     not heartbeat): `preferred_pool` when eligible, else the first in the mapping's order. The
 *     topic queue cannot honour placement labels: it is the fallback for an unregistered fleet;
 *  4. the *candidates* are the present workers that are not cordoned, match the placement labels and
 *     are not overloaded. None → `wait: all_overloaded` (the capacity queue; a heartbeat or config
 *     change wakes it). Cordoned and non-matching workers still count as present: sending the job to
 *     the topic queue would reach them anyway, or workers the placement excludes;
 *  5. hints: `preferred_worker_id` wins if that worker is a candidate; else `preferred_pool` narrows
 *     the choice to that pool if it has a candidate. A hint never blocks or delays a job: an absent,
 *     expired, cordoned, overloaded or non-matching preferred worker, or a preferred pool with no
 *     candidate, falls back to the normal choice;
 *  6. the lowest load score wins; equal scores are ordered by worker id and the tie-break value picks
 *     one, so simultaneous choices spread over idle workers instead of herding onto one.
 *
 * Tenant limits are checked by the caller before this (`checkTenantLimit`).
 */
import type { DispatchTarget, WaitQueue } from '../job/events.ts';
import { matchesTopicGlob } from '../safety/topic-glob.ts';
import { isOverloaded, loadScore } from './load.ts';
import { matchesPlacement, type Placement, placementOf } from './placement.ts';
import type { WorkerEntry, WorkerHeartbeat, WorkerRegistry } from './registry.ts';
import { liveWorkers } from './registry.ts';
import { eligiblePools, isCordoned, isSubset, isTopicPaused, type RoutingSettings } from './routing.ts';

export type WaitReason = 'all_overloaded' | 'paused' | 'tenant_limit';

export type TargetChoice =
  | DispatchTarget
  | { readonly kind: 'wait'; readonly reason: Exclude<WaitReason, 'tenant_limit'> }
  | { readonly kind: 'fail'; readonly reason: 'no_pool_mapping' };

/** The part of a job that routing reads. */
export interface RoutableJob {
  readonly topic: string;
  readonly requires: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface ChooseTargetInput {
  readonly job: RoutableJob;
  readonly registry: WorkerRegistry;
  readonly routing: RoutingSettings;
  readonly now: number;
  /** A random value in [0, 1): picks among equally loaded workers. */
  readonly tieBreak: number;
}

export function chooseTarget(input: ChooseTargetInput): TargetChoice {
  const { job, routing } = input;
  if (isTopicPaused(routing, job.topic)) return { kind: 'wait', reason: 'paused' };
  const pools = eligiblePools(routing, job.topic, job.requires);
  const [firstPool] = pools;
  if (firstPool === undefined) return { kind: 'fail', reason: 'no_pool_mapping' };
  const placement = placementOf(job.labels);
  const present = presentWorkers(input, pools);
  if (present.length === 0) {
    const hinted = placement.preferred_pool;
    return { kind: 'queue', pool: hinted !== null && pools.includes(hinted) ? hinted : firstPool };
  }
  const candidates = present.filter(
    (entry) =>
      !isCordoned(routing, entry.heartbeat.worker_id) &&
      matchesPlacement(entry.heartbeat, placement) &&
      !isOverloaded(entry),
  );
  const chosen = pickLeastLoaded(preferred(candidates, placement), input.tieBreak);
  if (chosen === null) return { kind: 'wait', reason: 'all_overloaded' };
  return { kind: 'worker', worker_id: chosen.heartbeat.worker_id, pool: chosen.heartbeat.pool };
}

/** Live workers of the eligible pools that serve the topic and can do what the job requires. */
export function presentWorkers(input: ChooseTargetInput, pools: readonly string[]): readonly WorkerEntry[] {
  return liveWorkers(input.registry, input.now, input.routing.worker_ttl_ms).filter(({ heartbeat }) =>
    couldServe(heartbeat, input.job, pools),
  );
}

/**
 * Whether a worker could take a job, its load aside: it is in one of the job's eligible pools, serves
 * the topic and has what the job requires.
 */
export function couldServe(
  heartbeat: WorkerHeartbeat,
  job: { readonly topic: string; readonly requires: readonly string[] },
  pools: readonly string[],
): boolean {
  return (
    pools.includes(heartbeat.pool) &&
    (heartbeat.topics.length === 0 || heartbeat.topics.some((glob) => matchesTopicGlob(glob, job.topic))) &&
    isSubset(job.requires, heartbeat.capabilities)
  );
}

/** Narrows the candidates to the hinted worker or pool when that leaves any; else leaves them be. */
function preferred(candidates: readonly WorkerEntry[], placement: Placement): readonly WorkerEntry[] {
  const worker = candidates.filter((entry) => entry.heartbeat.worker_id === placement.preferred_worker_id);
  if (worker.length > 0) return worker;
  const pool = candidates.filter((entry) => entry.heartbeat.pool === placement.preferred_pool);
  return pool.length > 0 ? pool : candidates;
}

/** The minimum-score workers, ordered by id; `tieBreak` ∈ [0, 1) picks one of them. */
export function pickLeastLoaded(candidates: readonly WorkerEntry[], tieBreak: number): WorkerEntry | null {
  if (candidates.length === 0) return null;
  const scored = candidates.map((entry) => ({ entry, score: loadScore(entry) }));
  const best = scored.reduce((min, { score }) => Math.min(min, score), Number.POSITIVE_INFINITY);
  const ties = scored
    .filter(({ score }) => score === best)
    .map(({ entry }) => entry)
    .sort((a, b) => compareText(a.heartbeat.worker_id, b.heartbeat.worker_id));
  const index = Math.min(ties.length - 1, Math.max(0, Math.floor(tieBreak * ties.length)));
  return ties[index] ?? null;
}

/** Which wait queue a job enters for each reason (`job/events.ts` WaitQueue). */
export function waitQueueFor(reason: WaitReason): Exclude<WaitQueue, 'deferred'> {
  switch (reason) {
    case 'all_overloaded':
      return 'capacity';
    case 'paused':
      return 'paused';
    case 'tenant_limit':
      return 'tenant_limit';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
