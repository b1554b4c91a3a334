/** Workers (SPEC 1.5) and parked inputs (SPEC 5). */
import { Type } from 'typebox';
import { IsoTime, PositionTokenSchema, TenantQuery } from './common.ts';

export const WorkerListQuery = Type.Object(
  {
    pool: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Only this pool’s workers' })),
    tenant: Type.Optional(TenantQuery),
  },
  { additionalProperties: false },
);

export const WorkerView = Type.Object({
  worker_id: Type.String(),
  pool: Type.String(),
  topics: Type.Array(Type.String(), { description: 'Topic globs it serves; empty: every topic of its pool' }),
  capabilities: Type.Array(Type.String()),
  labels: Type.Record(Type.String(), Type.String()),
  region: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  active_jobs: Type.Integer({ description: 'As its last heartbeat said, plus jobs handed to it since' }),
  max_parallel_jobs: Type.Integer(),
  cpu_load: Type.Number(),
  gpu_utilization: Type.Union([Type.Number(), Type.Null()]),
  load_score: Type.Number({ description: 'What least-loaded dispatch compares (lower is chosen first)' }),
  overloaded: Type.Boolean(),
  cordoned: Type.Boolean({ description: 'Listed in `routing.cordoned_workers`: receives no jobs' }),
  heartbeat_at: IsoTime,
  expires_at: Type.String({ description: 'ISO 8601: when it leaves the registry without another heartbeat' }),
});

export const WorkerList = Type.Object({ items: Type.Array(WorkerView) }, { description: 'Live workers, by id' });

export const ParkedInputView = Type.Object({
  id: Type.String(),
  source: Type.String({ description: 'What was being handled: `job-event`, `report`, `bus-submission`, ...' }),
  position: Type.Integer({ description: 'Its position in the stream or capture it came from' }),
  subject: Type.Union([Type.String(), Type.Null()]),
  error: Type.String({ description: 'The last error' }),
  attempts: Type.Integer(),
  parked_at: IsoTime,
  input: Type.Unknown({ description: 'The input itself (an event or a message)' }),
});

export const ParkedList = Type.Object(
  { items: Type.Array(ParkedInputView) },
  { description: 'Parked inputs, oldest first' },
);

export const ParkedParams = Type.Object(
  // `<source>.<position>` (e.g. `job-event.120`): also a valid KV key, so no id reaches the bucket malformed.
  {
    id: Type.String({
      pattern: '^[a-z0-9-]{1,64}\\.[0-9]{1,20}$',
      description: 'The parked input’s `id` (`<source>.<position>`)',
    }),
  },
  { additionalProperties: false },
);

export const ReplayAnswer = Type.Object(
  {
    id: Type.String(),
    source: Type.String(),
    replayed: Type.Literal(true),
    position: PositionTokenSchema,
  },
  {
    description:
      'The input was handled and unparked. `position` is the head of the stream it concerns after the replay (to read its effects with `min_position`).',
  },
);
