/**
 * `createWorker` options and their defaults. Names that appear in the worker's heartbeat keep the
 * protocol's snake_case (`worker_id`, `max_parallel`, ...); the runtime's own knobs are camelCase.
 */
import { POOL_NAME_PATTERN, WORKER_ID_PATTERN } from '../domain/protocol/messages.ts';
import { topicGlobProblem } from '../domain/safety/topic-glob.ts';
import type { ExecutionLogOption } from './execution-log.ts';
import type { WorkerTransport } from './transport.ts';

export interface WorkerOptions {
  /** NATS server URL(s): one URL, a comma-separated list or an array. Or give `transport`. */
  readonly servers?: string | readonly string[];
  /** A ready transport (the embedded bus, or a NATS transport you built); the worker closes it when it closes. */
  readonly transport?: WorkerTransport;
  /** Subject and bucket prefix of the installation (default `ctx`). */
  readonly prefix?: string;
  /** `^[A-Za-z0-9_-]{1,64}$`, unique among live workers. */
  readonly worker_id: string;
  /** Default `default`. */
  readonly pool?: string;
  /** Topic globs served from the pool's queues; empty (the default) = every topic routed to the pool. */
  readonly topics?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly region?: string | null;
  /** Executions at once (default 1); hand-offs beyond it are refused `busy`. */
  readonly max_parallel?: number;
  /** The worker's version, shown in the registry (default: this package's). */
  readonly version?: string;
  /** NATS credentials (SPEC 6: one user per worker). */
  readonly user?: string;
  readonly pass?: string;
  /** Default 5000. */
  readonly heartbeatIntervalMs?: number;
  /** The registry entry's lifetime without a heartbeat (default 30000, the bucket's max age). */
  readonly registryTtlMs?: number;
  /** Send a `started` report only for executions still running after this long (default 500). */
  readonly startedReportGraceMs?: number;
  /** Progress messages at most this often (default 1000). */
  readonly progressIntervalMs?: number;
  /** Results whose JSON is larger go to the large-result store (default 256 KiB). */
  readonly largeResultBytes?: number;
  /** How long a stored large result is kept (default 24 h). */
  readonly resultTtlMs?: number;
  /** How long stopped and finished attempts are remembered (default 10 min), and how many (default 50000). */
  readonly attemptMemoryTtlMs?: number;
  readonly attemptMemoryMaxEntries?: number;
  /** Report retry backoff: first delay and cap (defaults 100 ms and 5000 ms). */
  readonly reportRetryInitialMs?: number;
  readonly reportRetryMaxMs?: number;
  /** At close, how long to keep retrying unacknowledged reports before giving up on them (default 30000). */
  readonly reportFlushTimeoutMs?: number;
  /** Every execution start, completion and abort: a callback or a JSON-lines file path. */
  readonly executionLog?: ExecutionLogOption;
  /** Problems the worker survives (a report not yet acknowledged, a failed heartbeat). Default: stderr. */
  readonly onError?: (error: unknown, context: string) => void;
  /**
   * FAULT INJECTION, for tests only: reply to hand-offs this late (e.g. beyond the scheduler's request
   * timeout). The attempt is taken and started at once; only the reply is late.
   */
  readonly acceptDelayMs?: number;
  /**
   * FAULT INJECTION, for tests only: read each hand-off this late, as a slow network would deliver
   * it; stops are not delayed, so a stop can overtake its job.
   */
  readonly handOffDelayMs?: number;
}

export interface ResolvedOptions {
  readonly prefix: string;
  readonly workerId: string;
  readonly pool: string;
  readonly topics: readonly string[];
  readonly capabilities: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly region: string | null;
  readonly maxParallel: number;
  readonly version: string;
  readonly heartbeatIntervalMs: number;
  readonly registryTtlMs: number;
  readonly startedReportGraceMs: number;
  readonly progressIntervalMs: number;
  readonly largeResultBytes: number;
  readonly resultTtlMs: number;
  readonly attemptMemoryTtlMs: number;
  readonly attemptMemoryMaxEntries: number;
  readonly reportRetryInitialMs: number;
  readonly reportRetryMaxMs: number;
  readonly reportFlushTimeoutMs: number;
  readonly acceptDelayMs: number;
  readonly handOffDelayMs: number;
  readonly onError: (error: unknown, context: string) => void;
}

const PREFIX_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export function resolveOptions(options: WorkerOptions, packageVersion: string): ResolvedOptions {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const prefix = options.prefix ?? 'ctx';
  const pool = options.pool ?? 'default';
  const topics = options.topics ?? [];
  check(PREFIX_PATTERN.test(prefix), `prefix "${prefix}" must match ${PREFIX_PATTERN.source}`);
  check(
    WORKER_ID_PATTERN.test(options.worker_id),
    `worker_id "${options.worker_id}" must match ${WORKER_ID_PATTERN.source}`,
  );
  check(POOL_NAME_PATTERN.test(pool), `pool "${pool}" must match ${POOL_NAME_PATTERN.source}`);
  for (const topic of topics) {
    const problem = topicGlobProblem(topic);
    check(problem === null, `topic "${topic}": ${problem ?? ''}`);
  }
  check(options.servers !== undefined || options.transport !== undefined, 'give servers or a transport');
  const positive = (name: string, value: number | undefined, fallback: number, min = 1): number => {
    const chosen = value ?? fallback;
    check(Number.isFinite(chosen) && chosen >= min, `${name} must be a number ≥ ${min}`);
    return chosen;
  };
  const maxParallel = positive('max_parallel', options.max_parallel, 1);
  check(Number.isInteger(maxParallel), 'max_parallel must be an integer');
  const resolved: ResolvedOptions = {
    prefix,
    workerId: options.worker_id,
    pool,
    topics,
    capabilities: options.capabilities ?? [],
    labels: options.labels ?? {},
    region: options.region ?? null,
    maxParallel,
    version: options.version ?? packageVersion,
    heartbeatIntervalMs: positive('heartbeatIntervalMs', options.heartbeatIntervalMs, 5000),
    registryTtlMs: positive('registryTtlMs', options.registryTtlMs, 30_000),
    startedReportGraceMs: positive('startedReportGraceMs', options.startedReportGraceMs, 500, 0),
    progressIntervalMs: positive('progressIntervalMs', options.progressIntervalMs, 1000, 0),
    largeResultBytes: positive('largeResultBytes', options.largeResultBytes, 256 * 1024),
    resultTtlMs: positive('resultTtlMs', options.resultTtlMs, 24 * 3600_000),
    attemptMemoryTtlMs: positive('attemptMemoryTtlMs', options.attemptMemoryTtlMs, 600_000),
    attemptMemoryMaxEntries: positive('attemptMemoryMaxEntries', options.attemptMemoryMaxEntries, 50_000),
    reportRetryInitialMs: positive('reportRetryInitialMs', options.reportRetryInitialMs, 100),
    reportRetryMaxMs: positive('reportRetryMaxMs', options.reportRetryMaxMs, 5000),
    reportFlushTimeoutMs: positive('reportFlushTimeoutMs', options.reportFlushTimeoutMs, 30_000, 0),
    acceptDelayMs: positive('acceptDelayMs', options.acceptDelayMs, 0, 0),
    handOffDelayMs: positive('handOffDelayMs', options.handOffDelayMs, 0, 0),
    onError:
      options.onError ??
      ((error, context) => console.error(`coretex worker ${options.worker_id}: ${context}:`, describeError(error))),
  };
  check(
    resolved.heartbeatIntervalMs < resolved.registryTtlMs,
    'heartbeatIntervalMs must be shorter than registryTtlMs, or the entry expires between heartbeats',
  );
  if (problems.length > 0) throw new TypeError(`createWorker: ${problems.join('; ')}`);
  return resolved;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
