/**
 * `GET /api/v1/workers` (SPEC 1.5): the live workers of the shared registry view with their load, as
 * least-loaded dispatch sees them. Workers are shared infrastructure, so every viewer sees them all;
 * which are cordoned, and when one expires, come from the routing config of the caller's tenant (or
 * of `?tenant=`), for a key bound to `*` from the system document.
 */
import type { JobRuntimeAccess } from '../deps.ts';
import { readSettings } from '../../domain/config/read-settings.ts';
import { DEFAULT_ROUTING, type RoutingSettings } from '../../domain/dispatch/routing.ts';
import { type WorkerStatus, workerStatuses } from '../../domain/dispatch/worker-status.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { ALL_TENANTS } from '../auth/api-keys.ts';
import { actingTenant, type Principal } from '../auth/principal.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { operation } from '../operation.ts';
import { WorkerList, WorkerListQuery } from '../schemas/workers.ts';
import { iso } from '../views/job.ts';

/** The routing settings that judge the workers for this caller. */
export async function routingFor(
  deps: ApiDeps,
  jobs: JobRuntimeAccess,
  principal: Principal,
  named: string | undefined,
): Promise<RoutingSettings> {
  if (named !== undefined || principal.tenant !== ALL_TENANTS) {
    const tenant = actingTenant(principal, named);
    const resolved = await jobs.rt.config.resolve({ org_id: tenant, team_id: null, workflow_id: null, step_id: null });
    return resolved.settings.routing;
  }
  const { document } = await deps.config.get(deps.config.parseRef('system', 'default'));
  const settings = readSettings(document?.data ?? {});
  return settings instanceof Error ? DEFAULT_ROUTING : settings.routing;
}

function workerView(status: WorkerStatus) {
  const beat = status.heartbeat;
  return {
    worker_id: beat.worker_id,
    pool: beat.pool,
    topics: [...beat.topics],
    capabilities: [...beat.capabilities],
    labels: { ...beat.labels },
    region: beat.region,
    version: beat.version,
    active_jobs: status.active_jobs,
    max_parallel_jobs: beat.max_parallel_jobs,
    cpu_load: beat.cpu_load,
    gpu_utilization: beat.gpu_utilization,
    load_score: status.load_score,
    overloaded: status.overloaded,
    cordoned: status.cordoned,
    heartbeat_at: iso(status.heartbeat_at),
    expires_at: iso(status.expires_at),
  };
}

export function registerWorkerRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/api/v1/workers',
    operation({
      operationId: 'listWorkers',
      summary: 'Live workers and their load',
      description:
        'Every worker whose last heartbeat is younger than the registry TTL, ordered by id, with the load least-loaded dispatch compares. Workers are shared by every tenant.',
      tags: ['workers'],
      access: { role: 'viewer' },
      errors: [404],
      querystring: WorkerListQuery,
      response: { 200: WorkerList },
    }),
    async (request) => {
      const jobs = jobRuntimeOf(deps);
      const routing = await routingFor(deps, jobs, principalOf(request), request.query.tenant);
      const pool = request.query.pool;
      const items = workerStatuses(jobs.rt.registry.registry, deps.clock.now(), routing)
        .filter((status) => pool === undefined || status.heartbeat.pool === pool)
        .map(workerView);
      return { items };
    },
  );
}
