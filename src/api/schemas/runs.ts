/** Workflow run schemas (SPEC 2.2): starting, reading, listing, cancelling, approving, rerunning. */
import { type TSchema, Type } from 'typebox';
import { SUPPORTED_RUN_FILTERS } from '../../projections/runs/queries.ts';
import { CursorQuery, IsoTime, MinPositionQuery, NullableIso, PositionTokenSchema, TenantQuery } from './common.ts';
import { JobEventSchema } from './job-view.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const nullableText = nullable(Type.String());

export const RunStatusSchema = Type.Union(
  [
    Type.Literal('PENDING'),
    Type.Literal('RUNNING'),
    Type.Literal('WAITING'),
    Type.Literal('SUCCEEDED'),
    Type.Literal('FAILED'),
    Type.Literal('CANCELLED'),
    Type.Literal('TIMED_OUT'),
  ],
  { description: 'Run state: PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT' },
);

const StepStatusSchema = Type.Union(
  [
    Type.Literal('PENDING'),
    Type.Literal('RUNNING'),
    Type.Literal('WAITING'),
    Type.Literal('SUCCEEDED'),
    Type.Literal('SKIPPED'),
    Type.Literal('FAILED'),
    Type.Literal('CANCELLED'),
    Type.Literal('TIMED_OUT'),
  ],
  { description: 'Step state' },
);

const idText = '^[A-Za-z0-9_-]{1,64}$';

export const RunIdSchema = Type.String({ pattern: idText, description: 'A run id (a ULID)' });
export const StepIdSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,47}$',
  description: 'A step id of the run’s definition',
});
const TeamIdSchema = Type.String({ pattern: idText, description: 'A team within the org' });
const IdempotencyKey = Type.String({ minLength: 1, maxLength: 255 });

export const RunParams = Type.Object({ run_id: RunIdSchema }, { additionalProperties: false });
export const RunStepParams = Type.Object(
  { run_id: RunIdSchema, step_id: StepIdSchema },
  { additionalProperties: false },
);

export const StartRunBody = Type.Object(
  {
    input: Type.Optional(
      Type.Unknown({
        description:
          'The run’s input (default `{}`), checked against the workflow’s `input_schema`: a mismatch is 400 naming the field (`input.<path>`)',
      }),
    ),
    team_id: Type.Optional(TeamIdSchema),
    idempotency_key: Type.Optional({
      ...IdempotencyKey,
      description: 'Also accepted as the `Idempotency-Key` header (the two must agree)',
    }),
  },
  { additionalProperties: false, description: 'Starts a run of the workflow’s latest version; unknown fields are 400' },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional({
    ...IdempotencyKey,
    description:
      'Claimed per tenant for 24 h: the same key and body answer the original run (200), another body is 409',
  }),
});

export const StartRunAnswer = Type.Object(
  {
    run_id: Type.String(),
    workflow_id: Type.String(),
    workflow_version: Type.Integer({ description: 'The version the run is pinned to' }),
    status: RunStatusSchema,
    trace_id: Type.String(),
    position: PositionTokenSchema,
  },
  { description: 'The run as it is now' },
);

export const RerunBody = Type.Union(
  [
    Type.Null(),
    Type.Object(
      {
        from_step: Type.Optional(
          nullable({
            ...StepIdSchema,
            description:
              'Run this step and what depends on it again, reusing the outputs of the steps it depends on; absent or null runs every step again',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Optional: `{from_step}`, or no body' },
);

export const RerunAnswer = Type.Object(
  {
    ...StartRunAnswer.properties,
    rerun_of: Type.String({ description: 'The run this one reruns' }),
  },
  { description: 'The new run' },
);

const reason = Type.String({ maxLength: 1024, description: 'Recorded in the run’s events' });

export const CancelRunBody = Type.Union(
  [Type.Null(), Type.Object({ reason: Type.Optional(reason) }, { additionalProperties: false })],
  { description: 'Optional: `{reason}`, or no body' },
);

export const StepApprovalBody = Type.Object(
  {
    approved: Type.Boolean({ description: 'true approves the step; false rejects it (the step fails)' }),
    reason: Type.Optional(reason),
  },
  { additionalProperties: false },
);

export const RunCommandAnswer = Type.Object(
  {
    run_id: Type.String(),
    status: RunStatusSchema,
    changed: Type.Boolean({ description: 'false: the command changed nothing (e.g. cancelling an ended run)' }),
    position: PositionTokenSchema,
  },
  { description: 'The run after the command' },
);

export const StepApprovalAnswer = Type.Object(
  {
    ...RunCommandAnswer.properties,
    step_id: Type.String(),
    step_status: StepStatusSchema,
  },
  { description: 'The run and the step after the answer' },
);

const ErrorView = nullable(Type.Object({ code: Type.String(), message: Type.String() }));

const StepView = Type.Object({
  type: Type.String({ description: 'job, condition, approval, delay, notify' }),
  status: StepStatusSchema,
  started_at: NullableIso,
  ended_at: NullableIso,
  wait: nullable(
    Type.Object({
      reason: Type.Union([Type.Literal('approval'), Type.Literal('delay')]),
      until: IsoTime,
      request: Type.Unknown({ description: 'Approval steps: the rendered input shown to approvers' }),
    }),
  ),
  job_ids: Type.Array(Type.String(), {
    description: 'The latest step job of each unit (one, or one per `for_each` child)',
  }),
  attempts: Type.Integer({
    minimum: 0,
    description: 'Step jobs created for the step so far, retries included (summed over `for_each` children)',
  }),
  output: Type.Unknown(),
  output_ptr: nullableText,
  error: ErrorView,
  reused: Type.Boolean({ description: 'Copied from the run this one reruns' }),
});

export const RunView = Type.Object(
  {
    run_id: Type.String(),
    tenant: Type.String(),
    workflow_id: Type.String(),
    workflow_version: Type.Integer(),
    team_id: nullableText,
    status: RunStatusSchema,
    input: Type.Unknown(),
    output: Type.Unknown({ description: 'Once SUCCEEDED: the steps’ outputs at their `output_path`s; else null' }),
    error: nullable(Type.Object({ code: Type.String(), message: Type.String(), step_id: nullableText })),
    trace_id: Type.String(),
    started_by: Type.String(),
    started_at: IsoTime,
    ended_at: NullableIso,
    timeout_at: NullableIso,
    rerun_of: nullable(Type.Object({ run_id: Type.String(), from_step: nullableText })),
    steps: Type.Record(Type.String(), StepView),
    position: PositionTokenSchema,
  },
  { description: 'A run as the event store knows it (authoritative, never stale)' },
);

export const RunEventSchema = Type.Object({
  ...JobEventSchema.properties,
  type: Type.String({ description: '`RunStarted`, `RunStepsScheduled`, `RunCancelled`, ...' }),
});

const time = (description: string) =>
  Type.String({ maxLength: 40, description: `${description}: epoch milliseconds or an ISO 8601 date-time` });

export const RunListQuery = Type.Object(
  {
    status: Type.Optional(RunStatusSchema),
    workflow_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tenant: Type.Optional(TenantQuery),
    from: Type.Optional(time('Earliest created_at, inclusive')),
    to: Type.Optional(time('Latest created_at, inclusive')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(CursorQuery),
    min_position: Type.Optional(MinPositionQuery),
  },
  { additionalProperties: false, description: `Supported filters: ${SUPPORTED_RUN_FILTERS}` },
);

export const RunSummary = Type.Object({
  run_id: Type.String(),
  tenant: Type.String(),
  workflow_id: Type.String(),
  workflow_version: Type.Integer(),
  team_id: nullableText,
  status: RunStatusSchema,
  created_at: IsoTime,
  updated_at: IsoTime,
  ended_at: NullableIso,
  started_by: Type.String(),
  trace_id: Type.String(),
  rerun_of: nullableText,
  error: nullable(Type.Object({ code: Type.String(), message: Type.String(), step_id: nullableText })),
  steps: Type.Record(Type.String(), Type.String(), { description: 'Each step’s status' }),
});
