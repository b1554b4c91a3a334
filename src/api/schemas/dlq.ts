/** The dead-letter queue (SPEC 1.10). */
import { Type } from 'typebox';
import { SUPPORTED_DLQ_FILTERS } from '../../projections/dlq/queries.ts';
import { CursorQuery, IsoTime, JobIdSchema, MinPositionQuery, PositionTokenSchema, TenantQuery } from './common.ts';

const time = (description: string) =>
  Type.String({ maxLength: 40, description: `${description}: epoch milliseconds or an ISO 8601 date-time` });

export const DlqListQuery = Type.Object(
  {
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    reason_code: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    tenant: Type.Optional(TenantQuery),
    from: Type.Optional(time('Earliest time the entry was added, inclusive')),
    to: Type.Optional(time('Latest time the entry was added, inclusive')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(CursorQuery),
    min_position: Type.Optional(MinPositionQuery),
  },
  { additionalProperties: false, description: `Supported filters: ${SUPPORTED_DLQ_FILTERS}` },
);

const nullableText = Type.Union([Type.String(), Type.Null()]);

const entryFields = {
  job_id: Type.String(),
  tenant: Type.String(),
  topic: Type.String(),
  final_state: Type.String({ description: 'FAILED, TIMEOUT or DENIED' }),
  reason_code: Type.String(),
  reason: Type.String(),
  attempts: Type.Integer(),
  worker_id: nullableText,
  created_at: IsoTime,
  retries: Type.Integer({ description: 'Retries recorded (a repeated retry returns the first one’s job)' }),
  retried_as: Type.Union([Type.String(), Type.Null()], { description: 'The job the retry created' }),
};

export const DlqSummary = Type.Object(entryFields, { description: 'A DLQ entry (its request: GET it by id)' });

export const DlqEntry = Type.Object(
  {
    ...entryFields,
    request: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The full original request (payload, labels, priority, retry, timeouts, ...)',
    }),
    position: PositionTokenSchema,
  },
  { description: 'A DLQ entry, as the event store has it now' },
);

export const DlqParams = Type.Object({ job_id: JobIdSchema }, { additionalProperties: false });

export const DlqRetryAnswer = Type.Object(
  {
    job_id: Type.String({ description: 'The new job: `<job_id>.r<n>`' }),
    retry_of: Type.String({ description: 'The DLQ entry (the original job id)' }),
    position: PositionTokenSchema,
  },
  { description: 'The job the retry created' },
);

export const BulkDlqRetryBody = Type.Object(
  {
    filter: Type.Object(
      {
        topic: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        reason_code: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
      },
      {
        additionalProperties: false,
        description: 'topic or reason_code (one of them), or {} for every entry of the tenant',
      },
    ),
    reason: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);
