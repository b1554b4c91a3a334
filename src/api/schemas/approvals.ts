/** Approvals (SPEC 1.4): the jobs waiting for a human, and the answer bound to what was shown. */
import { Type } from 'typebox';
import { CursorQuery, IsoTime, JobIdSchema, MinPositionQuery, TenantQuery } from './common.ts';

export const ApprovalListQuery = Type.Object(
  {
    tenant: Type.Optional(TenantQuery),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(CursorQuery),
    min_position: Type.Optional(MinPositionQuery),
  },
  { additionalProperties: false },
);

const nullableText = Type.Union([Type.String(), Type.Null()]);

export const WaitingApproval = Type.Object({
  job_id: Type.String(),
  tenant: Type.String(),
  topic: Type.String(),
  priority: Type.String(),
  team: nullableText,
  trace_id: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  created_at: IsoTime,
  request_hash: Type.String({ description: 'Send it back with the answer' }),
  policy_version: Type.String({ description: 'The safety policy version the request is bound to' }),
  expires_at: Type.Union([IsoTime, Type.Null()], { description: 'When the request expires (DENIED)' }),
  reason: nullableText,
});

export const ApprovalParams = Type.Object({ job_id: JobIdSchema }, { additionalProperties: false });

export const ApprovalBody = Type.Object(
  {
    request_hash: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'The `request_hash` the approver was shown; another is 409 and writes nothing',
    }),
    reason: Type.Optional(Type.String({ maxLength: 1024, description: 'Recorded in the job’s events' })),
  },
  { additionalProperties: false },
);
