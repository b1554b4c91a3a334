/** The samples of bench/soak and their plot (an SVG of five panels), apart so a saved run can be re-plotted. */
import type { NodeHeap } from './node-heap.ts';
import { lineCharts, type Panel } from './svg-chart.ts';

export interface SoakSample {
  readonly minute: number;
  readonly rss_mb: Record<string, number>;
  /** The V8 heap of the Coretex process serving the API; absent in runs recorded before it was sampled. */
  readonly coretex_heap?: NodeHeap;
  readonly nats_mem_mb: number;
  readonly redis_used_mb: number;
  /** Keys in Redis (DBSIZE); absent in runs recorded before it was sampled. */
  readonly redis_keys?: number;
  /** Job stream events the archiver has yet to pass; absent in runs recorded before. */
  readonly archiver_lag?: number;
  readonly lag_ms: { p50: number; p99: number; n: number };
  readonly e2e_ms: { p50: number; p99: number; n: number };
  readonly in_flight: number;
  readonly completed: number;
}

export function soakPlot(title: string, samples: readonly SoakSample[]): string {
  // JSON turns NaN into null: a gap in the line either way.
  const value = (n: number | null | undefined) => n ?? Number.NaN;
  const series = (name: string, pick: (s: SoakSample) => number | null | undefined) => ({
    name,
    points: samples.map((s) => [s.minute, value(pick(s))] as const),
  });
  const processes = [...new Set(samples.flatMap((s) => Object.keys(s.rss_mb)))];
  const panels: Panel[] = [
    {
      title: 'Resident memory per process',
      unit: 'MB',
      series: [
        ...processes.map((name) => series(name, (s) => s.rss_mb[name])),
        ...(samples.some((s) => s.coretex_heap !== undefined)
          ? [series('coretex V8 heap used', (s) => s.coretex_heap?.heap_used_mb)]
          : []),
      ],
    },
    {
      title: 'Server memory',
      unit: 'MB',
      series: [
        series('nats-server (/varz mem)', (s) => s.nats_mem_mb),
        series('redis used_memory', (s) => s.redis_used_mb),
      ],
    },
    {
      title: 'Projection lag per sample',
      unit: 'ms',
      series: [series('p50', (s) => s.lag_ms.p50), series('p99', (s) => s.lag_ms.p99)],
    },
    {
      title: 'Submit to success per sample',
      unit: 'ms',
      series: [series('p50', (s) => s.e2e_ms.p50), series('p99', (s) => s.e2e_ms.p99)],
    },
    { title: 'Jobs in flight', unit: 'jobs', series: [series('submitted, not ended', (s) => s.in_flight)] },
  ];
  return lineCharts(title, panels, 'minutes');
}
