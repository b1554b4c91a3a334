/**
 * Job command schemas (SPEC 1.3, 1.9): submission, cancel, bulk cancel. Bodies describe the shape;
 * the submission's limits (payload size, label counts, retry bounds, ...) are checked by the domain,
 * whose errors name the field like the schema's do.
 */
import { Type } from 'typebox';
import { DEFAULT_SUBMISSION_LIMITS } from '../../domain/job/submission.ts';
import { JobIdSchema, PositionTokenSchema, TenantQuery } from './common.ts';
import { JobStatusSchema } from './jobs.ts';

const LIMITS = DEFAULT_SUBMISSION_LIMITS;

const text = (description: string) => Type.String({ minLength: 1, maxLength: LIMITS.max_text_length, description });
const textList = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.max_text_length }), {
    maxItems: LIMITS.max_list_entries,
    description,
  });
const millis = (description: string) => Type.Integer({ minimum: 0, description });

export const PrioritySchema = Type.Union(
  [Type.Literal('critical'), Type.Literal('interactive'), Type.Literal('batch')],
  { description: 'Release order class (default `batch`)' },
);

export const SubmitJobBody = Type.Object(
  {
    job_id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,64}$',
        description: 'Optional; server-generated (a ULID) when absent. An id already used in the tenant is 409.',
      }),
    ),
    topic: Type.Optional(
      Type.String({ maxLength: 255, pattern: '^job(\\.[a-z0-9_-]+)+$', description: 'Default `job.default`' }),
    ),
    payload: Type.Optional(
      Type.Unknown({
        description: `Any JSON, at most ${LIMITS.max_payload_bytes} bytes serialised (larger is 413 naming \`payload\`)`,
      }),
    ),
    priority: Type.Optional(PrioritySchema),
    team: Type.Optional(text('The team within the tenant')),
    principal: Type.Optional(text('Who the job acts for')),
    labels: Type.Optional(
      Type.Record(Type.String({ maxLength: LIMITS.max_label_key_length }), Type.String(), {
        description: `String map, at most ${LIMITS.max_labels} entries; values at most ${LIMITS.max_label_value_length} characters`,
      }),
    ),
    requires: Type.Optional(textList('Capabilities the worker pool must offer')),
    capability: Type.Optional(text('The capability the job uses')),
    risk_tags: Type.Optional(textList('Tags the safety policy checks')),
    idempotency_key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: 'Also accepted as the `Idempotency-Key` header (the two must agree)',
      }),
    ),
    trace_id: Type.Optional(text('Default: the trace id of a W3C `traceparent` header, else a fresh one')),
    run_at: Type.Optional(
      Type.Union([millis('Epoch milliseconds'), Type.String({ maxLength: 64, description: 'RFC 3339' })], {
        description: 'Not dispatched before this time: RFC 3339 or epoch milliseconds',
      }),
    ),
    deadline_ms: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Overall budget, from `run_at` if set, else from submission' }),
    ),
    retry: Type.Optional(
      Type.Object(
        {
          max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.max_attempts })),
          initial_backoff_ms: Type.Optional(millis('First retry delay')),
          max_backoff_ms: Type.Optional(millis('Cap on the retry delay')),
          multiplier: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
          jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Randomised fraction' })),
        },
        { additionalProperties: false, description: 'Fields absent here come from config' },
      ),
    ),
    timeouts: Type.Optional(
      Type.Object(
        {
          dispatch_ms: Type.Optional(Type.Integer({ minimum: 1 })),
          running_ms: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false, description: 'Absent: from config' },
      ),
    ),
    env: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String(), {
        description:
          'Extra environment for the worker. `traceparent` defaults to the request’s W3C `traceparent` header.',
      }),
    ),
  },
  { additionalProperties: false, description: 'A job submission (SPEC 1.1); unknown fields are 400' },
);

export const SubmitJobHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'Claimed per tenant for 24 h: the same key and body answer the original job (200), another body is 409',
    }),
  ),
});

export const SubmitJobAnswer = Type.Object(
  {
    job_id: Type.String(),
    trace_id: Type.String(),
    state: JobStatusSchema,
    position: PositionTokenSchema,
  },
  { description: 'The job as it is now' },
);

export const JobParams = Type.Object({ id: JobIdSchema }, { additionalProperties: false });

export const TenantOnlyQuery = Type.Object({ tenant: Type.Optional(TenantQuery) }, { additionalProperties: false });

const reason = Type.String({ maxLength: 1024, description: 'Recorded in the job’s events' });

export const CancelJobBody = Type.Union(
  [Type.Null(), Type.Object({ reason: Type.Optional(reason) }, { additionalProperties: false })],
  { description: 'Optional: `{reason}`, or no body' },
);

export const JobCommandAnswer = Type.Object(
  {
    job_id: Type.String(),
    state: JobStatusSchema,
    position: PositionTokenSchema,
  },
  { description: 'The job after the command (unchanged when it changed nothing)' },
);

const filterText = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 256, description }));

export const BulkCancelBody = Type.Object(
  {
    filter: Type.Object(
      {
        state: Type.Optional(JobStatusSchema),
        topic: filterText('Jobs of this topic'),
        team: filterText('Jobs of this team'),
        trace_id: filterText('Jobs of this trace'),
        workflow_id: filterText('Step jobs of this workflow'),
        run_id: filterText('Step jobs of this run'),
      },
      {
        additionalProperties: false,
        minProperties: 1,
        description:
          'As the job list takes it: `state`, and/or one of topic, team, trace_id, workflow_id, run_id. At least one field (cancelling a whole tenant is not one request away).',
      },
    ),
    reason: Type.Optional(reason),
  },
  { additionalProperties: false },
);
