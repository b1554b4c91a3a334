/**
 * Approvals (SPEC 1.4): `GET /api/v1/approvals` lists the jobs waiting for a human from the `jobs`
 * read model (its APPROVAL_REQUIRED index, so paging costs one range read), each with the request hash
 * and policy version an answer is bound to; `POST /api/v1/approvals/{job_id}/approve|reject` answers
 * through the use case, which writes nothing unless the job still waits for exactly that request under
 * the same policy (else 409).
 */
import { answerApproval } from '../../app/jobs/job-commands.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import { jobsProjection } from '../../projections/jobs/projection.ts';
import { docKey, parseIndexMember } from '../../projections/jobs/keys.ts';
import { jobIndexFor } from '../../projections/jobs/queries.ts';
import { numberOf, readPage, textOf } from '../../projections/paging.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actingTenant, actorOf } from '../auth/principal.ts';
import type { ApiConfig } from '../config.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { listScope } from '../list-scope.ts';
import { operation } from '../operation.ts';
import { withPosition } from '../positions.ts';
import { ApprovalBody, ApprovalListQuery, ApprovalParams, WaitingApproval } from '../schemas/approvals.ts';
import { page, PositionHeader } from '../schemas/common.ts';
import { JobCommandAnswer, TenantOnlyQuery } from '../schemas/job-commands.ts';
import { iso, isoOrNull } from '../views/job.ts';

const TAGS = ['approvals'];

function waitingApproval(doc: Record<string, string>) {
  return {
    job_id: doc.job_id ?? '',
    tenant: doc.tenant ?? '',
    topic: doc.topic ?? '',
    priority: doc.priority ?? 'batch',
    team: textOf(doc, 'team'),
    trace_id: doc.trace_id ?? '',
    labels: doc.labels === undefined ? {} : (JSON.parse(doc.labels) as Record<string, string>),
    created_at: iso(numberOf(doc, 'created_at') ?? 0),
    request_hash: doc.request_hash ?? '',
    policy_version: doc.policy_version ?? '',
    expires_at: isoOrNull(numberOf(doc, 'approval_expires_at')),
    reason: textOf(doc, 'approval_reason'),
  };
}

export function registerApprovalRoutes(app: App, deps: ApiDeps, config: ApiConfig): void {
  app.get(
    '/api/v1/approvals',
    operation({
      operationId: 'listApprovals',
      summary: 'Jobs waiting for approval, newest first',
      description:
        'From the `jobs` read model (pass a command’s `position` as `min_position` to read it). Answer one with its `request_hash`; the job itself (`GET /api/v1/jobs/{id}`) shows the same fields from the event store.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404, 503],
      querystring: ApprovalListQuery,
      response: { 200: page(WaitingApproval, 'A page of jobs waiting for approval') },
    }),
    async (request) => {
      const query = request.query;
      const { tenant, ns } = await listScope(deps, config, request, query, jobsProjection.name);
      if (ns === null) return { items: [], next_cursor: null };
      const index = jobIndexFor({ tenant, filter: { state: 'APPROVAL_REQUIRED' }, sort: 'created' });
      return readPage(
        deps.readModels.reader,
        ns,
        index,
        { limit: query.limit ?? 50, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) },
        (member) => {
          const ref = parseIndexMember(tenant, member);
          return docKey(ref.tenant, ref.jobId);
        },
        waitingApproval,
      );
    },
  );

  for (const action of ['approve', 'reject'] as const) {
    app.post(
      `/api/v1/approvals/:job_id/${action}`,
      operation({
        operationId: action === 'approve' ? 'approveJob' : 'rejectJob',
        summary: action === 'approve' ? 'Approve a job waiting for approval' : 'Reject a job waiting for approval',
        description:
          (action === 'approve'
            ? 'The job is dispatched under the approved decision, with no second safety check. '
            : 'The job becomes DENIED and is dead-lettered (`approval_rejected`). ') +
          'A `request_hash` other than the one waiting, a safety policy changed since the request, an expired request, or a job not waiting for approval is 409, and nothing is written.',
        tags: TAGS,
        access: { role: 'operator' },
        errors: [404, 409],
        params: ApprovalParams,
        querystring: TenantOnlyQuery,
        body: ApprovalBody,
        response: { 200: { ...JobCommandAnswer, headers: PositionHeader } },
      }),
      async (request, reply) => {
        const { rt } = jobRuntimeOf(deps);
        const principal = principalOf(request);
        const tenant = actingTenant(principal, request.query.tenant);
        const answer = await answerApproval(rt, tenant, request.params.job_id, {
          approve: action === 'approve',
          by: actorOf(principal),
          reason: request.body.reason ?? null,
          request_hash: request.body.request_hash,
        });
        const position = formatPositionToken({ stream: 'job', position: answer.position });
        withPosition(reply, position);
        return {
          job_id: request.params.job_id,
          state: answer.state.status === 'NONE' ? ('DENIED' as const) : answer.state.status,
          position,
        };
      },
    );
  }
}
