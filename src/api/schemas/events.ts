/** The live event stream's schemas (SPEC 5). */
import { Type } from 'typebox';

const STREAM = '(job|run|dlq|workflow|config|op)';

export const EventStreamQuery = Type.Object(
  {
    stream: Type.Optional(
      Type.String({
        pattern: `^${STREAM}(,${STREAM})*$`,
        description: 'Streams to follow, comma-separated (default: all)',
      }),
    ),
    type: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z][A-Za-z0-9]{0,63}(,[A-Za-z][A-Za-z0-9]{0,63}){0,31}$',
        description: 'Event types, comma-separated (e.g. `JobSubmitted,JobSucceeded`)',
      }),
    ),
    job_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Only this job’s events (and its DLQ entry’s)' }),
    ),
    run_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Only this run’s events and its step jobs’' }),
    ),
    last_event_id: Type.Optional(
      Type.String({ maxLength: 512, description: 'As the Last-Event-ID header, for clients that cannot set it' }),
    ),
  },
  { additionalProperties: false },
);

export const EventStreamHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({
      maxLength: 512,
      description:
        'Resume: a vector of per-stream positions, `job:120,run:45` (the `id` of the last message received). Those streams are replayed from the next position.',
    }),
  ),
});

export const EventStreamText = Type.String({
  description:
    'Server-Sent Events. Each message: `id` = the vector of per-stream positions so far, `event` = the event type, `data` = the event as JSON (stream, position, stream_id, aggregate_id, tenant, type, time, actor, trace_id, data).',
});
