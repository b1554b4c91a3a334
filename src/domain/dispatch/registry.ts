/**
 * The worker registry as a pure value (SPEC 1.5). The runtime feeds it heartbeats from the KV watch
 * (with the entry's time) and the assignments it makes; the registry answers who is live at `now`.
 *
 * Assignments and completions: a heartbeat's `active_jobs` cannot know about jobs handed to the worker
 * after it was sent, nor about the ones it finished since, so each assignment bumps
 * `assigned_since_heartbeat`, each result the worker sent after the heartbeat (both times by the
 * worker's own clock) bumps `finished_since_heartbeat`, and the next heartbeat resets both. Without completions a busy worker
 * looks fuller with every job until its next heartbeat, and jobs wait for capacity it has. (A
 * heartbeat sent just before an assignment but read after it resets the count early; the error is
 * one heartbeat interval long and the next heartbeat corrects it.)
 *
 * Updates copy the map (O(workers)); that is cheap for the hundreds of workers this serves.
 */
import { ValidationError } from '../shared/errors.ts';
import { CLIENT_ID_PATTERN } from '../shared/ids.ts';
import { POOL_PATTERN } from './routing.ts';

export interface WorkerHeartbeat {
  /** Subject-safe: the worker's direct subject is `worker.<worker_id>.jobs`. */
  readonly worker_id: string;
  readonly pool: string;
  /** Topic globs the worker serves; empty = every topic routed to its pool. */
  readonly topics: readonly string[];
  readonly active_jobs: number;
  readonly max_parallel_jobs: number;
  readonly capabilities: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** 0-100 (a value above 100 is kept: it only makes the worker overloaded). */
  readonly cpu_load: number;
  readonly gpu_utilization: number | null;
  readonly region: string | null;
  readonly version: string | null;
  /** When the worker sent it, by its own clock (null: a worker that does not say). */
  readonly sent_at: number | null;
}

export interface WorkerEntry {
  readonly heartbeat: WorkerHeartbeat;
  /** When the heartbeat was recorded (the KV entry time): expiry counts from here. */
  readonly heartbeat_at: number;
  readonly assigned_since_heartbeat: number;
  /** Results the worker sent after its heartbeat (by its clock), recorded since. */
  readonly finished_since_heartbeat: number;
}

export interface WorkerRegistry {
  readonly workers: ReadonlyMap<string, WorkerEntry>;
}

export const EMPTY_REGISTRY: WorkerRegistry = { workers: new Map() };

/** Records a heartbeat; one older than the one held (a reordered delivery) changes nothing. */
export function recordHeartbeat(registry: WorkerRegistry, heartbeat: WorkerHeartbeat, at: number): WorkerRegistry {
  const held = registry.workers.get(heartbeat.worker_id);
  if (held !== undefined && held.heartbeat_at > at) return registry;
  const workers = new Map(registry.workers);
  workers.set(heartbeat.worker_id, {
    heartbeat,
    heartbeat_at: at,
    assigned_since_heartbeat: 0,
    finished_since_heartbeat: 0,
  });
  return { workers };
}

/** Counts a job handed to the worker since its last heartbeat; an unknown worker changes nothing. */
export function recordAssignment(registry: WorkerRegistry, workerId: string): WorkerRegistry {
  const held = registry.workers.get(workerId);
  if (held === undefined) return registry;
  const workers = new Map(registry.workers);
  workers.set(workerId, { ...held, assigned_since_heartbeat: held.assigned_since_heartbeat + 1 });
  return { workers };
}

/**
 * Takes back an assignment counted by `recordAssignment` that was not made after all (the job's
 * decision went another way). Never below zero: a heartbeat in between already reset the count.
 */
export function releaseAssignment(registry: WorkerRegistry, workerId: string): WorkerRegistry {
  const held = registry.workers.get(workerId);
  if (held === undefined || held.assigned_since_heartbeat === 0) return registry;
  const workers = new Map(registry.workers);
  workers.set(workerId, { ...held, assigned_since_heartbeat: held.assigned_since_heartbeat - 1 });
  return { workers };
}

/**
 * Counts a result of one of the worker's jobs that the worker sent at `sentAt` (its clock). A result sent
 * before its heartbeat is already out of that heartbeat's `active_jobs`, so it counts only when both
 * times are known and the result is the later; an unknown worker changes nothing.
 */
export function recordCompletion(registry: WorkerRegistry, workerId: string, sentAt: number | null): WorkerRegistry {
  const held = registry.workers.get(workerId);
  const since = held?.heartbeat.sent_at ?? null;
  if (held === undefined || sentAt === null || since === null || sentAt <= since) return registry;
  const workers = new Map(registry.workers);
  workers.set(workerId, { ...held, finished_since_heartbeat: held.finished_since_heartbeat + 1 });
  return { workers };
}

/** The worker's key was deleted (it stopped cleanly). */
export function removeWorker(registry: WorkerRegistry, workerId: string): WorkerRegistry {
  if (!registry.workers.has(workerId)) return registry;
  const workers = new Map(registry.workers);
  workers.delete(workerId);
  return { workers };
}

/** Live while its last heartbeat is younger than the TTL; at exactly the TTL it has expired. */
export function isLive(entry: WorkerEntry, now: number, ttlMs: number): boolean {
  return now - entry.heartbeat_at < ttlMs;
}

export function liveWorkers(registry: WorkerRegistry, now: number, ttlMs: number): readonly WorkerEntry[] {
  return [...registry.workers.values()].filter((entry) => isLive(entry, now, ttlMs));
}

/** Drops expired workers (the KV bucket ages them out too, but 2.9 sends no delete marker). */
export function pruneExpired(registry: WorkerRegistry, now: number, ttlMs: number): WorkerRegistry {
  const expired = [...registry.workers.values()].filter((entry) => !isLive(entry, now, ttlMs));
  if (expired.length === 0) return registry;
  const workers = new Map(registry.workers);
  for (const entry of expired) workers.delete(entry.heartbeat.worker_id);
  return { workers };
}

/**
 * Reads a heartbeat from its JSON. Unknown fields are ignored (a newer worker may send more);
 * the error names the first bad field.
 */
export function parseHeartbeat(value: unknown): WorkerHeartbeat | ValidationError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new ValidationError('heartbeat', 'a heartbeat is a JSON object');
  }
  const raw = value as Readonly<Record<string, unknown>>;
  const bad = (field: string, message: string) => new ValidationError(field, `${field} ${message}`);
  const workerId = raw.worker_id;
  if (typeof workerId !== 'string' || !CLIENT_ID_PATTERN.test(workerId)) {
    return bad('worker_id', `must match ${CLIENT_ID_PATTERN}`);
  }
  const pool = raw.pool;
  if (typeof pool !== 'string' || !POOL_PATTERN.test(pool)) return bad('pool', `must match ${POOL_PATTERN}`);
  const topics = stringList(raw.topics);
  if (topics === null) return bad('topics', 'must be a list of strings');
  const capabilities = stringList(raw.capabilities);
  if (capabilities === null) return bad('capabilities', 'must be a list of strings');
  const active = raw.active_jobs ?? 0;
  if (!isCount(active, 0)) return bad('active_jobs', 'must be an integer ≥ 0');
  const max = raw.max_parallel_jobs;
  if (!isCount(max, 1)) return bad('max_parallel_jobs', 'must be an integer ≥ 1');
  const cpu = raw.cpu_load ?? 0;
  if (!isLoad(cpu)) return bad('cpu_load', 'must be a number ≥ 0');
  const gpu = raw.gpu_utilization ?? null;
  if (gpu !== null && !isLoad(gpu)) return bad('gpu_utilization', 'must be a number ≥ 0');
  const labels = raw.labels ?? {};
  if (!isStringMap(labels)) return bad('labels', 'must be a map of strings');
  const region = raw.region ?? null;
  if (region !== null && typeof region !== 'string') return bad('region', 'must be a string');
  const version = raw.version ?? null;
  if (version !== null && typeof version !== 'string') return bad('version', 'must be a string');
  const sentAt = raw.sent_at ?? null;
  if (sentAt !== null && !isLoad(sentAt)) return bad('sent_at', 'must be a time in ms');
  return {
    worker_id: workerId,
    pool,
    topics,
    active_jobs: active,
    max_parallel_jobs: max,
    capabilities,
    labels,
    cpu_load: cpu,
    gpu_utilization: gpu,
    region: region === '' ? null : region,
    version,
    sent_at: sentAt,
  };
}

function stringList(value: unknown): readonly string[] | null {
  if (value === undefined) return [];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function isLoad(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isStringMap(value: unknown): value is Readonly<Record<string, string>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}
