/**
 * JSON Schemas (draft 2020-12) of the worker protocol messages in `messages.ts`. Plain data: the API
 * serves them in its OpenAPI components, and both sides validate what they receive against them.
 */

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const ms = { type: 'integer', minimum: 0 } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const dispatchMessageSchema = {
  $id: 'coretex:DispatchMessage',
  type: 'object',
  required: [
    'job_id',
    'tenant',
    'attempt',
    'token',
    'topic',
    'payload',
    'priority',
    'labels',
    'trace_id',
    'partition',
    'result_subject',
    'progress_subject',
    'dispatch_deadline',
    'running_ms',
    'deadline_at',
    'env',
  ],
  properties: {
    job_id: id,
    tenant: id,
    attempt: { type: 'integer', minimum: 1 },
    token: id,
    topic: id,
    payload: {},
    priority: { enum: ['critical', 'interactive', 'batch'] },
    labels: stringMap,
    trace_id: id,
    partition: { type: 'integer', minimum: 0 },
    result_subject: id,
    progress_subject: id,
    dispatch_deadline: ms,
    running_ms: ms,
    deadline_at: { anyOf: [ms, { type: 'null' }] },
    env: stringMap,
  },
} as const;

export const handOffReplySchema = {
  $id: 'coretex:HandOffReply',
  oneOf: [
    {
      type: 'object',
      required: ['accepted', 'worker_id', 'started_at'],
      properties: { accepted: { const: true }, worker_id: id, started_at: { anyOf: [ms, { type: 'null' }] } },
    },
    {
      type: 'object',
      required: ['accepted', 'worker_id', 'reason'],
      properties: { accepted: { const: false }, worker_id: id, reason: { type: 'string' } },
    },
  ],
} as const;

export const reportMessageSchema = {
  $id: 'coretex:ReportMessage',
  type: 'object',
  required: ['type', 'job_id', 'tenant', 'attempt', 'token', 'worker_id', 'sent_at'],
  properties: {
    type: { enum: ['started', 'result'] },
    job_id: id,
    tenant: id,
    attempt: { type: 'integer', minimum: 1 },
    token: id,
    worker_id: id,
    status: { type: 'string', maxLength: 64 },
    result: {},
    result_ptr: { anyOf: [id, { type: 'null' }] },
    execution_ms: { anyOf: [ms, { type: 'null' }] },
    error_code: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'null' }] },
    error_message: { anyOf: [{ type: 'string', maxLength: 10_000 }, { type: 'null' }] },
    retryable: { type: 'boolean' },
    sent_at: ms,
  },
} as const;

export const progressMessageSchema = {
  $id: 'coretex:ProgressMessage',
  type: 'object',
  required: ['job_id', 'tenant', 'attempt', 'token', 'worker_id'],
  properties: {
    job_id: id,
    tenant: id,
    attempt: { type: 'integer', minimum: 1 },
    token: id,
    worker_id: id,
    progress: {},
  },
} as const;

export const stopMessageSchema = {
  $id: 'coretex:StopMessage',
  type: 'object',
  required: ['job_id', 'tenant', 'attempt', 'reason'],
  properties: { job_id: id, tenant: id, attempt: { type: 'integer', minimum: 1 }, reason: { type: 'string' } },
} as const;

export const heartbeatMessageSchema = {
  $id: 'coretex:HeartbeatMessage',
  type: 'object',
  required: [
    'worker_id',
    'instance',
    'pool',
    'topics',
    'active_jobs',
    'max_parallel_jobs',
    'capabilities',
    'labels',
    'cpu_load',
    'region',
    'version',
    'started_at',
    'sent_at',
  ],
  properties: {
    worker_id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    instance: id,
    pool: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' },
    topics: { type: 'array', items: id, maxItems: 200 },
    active_jobs: { type: 'integer', minimum: 0 },
    max_parallel_jobs: { type: 'integer', minimum: 1 },
    capabilities: { type: 'array', items: id, maxItems: 200 },
    labels: stringMap,
    cpu_load: { type: 'number', minimum: 0, maximum: 100 },
    gpu_utilization: { type: 'number', minimum: 0, maximum: 100 },
    region: { anyOf: [id, { type: 'null' }] },
    version: { type: 'string', maxLength: 64 },
    started_at: ms,
    sent_at: ms,
  },
} as const;

export const protocolSchemas = {
  DispatchMessage: dispatchMessageSchema,
  HandOffReply: handOffReplySchema,
  ReportMessage: reportMessageSchema,
  ProgressMessage: progressMessageSchema,
  StopMessage: stopMessageSchema,
  HeartbeatMessage: heartbeatMessageSchema,
} as const;
