/** Job list schemas (SPEC 1.11). Submission, cancel and single-job reads come with the job endpoints. */
import { Type } from 'typebox';
import { JOB_STATUSES } from '../../domain/job/events.ts';
import { SUPPORTED_JOB_FILTERS } from '../../projections/jobs/queries.ts';
import { CursorQuery, MinPositionQuery } from './common.ts';

export const JobStatusSchema = Type.Union(
  [
    Type.Literal('PENDING'),
    Type.Literal('APPROVAL_REQUIRED'),
    Type.Literal('SCHEDULED'),
    Type.Literal('DISPATCHED'),
    Type.Literal('RUNNING'),
    Type.Literal('SUCCEEDED'),
    Type.Literal('FAILED'),
    Type.Literal('CANCELLED'),
    Type.Literal('TIMEOUT'),
    Type.Literal('DENIED'),
  ],
  { description: `Job state: ${JOB_STATUSES.join(', ')}` },
);

const time = (description: string) =>
  Type.String({
    maxLength: 40,
    description: `${description}: epoch milliseconds or an ISO 8601 date-time`,
  });

export const JobListQuery = Type.Object(
  {
    state: Type.Optional(JobStatusSchema),
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    trace_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    workflow_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tenant: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'For keys bound to `*`: one tenant’s jobs only' }),
    ),
    sort: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('updated')], { default: 'created' })),
    from: Type.Optional(time('Earliest created_at (updated_at with sort=updated), inclusive')),
    to: Type.Optional(time('Latest created_at (updated_at with sort=updated), inclusive')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(CursorQuery),
    min_position: Type.Optional(MinPositionQuery),
  },
  { additionalProperties: false, description: `Supported filters: ${SUPPORTED_JOB_FILTERS}` },
);

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const JobSummary = Type.Object({
  job_id: Type.String(),
  tenant: Type.String(),
  topic: Type.String(),
  state: JobStatusSchema,
  priority: Type.String(),
  team: nullable(Type.String()),
  trace_id: Type.String(),
  workflow_id: nullable(Type.String()),
  run_id: nullable(Type.String()),
  step_id: nullable(Type.String()),
  attempt: Type.Integer(),
  max_attempts: Type.Union([Type.Integer(), Type.Null()]),
  worker_id: nullable(Type.String()),
  created_at: Type.Integer({ description: 'Epoch ms' }),
  updated_at: Type.Integer({ description: 'Epoch ms' }),
  due_at: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  labels: Type.Record(Type.String(), Type.String()),
  queue: nullable(Type.String()),
  retry_of: nullable(Type.String()),
});
