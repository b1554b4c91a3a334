/**
 * Workflow definitions (SPEC 2.1, 2.2): `POST /api/v1/workflows` (201), `PUT /api/v1/workflows/{id}`
 * (a new version; `If-Match: "<version>"` → 412 on a mismatch), `DELETE` (204; its history and
 * versions are kept), `GET /api/v1/workflows/{id}[?version=]` from the event store, and the list from
 * the `workflows` read model. Writing a definition is the admin's; every key reads.
 */
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  updateWorkflow,
  type WorkflowAnswer as UseCaseAnswer,
} from '../../app/workflows/workflow-commands.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { listWorkflows, type WorkflowSummary as Summary } from '../../projections/workflows/queries.ts';
import { workflowsProjection } from '../../projections/workflows/projection.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actingTenant, actorOf } from '../auth/principal.ts';
import type { ApiConfig } from '../config.ts';
import { type ApiDeps, workflowRuntimeOf } from '../deps.ts';
import { listScope } from '../list-scope.ts';
import { operation } from '../operation.ts';
import { withPosition } from '../positions.ts';
import { EmptyBody, NoContent, page, PositionHeader } from '../schemas/common.ts';
import { TenantOnlyQuery } from '../schemas/job-commands.ts';
import {
  IfMatchHeaders,
  WorkflowAnswer,
  WorkflowBody,
  WorkflowListQuery,
  WorkflowParams,
  WorkflowQuery,
  WorkflowSummary,
  WorkflowVersionView,
} from '../schemas/workflows.ts';
import { iso } from '../views/job.ts';
import { definitionView } from '../views/run.ts';

const TAGS = ['workflows'];
const ETAG = { etag: { type: 'string', description: 'The version: `"<version>"` (send it as If-Match)' } };

/** `If-Match: "<version>"` (or a bare number) → that version; `*` or none → any. Else 400 naming it. */
export function expectedVersionOf(ifMatch: string | undefined): number | null {
  if (ifMatch === undefined || ifMatch.trim() === '*') return null;
  const match = /^"?([1-9][0-9]{0,15}|0)"?$/.exec(ifMatch.trim());
  if (match?.[1] === undefined) {
    throw new ValidationError(
      'If-Match',
      'If-Match must be "<version>" (a quoted number) or *',
      'invalid_precondition',
    );
  }
  return Number(match[1]);
}

function answer(found: UseCaseAnswer) {
  const version = found.state.status === 'NONE' ? 0 : found.state.version;
  return { workflow_id: found.workflow_id, version, changed: found.changed, position: found.position_token };
}

function summaryView(summary: Summary) {
  return { ...summary, created_at: iso(summary.created_at), updated_at: iso(summary.updated_at) };
}

export function registerWorkflowRoutes(app: App, deps: ApiDeps, config: ApiConfig): void {
  app.post(
    '/api/v1/workflows',
    operation({
      operationId: 'createWorkflow',
      summary: 'Create a workflow (its version 1)',
      description:
        'Saving validates the definition: unknown `depends_on`, cycles, bad expressions or schemas, unknown step types are 400 naming the step and the field. An `id` already used in the org is 409 (a new version is a `PUT`).',
      tags: TAGS,
      access: { role: 'admin' },
      errors: [404, 409],
      querystring: TenantOnlyQuery,
      body: WorkflowBody,
      response: { 201: { ...WorkflowAnswer, headers: { ...PositionHeader, ...ETAG } } },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const created = await createWorkflow(wrt, {
        tenant,
        workflow_id: request.body.id ?? null,
        definition: request.body,
        by: actorOf(principal),
      });
      const body = answer(created);
      withPosition(reply, body.position);
      return reply.code(201).header('etag', `"${body.version}"`).send(body);
    },
  );

  app.put(
    '/api/v1/workflows/:id',
    operation({
      operationId: 'updateWorkflow',
      summary: 'Save a new version of a workflow',
      description:
        'Appends a version; runs already started stay pinned to theirs. `If-Match: "<version>"` makes the save conditional (412 when the workflow is at another version). A deleted or unknown workflow is 404.',
      tags: TAGS,
      access: { role: 'admin' },
      errors: [404, 409, 412],
      params: WorkflowParams,
      querystring: TenantOnlyQuery,
      headers: IfMatchHeaders,
      body: WorkflowBody,
      response: { 200: { ...WorkflowAnswer, headers: { ...PositionHeader, ...ETAG } } },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const updated = await updateWorkflow(wrt, {
        tenant,
        workflow_id: request.params.id,
        definition: request.body,
        expected_version: expectedVersionOf(request.headers['if-match']),
        by: actorOf(principal),
      });
      const body = answer(updated);
      withPosition(reply, body.position);
      return reply.header('etag', `"${body.version}"`).send(body);
    },
  );

  app.delete(
    '/api/v1/workflows/:id',
    operation({
      operationId: 'deleteWorkflow',
      summary: 'Delete a workflow (its versions and history are kept)',
      description:
        'No new run can start; runs already started go on. `If-Match: "<version>"` makes it conditional (412). Deleting a deleted workflow changes nothing (204 again).',
      tags: TAGS,
      access: { role: 'admin' },
      errors: [404, 409, 412],
      params: WorkflowParams,
      querystring: TenantOnlyQuery,
      headers: IfMatchHeaders,
      body: EmptyBody,
      response: { 204: { ...NoContent, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const deleted = await deleteWorkflow(wrt, {
        tenant,
        workflow_id: request.params.id,
        expected_version: expectedVersionOf(request.headers['if-match']),
        by: actorOf(principal),
      });
      withPosition(reply, deleted.position_token);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/workflows/:id',
    operation({
      operationId: 'getWorkflow',
      summary: 'A workflow’s latest version, or a given one',
      description:
        'From the event store (authoritative). `?version=` reads any version, also of a deleted workflow (runs pinned to it show it); without it a deleted workflow is 404. The ETag (latest version only) is what `If-Match` takes.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404],
      params: WorkflowParams,
      querystring: WorkflowQuery,
      response: { 200: { ...WorkflowVersionView, headers: ETAG } },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      const found = await getWorkflow(wrt, tenant, request.params.id, request.query.version ?? null);
      if (request.query.version === undefined) void reply.header('etag', `"${found.version}"`);
      return {
        workflow_id: found.workflow_id,
        version: found.version,
        definition: definitionView(found.definition),
        deleted: found.deleted,
        defined_at: iso(found.defined_at),
        defined_by: found.defined_by,
        position: found.position_token,
      };
    },
  );

  app.get(
    '/api/v1/workflows',
    operation({
      operationId: 'listWorkflows',
      summary: 'List workflows, newest first',
      description:
        'From the `workflows` read model: live workflows (deleted ones too with `include_deleted=true`), by creation time; `next_cursor` is null on the last page. Pass a command’s `position` as `min_position` to read it.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404, 503],
      querystring: WorkflowListQuery,
      response: { 200: page(WorkflowSummary, 'A page of workflows') },
    }),
    async (request) => {
      // 503 where the workflow engine (and so its read model) is not part of this process.
      workflowRuntimeOf(deps);
      const query = request.query;
      const { tenant, range, ns } = await listScope(deps, config, request, query, workflowsProjection.name);
      if (ns === null) return { items: [], next_cursor: null };
      const found = await listWorkflows(deps.readModels.reader, ns, {
        tenant,
        include_deleted: query.include_deleted === true,
        limit: query.limit ?? 50,
        ...range,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
      return { items: found.items.map(summaryView), next_cursor: found.next_cursor };
    },
  );
}
