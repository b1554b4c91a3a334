/** Bulk operations (SPEC 1.9, 1.10): a cancel or DLQ retry by filter, and its progress. */
import { Type } from 'typebox';
import { IsoTime, NullableIso, PositionTokenSchema, TenantQuery } from './common.ts';

export const OperationParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The `operation_id`' }) },
  { additionalProperties: false },
);

export const OperationQuery = Type.Object({ tenant: Type.Optional(TenantQuery) }, { additionalProperties: false });

export const OperationView = Type.Object(
  {
    operation_id: Type.String(),
    kind: Type.Union([Type.Literal('bulk_cancel'), Type.Literal('bulk_dlq_retry')]),
    status: Type.Union([Type.Literal('RUNNING'), Type.Literal('SUCCEEDED'), Type.Literal('FAILED')]),
    filter: Type.Record(Type.String(), Type.Unknown(), { description: 'The filter, as requested' }),
    reason: Type.Union([Type.String(), Type.Null()]),
    requested_by: Type.String(),
    processed: Type.Integer({ description: 'Items looked at so far' }),
    changed: Type.Integer({ description: 'Items the operation changed (cancelled, or retried as a new job)' }),
    failed: Type.Integer({ description: 'Items that failed (logged; the operation goes on)' }),
    requested_at: IsoTime,
    finished_at: NullableIso,
    error: Type.Union([Type.String(), Type.Null()]),
    position: PositionTokenSchema,
  },
  { description: 'A bulk operation and its progress, as the event store has it now' },
);
