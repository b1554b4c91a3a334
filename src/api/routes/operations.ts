/**
 * Operating Coretex (SPEC 5, 6): liveness (`/health`: the process answers), readiness (`/ready`: the
 * event store and the read models answer), Prometheus metrics, `/api/v1/status` (backend, uptime,
 * version, per-projection position, stream head, lag and rebuild progress, the safety breaker and the
 * live worker count), and the OpenAPI document.
 */
import type { RebuildStatus } from '../../app/projections/rebuilds.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { ApiDeps } from '../deps.ts';
import { operation } from '../operation.ts';
import { DEFAULT_ROUTING } from '../../domain/dispatch/routing.ts';
import { routingFor } from './workers.ts';
import { Health, MetricsText, OpenApiDocument, Readiness, Status } from '../schemas/operations.ts';

const TAGS = ['operations'];
const CHECK_TIMEOUT_MS = 2_000;

export function registerOperationRoutes(app: App, deps: ApiDeps): void {
  const checks = async (): Promise<Record<string, string>> => {
    const probe = async (run: () => Promise<unknown>): Promise<string> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          run(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
          }),
        ]);
        return 'ok';
      } catch (error) {
        return error instanceof Error ? error.message : 'failed';
      } finally {
        clearTimeout(timer);
      }
    };
    const [events, readModels] = await Promise.all([
      probe(() => deps.events.headPosition('config')),
      probe(() => deps.readModels.reader.activeVersion('config')),
    ]);
    return { event_store: events, read_models: readModels };
  };

  app.get(
    '/health',
    operation({
      operationId: 'health',
      summary: 'Liveness: the process is up and answering',
      tags: TAGS,
      access: { role: 'public' },
      unlimited: true,
      response: { 200: Health },
    }),
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    operation({
      operationId: 'ready',
      summary: 'Readiness: the event store and the read models answer',
      tags: TAGS,
      access: { role: 'public' },
      unlimited: true,
      response: { 200: Readiness, 503: Readiness },
    }),
    async (_request, reply) => {
      const found = await checks();
      const ready = Object.values(found).every((value) => value === 'ok');
      if (!ready) void reply.code(503).header('retry-after', '1');
      return { status: ready ? ('ready' as const) : ('not_ready' as const), checks: found };
    },
  );

  app.get(
    '/metrics',
    operation({
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description: 'Prometheus metrics of this process. They span every tenant, so they need a key bound to `*`.',
      tags: TAGS,
      access: { role: 'viewer', global: true },
      response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: MetricsText } } } },
    }),
    async (_request, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(text);
    },
  );

  app.get(
    '/api/v1/status',
    operation({
      operationId: 'getStatus',
      summary: 'Backend, uptime, version, and every projection’s position, stream head, lag and rebuild',
      tags: TAGS,
      access: { role: 'viewer' },
      response: { 200: Status },
    }),
    async (request) => {
      const jobs = deps.jobRuntime;
      const [found, progress, routing] = await Promise.all([
        checks(),
        deps.readModels.progress(),
        // The status answers even when the config cannot be read: the default TTL then counts the workers.
        jobs === null ? null : routingFor(deps, jobs, principalOf(request), undefined).catch(() => DEFAULT_ROUTING),
      ]);
      const now = deps.clock.now();
      return {
        version: deps.runtime.version,
        mode: deps.runtime.mode,
        backend: deps.runtime.description,
        started_at: new Date(deps.runtime.startedAt).toISOString(),
        uptime_seconds: Math.max(0, (now - deps.runtime.startedAt) / 1000),
        checks: found,
        projections: progress.map((projection) => ({
          ...projection,
          streams: [...projection.streams],
          rebuild: rebuildInfo(deps.rebuilds.status(projection.projection)),
        })),
        event_streams_open: deps.liveEvents.feeds,
        safety: jobs === null ? null : { breaker: jobs.rt.safety.status() },
        workers:
          jobs === null || routing === null ? null : { live: jobs.rt.registry.live(now, routing.worker_ttl_ms).length },
      };
    },
  );

  app.get(
    '/api/v1/openapi.json',
    operation({
      operationId: 'getOpenApi',
      summary: 'This OpenAPI 3.1 document',
      tags: TAGS,
      access: { role: 'public' },
      response: { 200: OpenApiDocument },
    }),
    async () => app.swagger() as unknown as Record<string, unknown>,
  );
}

function rebuildInfo(status: RebuildStatus | null) {
  if (status === null) return null;
  const progress = status.progress;
  return {
    state: status.state,
    started_at: new Date(status.started_at).toISOString(),
    finished_at: status.finished_at === null ? null : new Date(status.finished_at).toISOString(),
    stream: progress?.stream ?? null,
    position: progress?.position ?? null,
    head: progress?.head ?? null,
    events: status.result?.events ?? progress?.events ?? 0,
    events_per_second: progress?.eventsPerSecond ?? null,
    eta_seconds: progress?.etaSeconds ?? null,
    version: status.result?.version ?? null,
    error: status.error,
  };
}
