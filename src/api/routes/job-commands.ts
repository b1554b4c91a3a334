/**
 * Job commands (SPEC 1.3, 1.9): `POST /api/v1/jobs` (submit, idempotent with a key), `POST
 * /api/v1/jobs/{id}/cancel`, and `POST /api/v1/jobs/cancel` (bulk, by list filter, as a recorded
 * operation). Each calls its use case; the answers carry the position of what was written.
 */
import { cancelJob } from '../../app/jobs/job-commands.ts';
import { requestOperation } from '../../app/jobs/operations.ts';
import { submitJob } from '../../app/jobs/submit.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actingTenant, actorOf } from '../auth/principal.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { operation } from '../operation.ts';
import { withPosition } from '../positions.ts';
import { OperationStarted, PositionHeader } from '../schemas/common.ts';
import {
  BulkCancelBody,
  CancelJobBody,
  JobCommandAnswer,
  JobParams,
  SubmitJobAnswer,
  SubmitJobBody,
  SubmitJobHeaders,
  TenantOnlyQuery,
} from '../schemas/job-commands.ts';
import { edgeSubmission, precheckSubmission } from '../submission.ts';
import { parseTraceparent } from '../trace.ts';

const TAGS = ['jobs'];

export function registerJobCommandRoutes(app: App, deps: ApiDeps): void {
  app.post(
    '/api/v1/jobs',
    operation({
      operationId: 'submitJob',
      summary: 'Submit a job',
      description:
        'Answers 202 with the new job. With an idempotency key (`Idempotency-Key` header or `idempotency_key`), the same key and body answer the original job with 200; the same key with another body is 409, as is a `job_id` already used in the tenant. A payload over 256 KiB is 413 naming `payload`. A W3C `traceparent` header becomes the job’s `trace_id` (unless the body names one) and its `env.traceparent`.',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      querystring: TenantOnlyQuery,
      headers: SubmitJobHeaders,
      body: SubmitJobBody,
      response: {
        200: {
          ...SubmitJobAnswer,
          description: 'A replay: the job this key and body created',
          headers: PositionHeader,
        },
        202: { ...SubmitJobAnswer, description: 'The job was submitted', headers: PositionHeader },
      },
    }),
    async (request, reply) => {
      const jobs = jobRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const submission = edgeSubmission({
        body: request.body,
        idempotencyHeader: request.headers['idempotency-key'],
        traceparent: parseTraceparent(request.headers.traceparent),
      });
      await precheckSubmission(jobs.rt, tenant, submission);
      const rt = jobs.rt;
      const submitted = await submitJob(
        {
          jobs: rt.jobs,
          claims: rt.claims,
          config: rt.config,
          clock: rt.clock,
          entropy: rt.entropy,
          hasher: rt.hasher,
        },
        {
          tenant,
          input: submission.input,
          idempotency_key: submission.idempotency_key,
          fingerprint: submission.fingerprint,
          actor: actorOf(principal),
        },
      );
      const position = formatPositionToken({ stream: 'job', position: submitted.position });
      withPosition(reply, position);
      return reply.code(submitted.replayed ? 200 : 202).send({
        job_id: submitted.job_id,
        trace_id: submitted.trace_id,
        state: submitted.state.status === 'NONE' ? 'PENDING' : submitted.state.status,
        position,
      });
    },
  );

  app.post(
    '/api/v1/jobs/cancel',
    operation({
      operationId: 'cancelJobs',
      summary: 'Cancel every job a list filter matches (a bulk operation)',
      description:
        'Recorded as an operation (its own event stream) that runs in the background, page by page; its progress is at `GET /api/v1/operations/{id}`. Finished jobs are left as they are.',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      querystring: TenantOnlyQuery,
      body: BulkCancelBody,
      response: { 202: { ...OperationStarted, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const { rt, operations } = jobRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const requested = await requestOperation(rt, operations, {
        tenant,
        kind: 'bulk_cancel',
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

  app.post(
    '/api/v1/jobs/:id/cancel',
    operation({
      operationId: 'cancelJob',
      summary: 'Cancel a job',
      description:
        'A job not yet finished becomes CANCELLED at once and its worker is told to stop; a finished job answers 200 with its state, unchanged.',
      tags: TAGS,
      access: { role: 'operator' },
      errors: [404, 409],
      params: JobParams,
      querystring: TenantOnlyQuery,
      body: CancelJobBody,
      response: { 200: { ...JobCommandAnswer, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const { rt } = jobRuntimeOf(deps);
      const principal = principalOf(request);
      const tenant = actingTenant(principal, request.query.tenant);
      const reason = request.body?.reason ?? null;
      const answer = await cancelJob(rt, tenant, request.params.id, actorOf(principal), reason);
      const position = formatPositionToken({ stream: 'job', position: answer.position });
      withPosition(reply, position);
      return {
        job_id: request.params.id,
        state: answer.state.status === 'NONE' ? ('CANCELLED' as const) : answer.state.status,
        position,
      };
    },
  );
}

/** Where a bulk operation's progress is read (a `*` key names the tenant there too). */
export function operationUrl(operationId: string, tenant: string | undefined): string {
  const url = `/api/v1/operations/${operationId}`;
  return tenant === undefined ? url : `${url}?tenant=${encodeURIComponent(tenant)}`;
}
