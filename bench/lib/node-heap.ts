/**
 * A Coretex process's Node runtime, from its Prometheus `/metrics` (prom-client's default metrics):
 *   - the V8 heap: what its live objects use, apart from the RSS, which also holds garbage V8 has not
 *     yet been pushed to collect. A heap used that keeps climbing is a leak; an RSS that climbs over a
 *     flat heap is not;
 *   - the event loop's delay since the previous scrape (prom-client resets its histogram at each one):
 *     how long a ready callback waited for the thread, which every latency of the process includes;
 *   - the time spent in garbage collection so far, by kind (a counter: take the difference of two).
 */
export interface NodeHeap {
  readonly heap_used_mb: number;
  readonly heap_total_mb: number;
  readonly external_mb: number;
}

export interface NodeRuntime extends NodeHeap {
  /** Event-loop delay since the previous scrape (ms). */
  readonly loop_delay_ms: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Seconds spent in GC since the process started, by kind (`minor`, `major`, `incremental`, `weakcb`). */
  readonly gc_s: Readonly<Record<string, number>>;
}

const MB = 1024 * 1024;

function value(text: string, name: string, scale: number): number {
  const match = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]) / scale;
}

/** Scrapes `/metrics`; `key` must be bound to `*` (the metrics span every tenant). */
export async function nodeRuntime(apiUrl: string, key: string): Promise<NodeRuntime> {
  const response = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const gc: Record<string, number> = {};
  for (const match of text.matchAll(/^nodejs_gc_duration_seconds_sum\{kind="(\w+)"\} (\S+)/gm)) {
    gc[match[1] as string] = Number(match[2]);
  }
  return {
    heap_used_mb: value(text, 'nodejs_heap_size_used_bytes', MB),
    heap_total_mb: value(text, 'nodejs_heap_size_total_bytes', MB),
    external_mb: value(text, 'nodejs_external_memory_bytes', MB),
    loop_delay_ms: {
      p50: value(text, 'nodejs_eventloop_lag_p50_seconds', 1e-3),
      p99: value(text, 'nodejs_eventloop_lag_p99_seconds', 1e-3),
      max: value(text, 'nodejs_eventloop_lag_max_seconds', 1e-3),
    },
    gc_s: gc,
  };
}

/** The heap gauges alone. */
export async function nodeHeap(apiUrl: string, key: string): Promise<NodeHeap> {
  const { heap_used_mb, heap_total_mb, external_mb } = await nodeRuntime(apiUrl, key);
  return { heap_used_mb, heap_total_mb, external_mb };
}

/** GC seconds between two scrapes, by kind, and in all. */
export function gcDelta(before: NodeRuntime, after: NodeRuntime): Record<string, number> {
  const delta: Record<string, number> = {};
  let total = 0;
  for (const [kind, seconds] of Object.entries(after.gc_s)) {
    delta[kind] = seconds - (before.gc_s[kind] ?? 0);
    total += delta[kind];
  }
  return { ...delta, total };
}
