/**
 * Workflow runs (SPEC 2.2, 3): `POST /api/v1/workflows/{id}/runs` (201; with an `Idempotency-Key`,
 * a replay is 200 and another body 409), one run and its events from the event store, the list from
 * the `runs` read model, and the commands on a run — cancel, answer an approval step, rerun. Every
 * command answers with the run's position; the effects (step jobs created or stopped) are the
 * workflow process manager's, driven by the event appended here.
 */
import type { RunAnswer } from '../../app/workflows/run-answer.ts';
import { cancelRun, decideStepApproval, getRun } from '../../app/workflows/run-commands.ts';
import { rerunRun, startRun } from '../../app/workflows/start-run.ts';
import { NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { streamId } from '../../domain/shared/stream.ts';
import { runsProjection } from '../../projections/runs/projection.ts';
import { listRuns, type RunSummary as Summary } from '../../projections/runs/queries.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actingTenant, actorOf } from '../auth/principal.ts';
import type { ApiConfig } from '../config.ts';
import { type ApiDeps, workflowRuntimeOf } from '../deps.ts';
import { listScope } from '../list-scope.ts';
import { historyPage } from '../history-page.ts';
import { operation } from '../operation.ts';
import { withPosition } from '../positions.ts';
import { page, PositionHeader } from '../schemas/common.ts';
import { JobEventsQuery } from '../schemas/job-view.ts';
import { TenantOnlyQuery } from '../schemas/job-commands.ts';
import {
  CancelRunBody,
  IdempotencyHeaders,
  RerunAnswer,
  RerunBody,
  RunCommandAnswer,
  RunEventSchema,
  RunListQuery,
  RunParams,
  RunStepParams,
  RunSummary,
  RunView,
  StartRunAnswer,
  StartRunBody,
  StepApprovalAnswer,
  StepApprovalBody,
} from '../schemas/runs.ts';
import { WorkflowParams } from '../schemas/workflows.ts';
import { parseTraceparent } from '../trace.ts';
import { iso, isoOrNull } from '../views/job.ts';
import { runView } from '../views/run.ts';

const TAGS = ['workflow-runs'];

/** The header and the body's key must agree (as for job submissions); either may be absent. */
function idempotencyKeyOf(header: string | undefined, body: string | undefined): string | null {
  if (header !== undefined && body !== undefined && header !== body) {
    throw new ValidationError(
      'Idempotency-Key',
      'the Idempotency-Key header and the body’s idempotency_key differ; send one, or the same in both',
      'idempotency_key_mismatch',
    );
  }
  return header ?? body ?? null;
}

function started(found: RunAnswer) {
  return {
    run_id: found.run_id,
    workflow_id: found.state.keys.workflow_id,
    workflow_version: found.state.keys.workflow_version,
    status: found.state.status,
    trace_id: found.state.trace_id,
    position: found.position_token,
  };
}

function commandAnswer(found: RunAnswer) {
  return { run_id: found.run_id, status: found.state.status, changed: found.changed, position: found.position_token };
}

function summaryView(summary: Summary) {
  return {
    ...summary,
    created_at: iso(summary.created_at),
    updated_at: iso(summary.updated_at),
    ended_at: isoOrNull(summary.ended_at),
  };
}

export function registerWorkflowRunRoutes(app: App, deps: ApiDeps, config: ApiConfig): void {
  app.post(
    '/api/v1/workflows/:id/runs',
    operation({
      operationId: 'startWorkflowRun',
      summary: 'Start a run of a workflow’s latest version',
      description:
        'The run is pinned to the version it starts with. Its input is checked against the workflow’s `input_schema` (400 naming the field, e.g. `input.user.email`). With an idempotency key (`Idempotency-Key` header or `idempotency_key`), the same key and body answer the original run with 200; the same key with another body is 409. A W3C `traceparent` header gives the run’s trace id.',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: WorkflowParams,
      querystring: TenantOnlyQuery,
      headers: IdempotencyHeaders,
      body: StartRunBody,
      response: {
        200: { ...StartRunAnswer, description: 'A replay: the run this key and body started', headers: PositionHeader },
        201: { ...StartRunAnswer, description: 'The run was started', headers: PositionHeader },
      },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const run = await startRun(wrt, {
        tenant,
        workflow_id: request.params.id,
        input: request.body.input ?? {},
        team_id: request.body.team_id ?? null,
        idempotency_key: idempotencyKeyOf(request.headers['idempotency-key'], request.body.idempotency_key),
        trace_id: parseTraceparent(request.headers.traceparent)?.traceId ?? null,
        started_by: actorOf(principal),
      });
      withPosition(reply, run.position_token);
      return reply.code(run.replayed ? 200 : 201).send(started(run));
    },
  );

  app.get(
    '/api/v1/workflow-runs',
    operation({
      operationId: 'listWorkflowRuns',
      summary: 'List workflow runs, newest first',
      description:
        'From the `runs` read model: filter by `status`, and/or one of `workflow_id`, `team_id`, and a time range on creation; any other combination is 400 naming the supported ones. `next_cursor` is null on the last page. Pass a command’s `position` as `min_position` to read it.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404, 503],
      querystring: RunListQuery,
      response: { 200: page(RunSummary, 'A page of runs') },
    }),
    async (request) => {
      // 503 where the workflow engine (and so its read model) is not part of this process.
      workflowRuntimeOf(deps);
      const query = request.query;
      const { tenant, range, ns } = await listScope(deps, config, request, query, runsProjection.name);
      if (ns === null) return { items: [], next_cursor: null };
      const found = await listRuns(deps.readModels.reader, ns, {
        tenant,
        filter: {
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.workflow_id === undefined ? {} : { workflow_id: query.workflow_id }),
          ...(query.team_id === undefined ? {} : { team_id: query.team_id }),
        },
        limit: query.limit ?? 50,
        ...range,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
      return { items: found.items.map(summaryView), next_cursor: found.next_cursor };
    },
  );

  app.get(
    '/api/v1/workflow-runs/:run_id',
    operation({
      operationId: 'getWorkflowRun',
      summary: 'One run, as the event store knows it',
      description:
        'Authoritative: folded from the run’s events, never from a read model. Each step with its status, wait (an approval’s request), latest job ids, output and error.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404],
      params: RunParams,
      querystring: TenantOnlyQuery,
      response: { 200: RunView },
    }),
    async (request) => {
      const wrt = workflowRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      const found = await getRun(wrt, tenant, request.params.run_id);
      return runView(found.state, tenant, found.position);
    },
  );

  app.get(
    '/api/v1/workflow-runs/:run_id/events',
    operation({
      operationId: 'listWorkflowRunEvents',
      summary: 'Every event of one run, oldest first',
      description:
        'The run’s whole history from the event store — who started, approved or cancelled it and why is in `actor` and `data`. Pages with `cursor` (`next_cursor` is null on the last page).',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404],
      params: RunParams,
      querystring: JobEventsQuery,
      response: { 200: page(RunEventSchema, 'Events, oldest first') },
    }),
    async (request) => {
      const wrt = workflowRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      return historyPage(
        wrt.rt.events,
        streamId('run', tenant, request.params.run_id),
        request.query,
        () => new NotFoundError(`run ${request.params.run_id} not found`, 'run_not_found'),
      );
    },
  );

  app.post(
    '/api/v1/workflow-runs/:run_id/cancel',
    operation({
      operationId: 'cancelWorkflowRun',
      summary: 'Cancel a run',
      description:
        'The run, its pending steps and its running step jobs are cancelled (their workers told to stop); step jobs decided but not yet created are pre-empted. A run that has ended answers 200 with its state, unchanged (`changed: false`).',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: RunParams,
      querystring: TenantOnlyQuery,
      body: CancelRunBody,
      response: { 200: { ...RunCommandAnswer, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const found = await cancelRun(
        wrt,
        tenant,
        request.params.run_id,
        actorOf(principal),
        request.body?.reason ?? null,
      );
      withPosition(reply, found.position_token);
      return commandAnswer(found);
    },
  );

  app.post(
    '/api/v1/workflow-runs/:run_id/steps/:step_id/approve',
    operation({
      operationId: 'approveWorkflowRunStep',
      summary: 'Answer an approval step: approve it, or reject it',
      description:
        '`{approved: true}` settles the step SUCCEEDED and the run goes on; `{approved: false}` fails the step. Who answered and why is in the run’s events. A step not waiting for approval is 409 (`step_not_waiting`), as is an expired request (`approval_expired`).',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: RunStepParams,
      querystring: TenantOnlyQuery,
      body: StepApprovalBody,
      response: { 200: { ...StepApprovalAnswer, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const { run_id: runId, step_id: stepId } = request.params;
      const found = await decideStepApproval(wrt, tenant, runId, stepId, {
        approved: request.body.approved,
        by: actorOf(principal),
        reason: request.body.reason ?? null,
      });
      withPosition(reply, found.position_token);
      const step = Object.hasOwn(found.state.steps, stepId) ? found.state.steps[stepId] : undefined;
      return { ...commandAnswer(found), step_id: stepId, step_status: step?.status ?? 'PENDING' };
    },
  );

  app.post(
    '/api/v1/workflow-runs/:run_id/rerun',
    operation({
      operationId: 'rerunWorkflowRun',
      summary: 'Run an ended run again, as a new run',
      description:
        'The new run has the ended run’s version, input and timeouts, and records `rerun_of`. With `from_step`, the steps it depends on keep their outputs and the rest runs again. A run not yet ended is 409 (`run_not_finished`). With an `Idempotency-Key`, a repeated request answers the same new run (200).',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: RunParams,
      querystring: TenantOnlyQuery,
      headers: IdempotencyHeaders,
      body: RerunBody,
      response: {
        200: { ...RerunAnswer, description: 'A replay: the run this key started', headers: PositionHeader },
        201: { ...RerunAnswer, description: 'The new run', headers: PositionHeader },
      },
    }),
    async (request, reply) => {
      const wrt = workflowRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const run = await rerunRun(wrt, {
        tenant,
        run_id: request.params.run_id,
        from_step: request.body?.from_step ?? null,
        idempotency_key: request.headers['idempotency-key'] ?? null,
        trace_id: parseTraceparent(request.headers.traceparent)?.traceId ?? null,
        started_by: actorOf(principal),
      });
      withPosition(reply, run.position_token);
      return reply.code(run.replayed ? 200 : 201).send({ ...started(run), rerun_of: request.params.run_id });
    },
  );
}
