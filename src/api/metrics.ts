/**
 * Prometheus metrics (SPEC 6). The registry is injected, so the roles built later (scheduler,
 * reconciler, ...) add their own metrics to the same `/metrics`. This module owns the API's: request
 * latency by route, events appended by stream, open event-stream connections, projection lag.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Per projection and stream: how far the read model is behind its stream's head. */
export type LagSource = () => Promise<
  readonly { projection: string; streams: readonly { stream: string; lag: number }[] }[]
>;

export interface ApiMetrics {
  readonly registry: Registry;
  /** Where `coretex_projection_lag_events` is read from at each scrape. */
  setLagSource(source: LagSource): void;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly eventsAppended: Counter<'stream'>;
  readonly liveStreams: Gauge;
  readonly projectionLag: Gauge<'projection' | 'stream'>;
}

/** Creates the API's metrics in `registry` (a fresh one with the default process metrics if none). */
export function createApiMetrics(registry?: Registry): ApiMetrics {
  const target = registry ?? new Registry();
  if (registry === undefined) collectDefaultMetrics({ register: target });
  let lagSource: LagSource | null = null;
  return {
    registry: target,
    setLagSource(source) {
      lagSource = source;
    },
    httpDuration: new Histogram({
      name: 'coretex_api_request_duration_seconds',
      help: 'API request latency by route template, method and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [target],
    }),
    eventsAppended: new Counter({
      name: 'coretex_events_appended_total',
      help: 'Events appended, by stream (aggregate type)',
      labelNames: ['stream'] as const,
      registers: [target],
    }),
    liveStreams: new Gauge({
      name: 'coretex_api_event_streams_open',
      help: 'Open Server-Sent Events connections',
      registers: [target],
    }),
    projectionLag: new Gauge({
      name: 'coretex_projection_lag_events',
      help: 'Stream head minus projection checkpoint, read at each scrape',
      labelNames: ['projection', 'stream'] as const,
      registers: [target],
      async collect() {
        if (lagSource === null) return;
        this.reset();
        for (const projection of await lagSource()) {
          for (const stream of projection.streams) {
            this.set({ projection: projection.projection, stream: stream.stream }, stream.lag);
          }
        }
      },
    }),
  };
}
