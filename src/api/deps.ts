/**
 * What the API is built from: use-case services and ports, never an adapter. `createApiDeps` wires them
 * from ports alone, so the composition root (src/main.ts) and the tests build the API the same way.
 */
import { createHash } from 'node:crypto';
import { ConfigService } from '../app/config/config-service.ts';
import { LiveEventHub } from '../app/events/live-events.ts';
import type { StartedRuntime } from '../app/jobs/create-runtime.ts';
import { JobList } from '../app/jobs/job-list.ts';
import { type OperationRepository, operationRepository } from '../app/jobs/operations.ts';
import { observeAppends } from '../app/observed-event-store.ts';
import type { WorkflowRuntime } from '../app/workflows/runtime.ts';
import type { Clock, EventStore, Logger, ReadModelStore } from '../app/ports.ts';
import { UnavailableError } from '../domain/shared/errors.ts';
import type { CommitSignal } from '../app/projections/commit-signal.ts';
import { ReadModelAccess } from '../app/projections/read-model-access.ts';
import { ProjectionRebuilds } from '../app/projections/rebuilds.ts';
import type { Projection } from '../projections/projection.ts';
import { type ApiMetrics, createApiMetrics } from './metrics.ts';

export interface RuntimeInfo {
  /** `embedded` (one process, local files) or `distributed` (NATS JetStream + Redis). */
  readonly mode: 'embedded' | 'distributed';
  /** Where events and read models live, for people (`NATS JetStream 2.9.25 at nats://...`). */
  readonly description: string;
  /** Coretex's version. */
  readonly version: string;
  /** Epoch ms the process started. */
  readonly startedAt: number;
}

/**
 * The job runtime as the API uses it: the process's one runtime (repositories, safety gate, worker
 * registry, parking lot, idempotency claims) and the bulk-operations repository. The job endpoints
 * (submit, read by id, cancel, approvals, DLQ, workers, parked inputs) call its use cases.
 */
export interface JobRuntimeAccess {
  readonly rt: StartedRuntime;
  readonly operations: OperationRepository;
}

/** Everything `buildApp` needs. */
export interface ApiDeps {
  /** The event store, appends counted in `metrics.eventsAppended`. */
  readonly events: EventStore;
  readonly readModels: ReadModelAccess;
  readonly rebuilds: ProjectionRebuilds;
  readonly config: ConfigService;
  readonly jobs: JobList;
  readonly liveEvents: LiveEventHub;
  /**
   * Null where no job runtime was handed in (the OpenAPI generator, benchmarks): the job endpoints
   * are still described, and answer 503.
   */
  readonly jobRuntime: JobRuntimeAccess | null;
  /**
   * The workflow engine's use cases (definitions, runs) act through it; null where none was handed in
   * (the OpenAPI generator, benchmarks): the workflow endpoints are still described, and answer 503.
   */
  readonly workflows: WorkflowRuntime | null;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: ApiMetrics;
  readonly runtime: RuntimeInfo;
}

export interface ApiPorts {
  readonly events: EventStore;
  readonly readModels: ReadModelStore;
  /** The projections this installation builds (status, rebuild, min_position). */
  readonly projections: readonly Projection[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly runtime: RuntimeInfo;
  /** The process's job runtime (the composition root always has one; see `ApiDeps.jobRuntime`). */
  readonly jobRuntime?: StartedRuntime;
  /** The process's workflow runtime, built on that job runtime (see `ApiDeps.workflows`). */
  readonly workflowRuntime?: WorkflowRuntime;
  /** Shared with the other roles of the process; a fresh one with default metrics if absent. */
  readonly metrics?: ApiMetrics;
  /** How long a rebuild keeps the old keys after the switch (default 2 s). */
  readonly rebuildDropOldAfterMs?: number;
  /** The commits of the projection runners in this process, if any (read-your-writes waits). */
  readonly commits?: CommitSignal;
}

/** The job runtime, or the 503 a process without one answers (never the case in `coretex start`). */
export function jobRuntimeOf(deps: ApiDeps): JobRuntimeAccess {
  if (deps.jobRuntime === null) {
    throw new UnavailableError('the job runtime does not run in this process', 'job_runtime_unavailable', 5_000);
  }
  return deps.jobRuntime;
}

/** The workflow runtime, or the 503 a process without one answers (never the case in `coretex start`). */
export function workflowRuntimeOf(deps: ApiDeps): WorkflowRuntime {
  if (deps.workflows === null) {
    throw new UnavailableError(
      'the workflow runtime does not run in this process',
      'workflow_runtime_unavailable',
      5_000,
    );
  }
  return deps.workflows;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createApiDeps(ports: ApiPorts): ApiDeps {
  const metrics = ports.metrics ?? createApiMetrics();
  const events = observeAppends(ports.events, (type) => metrics.eventsAppended.inc({ stream: type }));
  const readModels = new ReadModelAccess(
    { store: ports.readModels, events, clock: ports.clock },
    ports.projections,
    ports.commits === undefined ? {} : { commits: ports.commits },
  );
  metrics.setLagSource(() => readModels.progress());
  return {
    events,
    readModels,
    rebuilds: new ProjectionRebuilds(
      { events, store: ports.readModels, readModels, clock: ports.clock, log: ports.log },
      ports.rebuildDropOldAfterMs === undefined ? {} : { dropOldAfterMs: ports.rebuildDropOldAfterMs },
    ),
    config: new ConfigService({ events, readModels, clock: ports.clock, sha256: sha256Hex }),
    jobs: new JobList(readModels),
    liveEvents: new LiveEventHub({ events, log: ports.log }),
    jobRuntime:
      ports.jobRuntime === undefined
        ? null
        : { rt: ports.jobRuntime, operations: operationRepository(ports.jobRuntime) },
    workflows: ports.workflowRuntime ?? null,
    clock: ports.clock,
    log: ports.log,
    metrics,
    runtime: ports.runtime,
  };
}
