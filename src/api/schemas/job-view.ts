/** One job as the event store knows it, and its history (SPEC 1.12). */
import { Type } from 'typebox';
import { CursorQuery, IsoTime, JobErrorSchema, NullableIso, PositionTokenSchema, TenantQuery } from './common.ts';
import { JobStatusSchema } from './jobs.ts';

const nullableText = Type.Union([Type.String(), Type.Null()]);

export const JobQuery = Type.Object(
  {
    tenant: Type.Optional(TenantQuery),
    wait: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,7}(ms|s|m)?$',
        description:
          'Long-poll: answer once the job is terminal or this long has passed (`30s`, `500ms`, `1m`; a bare number is seconds; at most 60 s, longer waits are cut to 60 s)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SafetyDecisionSchema = Type.Object({
  decision: Type.String({ description: 'ALLOW, ALLOW_WITH_CONSTRAINTS, DENY, REQUIRE_APPROVAL or THROTTLE' }),
  reason: nullableText,
  source: Type.Union([Type.Literal('builtin'), Type.Literal('remote')]),
  policy_version: Type.String(),
  constraints: Type.Union([Type.Record(Type.String(), Type.Integer()), Type.Null()]),
});

export const ApprovalRequestSchema = Type.Object(
  {
    request_hash: Type.String({ description: 'Send it back to approve or reject' }),
    policy_version: Type.String({ description: 'The safety policy the request is bound to' }),
    expires_at: IsoTime,
    reason: nullableText,
  },
  { description: 'While the job waits for approval' },
);

export const JobView = Type.Object(
  {
    job_id: Type.String(),
    tenant: Type.String(),
    topic: Type.String(),
    state: JobStatusSchema,
    priority: Type.String(),
    team: nullableText,
    principal: nullableText,
    labels: Type.Record(Type.String(), Type.String()),
    requires: Type.Array(Type.String()),
    risk_tags: Type.Array(Type.String()),
    payload: Type.Unknown({ description: 'As submitted' }),
    attempt: Type.Integer({ description: 'The attempt in flight, else the attempts used so far' }),
    max_attempts: Type.Union([Type.Integer(), Type.Null()]),
    worker_id: nullableText,
    created_at: IsoTime,
    updated_at: Type.String({ description: 'ISO 8601: the time of the job’s last event' }),
    due_at: Type.Union([IsoTime, Type.Null()], { description: 'The next time Coretex acts on it; null once terminal' }),
    run_at: NullableIso,
    deadline_at: NullableIso,
    safety: Type.Union([SafetyDecisionSchema, Type.Null()], { description: 'The decision it runs under' }),
    approval_request: Type.Union([ApprovalRequestSchema, Type.Null()]),
    result: Type.Unknown({ description: 'Inline result (SUCCEEDED), else null' }),
    result_ptr: Type.Union([Type.String(), Type.Null()], { description: 'Where a large result is kept' }),
    execution_ms: Type.Union([Type.Integer(), Type.Null()]),
    error: JobErrorSchema,
    cancellation: Type.Union([Type.Object({ by: Type.String(), reason: nullableText }), Type.Null()]),
    trace_id: Type.String(),
    idempotency_key: nullableText,
    workflow_id: nullableText,
    run_id: nullableText,
    step_id: nullableText,
    retry_of: nullableText,
    position: PositionTokenSchema,
  },
  { description: 'The job as the event store knows it now' },
);

export const JobEventsQuery = Type.Object(
  {
    tenant: Type.Optional(TenantQuery),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
    cursor: Type.Optional(CursorQuery),
  },
  { additionalProperties: false },
);

export const JobEventSchema = Type.Object({
  id: Type.String(),
  type: Type.String({ description: '`JobSubmitted`, `JobScheduled`, ...' }),
  time: IsoTime,
  position: PositionTokenSchema,
  actor: Type.String({ description: 'Who caused it: `api:<key id>`, `scheduler`, `worker:<id>`, ...' }),
  trace_id: nullableText,
  causation_id: nullableText,
  correlation_id: nullableText,
  data: Type.Unknown(),
});
