/**
 * `GET /api/v1/operations/{id}` (SPEC 1.9, 1.10): a bulk operation's status and progress, from its
 * own event stream (authoritative). The operations are started by `POST /api/v1/jobs/cancel` and
 * `POST /api/v1/dlq/retry`.
 */
import { NotFoundError } from '../../domain/shared/errors.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actingTenant } from '../auth/principal.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { operation } from '../operation.ts';
import { OperationParams, OperationQuery, OperationView } from '../schemas/bulk-operations.ts';
import { iso, isoOrNull } from '../views/job.ts';

export function registerBulkOperationRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/api/v1/operations/:id',
    operation({
      operationId: 'getOperation',
      summary: 'A bulk operation’s status and progress',
      tags: ['jobs'],
      access: { role: 'viewer' },
      errors: [404],
      params: OperationParams,
      querystring: OperationQuery,
      response: { 200: OperationView },
    }),
    async (request) => {
      const { operations } = jobRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      const loaded = await operations.load(streamId('op', tenant, request.params.id), { fresh: true });
      const state = loaded.state;
      if (state.status === 'NONE') {
        throw new NotFoundError(`operation ${request.params.id} not found`, 'operation_not_found');
      }
      return {
        operation_id: state.keys.operation_id,
        kind: state.keys.kind,
        status: state.status,
        filter: { ...state.filter },
        reason: state.reason,
        requested_by: state.requested_by,
        processed: state.processed,
        changed: state.changed,
        failed: state.failed,
        requested_at: iso(state.keys.created_at),
        finished_at: isoOrNull(state.finished_at),
        error: state.error,
        position: formatPositionToken({ stream: 'op', position: loaded.position }),
      };
    },
  );
}
