/** Operational endpoints' schemas: health, readiness, status, projections. */
import { Type } from 'typebox';

export const Health = Type.Object({ status: Type.Literal('ok') }, { description: 'The process answers' });

export const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
    checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.String()]), {
      description: 'Per dependency: `ok` or what failed',
    }),
  },
  { description: 'Whether the event store and the read models answer' },
);

const StreamProgress = Type.Object({
  stream: Type.String(),
  position: Type.Integer({ description: 'The last position the read model applied' }),
  head: Type.Integer({ description: 'The stream’s last position' }),
  lag: Type.Integer({ description: 'head − position' }),
});

export const RebuildInfo = Type.Object({
  state: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  started_at: Type.String(),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  stream: Type.Union([Type.String(), Type.Null()]),
  position: Type.Union([Type.Integer(), Type.Null()]),
  head: Type.Union([Type.Integer(), Type.Null()]),
  events: Type.Integer(),
  events_per_second: Type.Union([Type.Number(), Type.Null()]),
  eta_seconds: Type.Union([Type.Number(), Type.Null()]),
  version: Type.Union([Type.Integer(), Type.Null()], { description: 'The version built (once finished)' }),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const Status = Type.Object(
  {
    version: Type.String(),
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('distributed')]),
    backend: Type.String({ description: 'Where events and read models live' }),
    started_at: Type.String(),
    uptime_seconds: Type.Number(),
    checks: Readiness.properties.checks,
    projections: Type.Array(
      Type.Object({
        projection: Type.String(),
        version: Type.Union([Type.Integer(), Type.Null()]),
        streams: Type.Array(StreamProgress),
        rebuild: Type.Union([RebuildInfo, Type.Null()]),
      }),
    ),
    event_streams_open: Type.Integer({ description: 'Open /api/v1/events/stream connections on this process' }),
    safety: Type.Union(
      [
        Type.Object({
          breaker: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')], {
            description:
              'The remote safety kernel’s circuit breaker in this process (closed when no remote kernel is used)',
          }),
        }),
        Type.Null(),
      ],
      { description: 'Null where this process runs no job runtime' },
    ),
    workers: Type.Union(
      [
        Type.Object({ live: Type.Integer({ description: 'Workers with a heartbeat younger than the registry TTL' }) }),
        Type.Null(),
      ],
      { description: 'Null where this process runs no job runtime' },
    ),
  },
  { description: 'This process and the installation’s read models' },
);

export const ProjectionParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' }) },
  { additionalProperties: false },
);

export const RebuildStarted = Type.Object(
  {
    projection: Type.String(),
    started: Type.Literal(true),
    status_url: Type.String({ description: 'Progress is in /api/v1/status, under the projection' }),
  },
  { description: 'The rebuild runs in the background' },
);

export const OpenApiDocument = Type.Record(Type.String(), Type.Unknown(), { description: 'The OpenAPI 3.1 document' });

export const MetricsText = Type.String({ description: 'Prometheus text exposition format' });
