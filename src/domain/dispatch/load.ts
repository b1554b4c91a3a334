/**
 * A worker's load as least-loaded dispatch sees it (SPEC 1.6). Active jobs count the assignments made
 * since the worker's last heartbeat, so a burst of dispatches between two heartbeats spreads out
 * instead of piling onto the worker that looked idle, less the results recorded since.
 */
import type { WorkerEntry } from './registry.ts';

/** At or above these a worker takes no new job (the fixed thresholds of SPEC 1.6). */
export const OVERLOAD_SLOT_RATIO = 0.9;
export const OVERLOAD_PERCENT = 90;

export function activeJobs(entry: WorkerEntry): number {
  return Math.max(0, entry.heartbeat.active_jobs + entry.assigned_since_heartbeat - entry.finished_since_heartbeat);
}

export function slotRatio(entry: WorkerEntry): number {
  return activeJobs(entry) / entry.heartbeat.max_parallel_jobs;
}

/** `active/max_parallel + cpu/100 + gpu/100` (a worker without a GPU adds 0). Lower is better. */
export function loadScore(entry: WorkerEntry): number {
  return slotRatio(entry) + entry.heartbeat.cpu_load / 100 + (entry.heartbeat.gpu_utilization ?? 0) / 100;
}

export function isOverloaded(entry: WorkerEntry): boolean {
  const { cpu_load, gpu_utilization } = entry.heartbeat;
  return (
    slotRatio(entry) >= OVERLOAD_SLOT_RATIO ||
    cpu_load >= OVERLOAD_PERCENT ||
    (gpu_utilization !== null && gpu_utilization >= OVERLOAD_PERCENT)
  );
}

/**
 * How many more jobs the worker takes before it is overloaded by slots (0 when its CPU or GPU already
 * overloads it): a wake for freed capacity need not look at more waiting jobs than this.
 */
export function roomBeforeOverload(entry: WorkerEntry): number {
  const { cpu_load, gpu_utilization, max_parallel_jobs } = entry.heartbeat;
  if (cpu_load >= OVERLOAD_PERCENT || (gpu_utilization !== null && gpu_utilization >= OVERLOAD_PERCENT)) return 0;
  return Math.max(0, Math.ceil(OVERLOAD_SLOT_RATIO * max_parallel_jobs) - activeJobs(entry));
}
