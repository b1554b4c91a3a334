/**
 * The `api` role in this process (part of the composition root): the REST API listening on HOST:PORT,
 * over the read models the projector role builds. Stopping it stops taking requests, lets in-flight
 * ones finish and ends the event streams.
 */
import { pino } from 'pino';
import pkg from '../package.json' with { type: 'json' };
import { buildApp } from './api/app.ts';
import { isLoopback } from './api/config.ts';
import { createApiDeps } from './api/deps.ts';
import type { ApiMetrics } from './api/metrics.ts';
import { systemClock } from './app/ports.ts';
import type { Infrastructure } from './infrastructure.ts';
import { installationProjections, type RuntimeRoles } from './runtime-roles.ts';
import type { Settings } from './settings.ts';

export interface RunningApi {
  /** `http://host:port`. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startApiRole(
  infra: Infrastructure,
  settings: Settings,
  runtime: RuntimeRoles,
  metrics: ApiMetrics,
  say: (line: string) => void,
): Promise<RunningApi> {
  const log = pino({ level: process.env.CORETEX_LOG_LEVEL ?? 'info', base: { service: 'coretex' } });
  const deps = createApiDeps({
    events: infra.events,
    readModels: infra.readModels,
    projections: installationProjections(settings),
    metrics,
    clock: systemClock,
    log,
    runtime: {
      mode: settings.mode,
      description: infra.description,
      version: pkg.version,
      startedAt: systemClock.now(),
    },
    jobRuntime: runtime.runtime,
    workflowRuntime: runtime.workflows,
    commits: runtime.commits,
  });
  const app = await buildApp(deps, settings.api);
  const address = await app.listen({ host: settings.api.host, port: settings.api.port });
  if (settings.api.keys.length === 0) {
    say(
      `coretex: WARNING: no API keys configured (CORETEX_API_KEYS): the API is open on ${settings.api.host} (loopback only), every caller acts as admin of tenant "${settings.api.openTenant}"`,
    );
  } else if (isLoopback(settings.api.host)) {
    say(`coretex: API keys: ${settings.api.keys.length}`);
  }
  say(`coretex: API listening on ${address} (docs at ${address}/docs)`);
  return {
    url: address,
    async stop() {
      await app.close();
      await deps.rebuilds.settled();
    },
  };
}
