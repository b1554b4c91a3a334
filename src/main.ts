/**
 * The composition root: reads the settings, opens the adapters they name, and starts the roles asked
 * for — the runtime roles (`runtime-roles.ts`: projector, scheduler, reconciler, workflows) and the
 * REST API (`api-role.ts`). Only this file (and test set-ups) chooses concrete adapters.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { logConnectionChanges } from './adapters/jetstream/connection.ts';
import {
  createRuntimeMetrics,
  registerArchiverMetrics,
  registerProjectorThreadMetrics,
  registerRuntimeGauges,
} from './adapters/metrics/runtime-metrics.ts';
import { assertSafeBinding } from './api/config.ts';
import { createApiMetrics } from './api/metrics.ts';
import { ConfigError } from './app/config-error.ts';
import { observeAppends } from './app/observed-event-store.ts';
import { type RebuildProgress, type RebuildResult, rebuildProjection } from './app/projections/rebuild.ts';
import { type RunningApi, startApiRole } from './api-role.ts';
import { ReadModelConfigSource } from './app/config/read-model-config-source.ts';
import { systemClock } from './app/ports.ts';
import { ReadModels } from './app/projections/read-models.ts';
import { AGGREGATE_TYPES, type AggregateType } from './domain/shared/stream.ts';
import { openInfrastructure } from './infrastructure.ts';
import { createLogger } from './logging.ts';
import { installationProjections, type RuntimeRoles, startRuntimeRoles } from './runtime-roles.ts';
import type { Role } from './roles.ts';
import { loadSettings } from './settings.ts';
import { type ProjectorThread, projectorOnThread, startProjectorThread } from './projector-thread.ts';

export { ROLES, type Role } from './roles.ts';

export interface StartOptions {
  readonly roles: readonly Role[];
  readonly log: (line: string) => void;
  /** Hears every event this process appends (a projector thread tells its parent's metrics). */
  readonly onAppend?: (stream: AggregateType) => void;
}

export interface Running {
  readonly runtime: RuntimeRoles;
  readonly api: RunningApi | null;
  stop(): Promise<void>;
}

export async function start(options: StartOptions): Promise<Running> {
  const settings = loadSettings();
  // Refuse an open API on a public address before anything is opened.
  if (options.roles.includes('api')) assertSafeBinding(settings.api);
  const log = createLogger('coretex');
  const infra = await openInfrastructure(settings, log);
  if (infra.nats !== null) logConnectionChanges(infra.nats, log);
  options.log(`coretex: event store open: ${infra.description}`);
  for (const type of AGGREGATE_TYPES) {
    options.log(`coretex:   ${type} stream at position ${await infra.events.headPosition(type)}`);
  }
  // The projector beside other roles runs on a thread of its own (projector-thread.ts).
  const threaded = projectorOnThread(settings, options.roles);
  const localRoles = threaded ? options.roles.filter((role) => role !== 'projector') : options.roles;
  options.log(`coretex: roles ${options.roles.join(', ')}${threaded ? ' (the projector on its own thread)' : ''}`);
  const configSource = new ReadModelConfigSource(new ReadModels(infra.readModels, systemClock), 250, infra.events);
  // One registry per process: the API's metrics and the runtime's, served at /metrics.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const apiMetrics = createApiMetrics(registry);
  const observed = {
    ...infra,
    events: observeAppends(infra.events, (type) => {
      apiMetrics.eventsAppended.inc({ stream: type });
      options.onAppend?.(type);
    }),
  };
  let runtime: RuntimeRoles | null = null;
  let api: RunningApi | null = null;
  // The thread loads and connects on its own: started first, it is ready about when the roles are.
  const projectorStarting = threaded
    ? startProjectorThread({
        onCommit: (projection, stream, checkpoint) => runtime?.commits.committed(projection, stream, checkpoint),
        onDied: (error) => {
          // Crash-only: a process whose read models stopped would still answer its health checks.
          log.error({ err: error }, 'the projector thread died; exiting');
          process.exit(1);
        },
        onStopFailed: (error) => log.warn({ err: error }, 'the projector thread did not stop cleanly'),
        onAppended: (stream, count) => apiMetrics.eventsAppended.inc({ stream }, count),
      })
    : Promise.resolve(null);
  // A failed start is handled where it is awaited; until then it is no unhandled rejection.
  projectorStarting.catch(() => {});
  let projector: ProjectorThread | null;
  try {
    runtime = await startRuntimeRoles(
      observed,
      settings,
      localRoles,
      configSource,
      log,
      createRuntimeMetrics(registry),
    );
    registerRuntimeGauges(registry, runtime.runtime);
    // The API answers once the read models are being built, as when the projector runs in this thread.
    projector = await projectorStarting;
    const archiver = projector === null ? runtime.archiver : projector.archiver;
    if (archiver !== null) registerArchiverMetrics(registry, archiver, infra.events, systemClock);
    if (projector !== null) registerProjectorThreadMetrics(registry, projector);
    if (options.roles.includes('api')) api = await startApiRole(infra, settings, runtime, apiMetrics, options.log);
  } catch (error) {
    await projectorStarting.then((thread) => thread?.stop()).catch(() => {});
    await runtime?.stop();
    configSource.close();
    await infra.close();
    throw error;
  }
  const started = runtime;
  const startedProjector = projector;
  return {
    runtime: started,
    api,
    async stop() {
      // Graceful: stop taking requests and work, finish what is in flight, then close the stores.
      await api?.stop();
      await startedProjector?.stop();
      await started.stop();
      configSource.close();
      await infra.close();
    },
  };
}

export { installationProjections };

/**
 * `coretex projections rebuild` (SPEC 5): rebuilds read models in this process, through the same
 * adapters `start` uses; running Coretex processes keep serving the old version and follow the switch.
 */
export async function rebuild(
  names: readonly string[] | 'all',
  onProgress: (progress: RebuildProgress) => void,
): Promise<RebuildResult[]> {
  const settings = loadSettings();
  const infra = await openInfrastructure(settings);
  try {
    const all = installationProjections(settings);
    const chosen = names === 'all' ? all : names.map((name) => all.find((p) => p.name === name));
    const unknown = names === 'all' ? [] : names.filter((_, i) => chosen[i] === undefined);
    if (unknown.length > 0) {
      throw new ConfigError(
        'projection',
        `unknown projection(s) ${unknown.join(', ')}; choose from ${all.map((p) => p.name).join(', ')}`,
      );
    }
    const results: RebuildResult[] = [];
    for (const projection of chosen) {
      if (projection === undefined) continue;
      results.push(
        await rebuildProjection({ events: infra.events, store: infra.readModels }, projection, { onProgress }),
      );
    }
    return results;
  } finally {
    await infra.close();
  }
}
