/**
 * `GET /api/v1/events/stream` (SPEC 5): Server-Sent Events from the process's one shared tail
 * (app/events/live-events.ts), filtered by stream, type, job or run id, and always by the caller's
 * tenant (`*` keys see every tenant). Each message's `id` is the vector of per-stream positions seen
 * so far (`job:120,run:45`), so a client that reconnects with it as `Last-Event-ID` resumes exactly.
 * A client that cannot keep up is disconnected (it resumes from its last id) rather than buffered
 * without bound. A heartbeat (`: ping <vector>`) follows the replayed history at once, then every 15 s.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { AGGREGATE_TYPES, type AggregateType, isAggregateType, parseStreamId } from '../../domain/shared/stream.ts';
import type { Feed } from '../../app/events/live-events.ts';
import { streamOf } from '../../app/events/live-events.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { canSeeTenant, type Principal } from '../auth/principal.ts';
import type { ApiDeps } from '../deps.ts';
import { operation } from '../operation.ts';
import { EventStreamHeaders, EventStreamQuery, EventStreamText } from '../schemas/events.ts';

const HEARTBEAT_MS = 15_000;
/** Unsent bytes a connection may hold before it is dropped as too slow. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function registerEventStreamRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/api/v1/events/stream',
    operation({
      operationId: 'streamEvents',
      summary: 'Live events (Server-Sent Events), resumable with Last-Event-ID',
      tags: ['events'],
      access: { role: 'viewer' },
      querystring: EventStreamQuery,
      headers: EventStreamHeaders,
      response: {
        200: { description: 'An event stream', content: { 'text/event-stream': { schema: EventStreamText } } },
      },
    }),
    async (request, reply) => {
      const principal = principalOf(request);
      const query = request.query;
      const streams = query.stream === undefined ? [...AGGREGATE_TYPES] : (query.stream.split(',') as AggregateType[]);
      const types = query.type === undefined ? null : new Set(query.type.split(','));
      const lastId = request.headers['last-event-id'] ?? query.last_event_id;
      const resume = lastId === undefined ? new Map<AggregateType, number>() : parseVector(lastId);
      const visible = (event: StoredEvent) =>
        tenantAllowed(principal, event) &&
        (types === null || types.has(event.type)) &&
        matchesIds(event, query.job_id ?? null, query.run_id ?? null);

      const vector = new Map(resume);
      const raw = reply.raw;
      let feed: Feed | null = null;
      let heartbeat: NodeJS.Timeout | undefined;
      let open = true;
      const finish = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        feed?.close();
        deps.metrics.liveStreams.dec();
        if (!raw.writableEnded) raw.end();
      };
      const deliver = (events: readonly StoredEvent[]) => {
        if (!open) return;
        for (const event of events) {
          const stream = streamOf(event);
          if (stream === null) continue;
          vector.set(stream, event.position);
          if (!visible(event)) continue;
          raw.write(
            `id: ${formatVector(vector)}\nevent: ${event.type}\ndata: ${JSON.stringify(message(stream, event))}\n\n`,
          );
        }
        if (raw.writableLength > MAX_BUFFERED_BYTES) {
          deps.log.warn({ request_id: request.id }, 'event stream client too slow; disconnecting it');
          finish();
        }
      };

      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // One stream per connection: when it ends, so does the connection (nothing idles on shutdown).
        connection: 'close',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      raw.write(': coretex events\nretry: 2000\n\n');
      deps.metrics.liveStreams.inc();
      request.raw.once('close', finish);
      try {
        feed = await deps.liveEvents.openFeed({ streams, resume, deliver, onEnd: finish });
        for (const [stream, position] of feed.positions) if (!vector.has(stream)) vector.set(stream, position);
        if (!open) feed.close();
        // A first heartbeat at once: the history asked for (Last-Event-ID) is delivered up to here, so
        // a reader that wants only that history (`coretex events tail` without --follow) can stop.
        if (open) raw.write(`: ping ${formatVector(vector)}\n\n`);
        heartbeat = setInterval(() => {
          if (open) raw.write(`: ping ${formatVector(vector)}\n\n`);
        }, HEARTBEAT_MS);
      } catch (error) {
        deps.log.error({ request_id: request.id, err: error }, 'event stream failed to open');
        finish();
      }
    },
  );
}

/** `job:120,run:45` → positions per stream; anything else is a 400 naming Last-Event-ID. */
export function parseVector(text: string): Map<AggregateType, number> {
  const vector = new Map<AggregateType, number>();
  if (text.trim() === '') return vector;
  for (const part of text.split(',')) {
    const [stream, position, ...rest] = part.trim().split(':');
    if (
      stream === undefined ||
      position === undefined ||
      rest.length > 0 ||
      !isAggregateType(stream) ||
      !/^(0|[1-9][0-9]{0,15})$/.test(position) ||
      vector.has(stream)
    ) {
      throw new ValidationError(
        'Last-Event-ID',
        'Last-Event-ID must be a list of <stream>:<position>, e.g. job:120,run:45',
        'invalid_last_event_id',
      );
    }
    vector.set(stream, Number(position));
  }
  return vector;
}

export function formatVector(vector: ReadonlyMap<AggregateType, number>): string {
  return AGGREGATE_TYPES.filter((type) => vector.has(type))
    .map((type) => `${type}:${vector.get(type) ?? 0}`)
    .join(',');
}

function tenantAllowed(principal: Principal, event: StoredEvent): boolean {
  return canSeeTenant(principal, event.tenant);
}

function matchesIds(event: StoredEvent, jobId: string | null, runId: string | null): boolean {
  if (jobId === null && runId === null) return true;
  const stream = parseStreamId(event.stream_id);
  if (stream === null) return false;
  if (jobId !== null && !((stream.type === 'job' || stream.type === 'dlq') && stream.id === jobId)) return false;
  if (runId !== null) {
    if (stream.type === 'run') return stream.id === runId;
    if (stream.type !== 'job') return false;
    const keys = (event.data as { keys?: { run_id?: string | null } } | null)?.keys;
    return keys?.run_id === runId;
  }
  return true;
}

function message(stream: AggregateType, event: StoredEvent) {
  const parsed = parseStreamId(event.stream_id);
  return {
    stream,
    position: event.position,
    stream_id: event.stream_id,
    aggregate_id: parsed?.id ?? null,
    tenant: event.tenant,
    type: event.type,
    time: event.time,
    actor: event.actor,
    trace_id: event.trace_id,
    data: event.data,
  };
}
