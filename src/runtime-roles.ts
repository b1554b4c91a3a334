/**
 * The runtime roles (SPEC 9, ARCHITECTURE.md section 5), part of the composition root:
 *   projector  — the projection runners (each under its lease) and the archiver (under its own);
 *   scheduler  — the partitions' schedulers (leases, fair share), bus submissions, bulk operations;
 *   reconciler — due times, timeouts, snapshots, approval re-evaluation, slot recounts;
 * plus, on the embedded default, the example worker in this process, so a job submitted to a fresh
 * `npm start` runs. The `api` role is started by `api-role.ts`; `workflows` by the workflow runtime.
 */
import { hostname } from 'node:os';
import { EmbeddedWorkerTransport } from './adapters/embedded/worker-transport.ts';
import { nodeEntropy, nodeHasher } from './adapters/node/entropy.ts';
import { processClock } from './adapters/process/clock.ts';
import { crashPointsFromEnv } from './adapters/process/crash-points.ts';
import { HttpRemoteKernel } from './adapters/safety/remote-kernel.ts';
import { BusSubmissions } from './app/jobs/bus-submissions.ts';
import { createJobRuntime, type StartedRuntime } from './app/jobs/create-runtime.ts';
import { Archiver } from './app/jobs/archiver.ts';
import { JobArchive } from './app/jobs/job-archive.ts';
import { OperationsRunner, operationRepository } from './app/jobs/operations.ts';
import { Reconciler } from './app/jobs/reconciler.ts';
import { SchedulerRole } from './app/jobs/scheduler-role.ts';
import type { ConfigSource, Logger, RuntimeMetrics } from './app/ports.ts';
import { noMetrics, systemClock } from './app/ports.ts';
import { CommitSignal } from './app/projections/commit-signal.ts';
import { ProjectionRunner } from './app/projections/runner.ts';
import type { Projection } from './projections/projection.ts';
import { configProjection } from './projections/config/projection.ts';
import { dlqProjection } from './projections/dlq/projection.ts';
import { jobQueuesProjection } from './projections/job-queues/projection.ts';
import { jobsProjection } from './projections/jobs/projection.ts';
import { jobsDueProjection } from './projections/jobs-due/projection.ts';
import type { Infrastructure } from './infrastructure.ts';
import type { Role } from './roles.ts';
import type { Settings } from './settings.ts';
import { startExampleWorker } from './worker/example.ts';
import {
  createWorkflowRuntime,
  type StartedWorkflowRuntime,
  WORKFLOW_PROJECTIONS,
} from './app/workflows/create-workflow-runtime.ts';

export interface RuntimeRoles {
  readonly runtime: StartedRuntime;
  readonly workflows: StartedWorkflowRuntime;
  readonly scheduler: SchedulerRole | null;
  readonly reconciler: Reconciler | null;
  readonly runners: readonly ProjectionRunner[];
  /** The archiver, in a process with the projector role and a hot window. */
  readonly archiver: Archiver | null;
  /** The runners' commits, for the read-your-writes waits of an API in this process. */
  readonly commits: CommitSignal;
  stop(): Promise<void>;
}

/** Every read model of this installation, built by the projector role; the API reads and rebuilds them. */
export function installationProjections(settings: Pick<Settings, 'partitions'>): Projection[] {
  return [
    jobsProjection,
    jobsDueProjection,
    jobQueuesProjection(settings.partitions),
    dlqProjection,
    configProjection,
    ...WORKFLOW_PROJECTIONS,
  ];
}

export function processOwner(): string {
  return `${hostname()}-${process.pid}-${nodeEntropy.token().slice(0, 6)}`;
}

export async function startRuntimeRoles(
  infra: Infrastructure,
  settings: Settings,
  roles: readonly Role[],
  configSource: ConfigSource,
  log: Logger,
  metrics: RuntimeMetrics = noMetrics,
): Promise<RuntimeRoles> {
  const owner = processOwner();
  const crash = crashPointsFromEnv();
  const clock = processClock();
  const leaseTtlMs = settings.leaseTtlMs;
  const runtime = await createJobRuntime({
    events: infra.events,
    bus: infra.bus,
    kv: infra.kv,
    readModels: infra.readModels,
    configSource,
    remoteKernel: new HttpRemoteKernel(),
    clock,
    entropy: nodeEntropy,
    hasher: nodeHasher,
    crash,
    log,
    prefix: settings.prefix,
    partitions: settings.partitions,
    idempotencyTtlMs: settings.idempotencyTtlMs,
    metrics,
    archive: new JobArchive(infra.blobs, { shards: settings.archiveShards }),
  });
  const workflows = await createWorkflowRuntime(runtime, {
    kv: infra.kv,
    leases: infra.leases,
    cursors: infra.cursors,
  });
  const stops: (() => Promise<void>)[] = [];
  const runners: ProjectionRunner[] = [];
  let archiver: Archiver | null = null;
  const commits = new CommitSignal();
  if (roles.includes('projector')) {
    const deps = {
      events: infra.events,
      store: infra.readModels,
      leases: infra.leases,
      clock: systemClock,
      crash,
      log,
    };
    for (const projection of installationProjections(settings)) {
      const runner = new ProjectionRunner(deps, projection, {
        owner,
        leaseTtlMs,
        onCommit: (stream, checkpoint) => commits.committed(projection.name, stream, checkpoint),
      });
      runner.start();
      runners.push(runner);
    }
    // Without a hot window nothing leaves the stream, so nothing needs archiving.
    archiver =
      settings.archiveAfterMs === null || runtime.archive === null
        ? null
        : new Archiver(runtime, runtime.archive, infra.leases, infra.cursors, {
            owner,
            archiveAfterMs: settings.archiveAfterMs,
            flushEveryMs: settings.archiveFlushMs,
            retentionMs: settings.archiveRetentionMs,
            // Compaction keeps a day's objects bounded; with a short window the day's parts pile up sooner.
            maintainEveryMs: Math.min(300_000, Math.max(1_000, Math.floor(settings.hotWindowMs / 4))),
          });
    const started = archiver;
    started?.start();
    stops.push(async () => {
      await started?.stop();
      for (const runner of runners) await runner.stop();
    });
  }
  let scheduler: SchedulerRole | null = null;
  if (roles.includes('scheduler')) {
    scheduler = new SchedulerRole(
      runtime,
      infra.leases,
      infra.cursors,
      await infra.kv.bucket('members', { maxAgeMs: 30_000 }),
      { owner, leaseTtlMs },
    );
    scheduler.start();
    const busDeps = { leases: infra.leases, cursors: infra.cursors, claims: runtime.claims, hasher: runtime.hasher };
    const submissions = new BusSubmissions(runtime, { ...busDeps, prefix: settings.prefix }, owner, leaseTtlMs);
    submissions.start();
    const operations = new OperationsRunner(runtime, operationRepository(runtime), busDeps, owner, leaseTtlMs);
    operations.start();
    const running = scheduler;
    stops.push(async () => {
      await operations.stop();
      await submissions.stop();
      await running.stop();
    });
  }
  if (roles.includes('workflows')) {
    const role = workflows.workflowsRole({ owner, leaseTtlMs });
    role.start();
    stops.push(() => role.stop());
  }
  let reconciler: Reconciler | null = null;
  if (roles.includes('reconciler')) {
    reconciler = new Reconciler(runtime, infra.leases, {
      owner,
      leaseTtlMs,
      snapshotAfterMs: settings.hotWindowMs / 2,
      // A short hot window (tests, small installations) needs its snapshots in time: a job's history
      // is snapshotted between H/2 and H/2 + this interval, long before H.
      ...(settings.hotWindowMs > 0 ? { maintenanceEveryMs: Math.min(10_000, settings.hotWindowMs / 8) } : {}),
    });
    reconciler.start();
    const runReconciler = workflows.runReconciler({ owner, leaseTtlMs });
    runReconciler.start();
    const running = reconciler;
    stops.push(async () => {
      await runReconciler.stop();
      await running.stop();
    });
  }
  if (settings.mode === 'embedded' && settings.exampleWorker) {
    // A newcomer's first job needs a worker: the example echo worker runs in this process.
    const worker = await startExampleWorker({
      transport: new EmbeddedWorkerTransport({ bus: infra.bus, kv: infra.kv }),
      prefix: settings.prefix,
      workerId: 'example-embedded',
      maxParallel: 16,
      onError: (error, context) => log.warn({ err: error, context }, 'example worker error'),
    });
    stops.unshift(() => worker.drain({ graceMs: 5_000 }));
    log.info({ worker_id: worker.worker_id }, 'example worker started in this process (embedded default)');
  }
  return {
    runtime,
    workflows,
    scheduler,
    reconciler,
    runners,
    archiver,
    commits,
    async stop() {
      // Stop taking work first (the worker drains), then the roles, then the runtime.
      for (const stop of stops) await stop();
      await runtime.stop();
    },
  };
}
