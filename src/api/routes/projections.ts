/**
 * `POST /api/v1/projections/{name}/rebuild` (SPEC 5): an admin operation on the whole installation.
 * The rebuild runs in the background into a fresh keyspace while reads go on from the active version;
 * its progress (events/s, ETA) shows in `/api/v1/status` under the projection.
 */
import type { App } from '../types.ts';
import type { ApiDeps } from '../deps.ts';
import { operation } from '../operation.ts';
import { EmptyBody } from '../schemas/common.ts';
import { ProjectionParams, RebuildStarted } from '../schemas/operations.ts';

export function registerProjectionRoutes(app: App, deps: ApiDeps): void {
  app.post(
    '/api/v1/projections/:name/rebuild',
    operation({
      operationId: 'rebuildProjection',
      summary: 'Rebuild a read model from the event streams, in the background',
      description:
        'Builds the projection into a fresh keyspace from position 1 of its streams and switches reads over atomically once caught up. Answers at once; progress is in /api/v1/status. A rebuild already running is 409. The projections are `jobs`, `jobs_due`, `job_queues` and `config`.',
      tags: ['operations'],
      access: { role: 'admin', global: true },
      errors: [404, 409],
      params: ProjectionParams,
      body: EmptyBody,
      response: { 202: RebuildStarted },
    }),
    async (request, reply) => {
      const started = deps.rebuilds.start(request.params.name);
      return reply.code(202).send({ projection: started.projection, started: true, status_url: '/api/v1/status' });
    },
  );
}
