/**
 * The DLQ (SPEC 1.10): the list from the `dlq` read model (one index per filter, cursor pages); one
 * entry with its full original request from the event store; delete (marked, history kept); retry,
 * which creates a new job `<job_id>.r<n>` with the original request — 201 the first time, 200 with
 * the same job after; and bulk retry by filter as a recorded operation.
 */
import { deleteDlqEntry, retryDlqEntry } from '../../app/jobs/dlq-commands.ts';
import { requestOperation } from '../../app/jobs/operations.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import { dlqProjection } from '../../projections/dlq/projection.ts';
import { type DlqEntryView, listDlq } from '../../projections/dlq/queries.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actingTenant, actorOf } from '../auth/principal.ts';
import type { ApiConfig } from '../config.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { listScope } from '../list-scope.ts';
import { operation } from '../operation.ts';
import { withPosition } from '../positions.ts';
import { EmptyBody, NoContent, OperationStarted, page, PositionHeader } from '../schemas/common.ts';
import { BulkDlqRetryBody, DlqEntry, DlqListQuery, DlqParams, DlqRetryAnswer, DlqSummary } from '../schemas/dlq.ts';
import { TenantOnlyQuery } from '../schemas/job-commands.ts';
import { iso } from '../views/job.ts';
import { operationUrl } from './job-commands.ts';

const TAGS = ['dlq'];

function summary(entry: Omit<DlqEntryView, 'request'>) {
  return {
    job_id: entry.job_id,
    tenant: entry.tenant,
    topic: entry.topic,
    final_state: entry.final_state,
    reason_code: entry.reason_code,
    reason: entry.reason,
    attempts: entry.attempts,
    worker_id: entry.worker_id,
    created_at: iso(entry.created_at),
    retries: entry.retries,
    retried_as: entry.retried_as,
  };
}

export function registerDlqRoutes(app: App, deps: ApiDeps, config: ApiConfig): void {
  app.get(
    '/api/v1/dlq',
    operation({
      operationId: 'listDlq',
      summary: 'DLQ entries, newest first',
      description:
        'From the `dlq` read model: filter by `topic` or `reason_code` (one of them) and a time range; `next_cursor` is null on the last page. Pass a command’s `position` as `min_position` to read it.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404, 503],
      querystring: DlqListQuery,
      response: { 200: page(DlqSummary, 'A page of DLQ entries') },
    }),
    async (request) => {
      const query = request.query;
      const { tenant, range, ns } = await listScope(deps, config, request, query, dlqProjection.name);
      if (ns === null) return { items: [], next_cursor: null };
      const found = await listDlq(deps.readModels.reader, ns, {
        tenant,
        filter: {
          ...(query.topic === undefined ? {} : { topic: query.topic }),
          ...(query.reason_code === undefined ? {} : { reason_code: query.reason_code }),
        },
        limit: query.limit ?? 50,
        ...range,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
      return { items: found.items.map(summary), next_cursor: found.next_cursor };
    },
  );

  app.get(
    '/api/v1/dlq/:job_id',
    operation({
      operationId: 'getDlqEntry',
      summary: 'One DLQ entry with its full original request',
      description: 'From the event store (authoritative). A deleted entry is 404 (its history is kept).',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404],
      params: DlqParams,
      querystring: TenantOnlyQuery,
      response: { 200: DlqEntry },
    }),
    async (request) => {
      const { rt } = jobRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      const loaded = await rt.dlq.load(streamId('dlq', tenant, request.params.job_id), { fresh: true });
      const entry = loaded.state;
      if (entry.status !== 'ACTIVE') {
        throw new NotFoundError(
          `no DLQ entry ${request.params.job_id}`,
          entry.status === 'DELETED' ? 'dlq_entry_deleted' : 'dlq_entry_not_found',
        );
      }
      return {
        ...summary(entry),
        request: { ...entry.request },
        position: formatPositionToken({ stream: 'dlq', position: loaded.position }),
      };
    },
  );

  app.delete(
    '/api/v1/dlq/:job_id',
    operation({
      operationId: 'deleteDlqEntry',
      summary: 'Delete a DLQ entry (marked deleted; its history is kept)',
      description: 'Deleting a deleted entry changes nothing (204 again).',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: DlqParams,
      querystring: TenantOnlyQuery,
      body: EmptyBody,
      response: { 204: { ...NoContent, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const { rt } = jobRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const deleted = await deleteDlqEntry(rt, tenant, request.params.job_id, actorOf(principal));
      withPosition(reply, formatPositionToken({ stream: 'dlq', position: deleted.position }));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/dlq/:job_id/retry',
    operation({
      operationId: 'retryDlqEntry',
      summary: 'Retry a DLQ entry as a new job',
      description:
        'Creates the job `<job_id>.r1` with the full original request (minus its idempotency key), `retry_of` naming the entry: 201. Retrying an entry already retried answers the same job: 200.',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: DlqParams,
      querystring: TenantOnlyQuery,
      body: EmptyBody,
      response: {
        200: { ...DlqRetryAnswer, description: 'Retried before: the same job', headers: PositionHeader },
        201: { ...DlqRetryAnswer, description: 'The new job', headers: PositionHeader },
      },
    }),
    async (request, reply) => {
      const { rt } = jobRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const retried = await retryDlqEntry(
        rt,
        { claims: rt.claims, hasher: rt.hasher },
        tenant,
        request.params.job_id,
        actorOf(principal),
      );
      const position = formatPositionToken({ stream: 'job', position: retried.position });
      withPosition(reply, position);
      return reply
        .code(retried.created ? 201 : 200)
        .send({ job_id: retried.job_id, retry_of: request.params.job_id, position });
    },
  );

  app.post(
    '/api/v1/dlq/retry',
    operation({
      operationId: 'retryDlqEntries',
      summary: 'Retry every DLQ entry a filter matches (a bulk operation)',
      description:
        'Recorded as an operation that runs in the background, page by page; progress at `GET /api/v1/operations/{id}`. Entries retried before are not retried again.',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      querystring: TenantOnlyQuery,
      body: BulkDlqRetryBody,
      response: { 202: { ...OperationStarted, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const { rt, operations } = jobRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const requested = await requestOperation(rt, operations, {
        tenant,
        kind: 'bulk_dlq_retry',
        filter: { ...request.body.filter },
        reason: request.body.reason ?? null,
        by: actorOf(principal),
      });
      const position = formatPositionToken({ stream: 'op', position: requested.position });
      withPosition(reply, position);
      return reply.code(202).send({
        operation_id: requested.operation_id,
        position,
        status_url: operationUrl(requested.operation_id, request.query.tenant),
      });
    },
  );
}
