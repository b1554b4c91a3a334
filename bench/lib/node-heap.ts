/**
 * The V8 heap of a Coretex process, from its Prometheus `/metrics` (prom-client's default metrics):
 * what its live objects use, apart from the RSS, which also holds garbage V8 has not yet been pushed
 * to collect. A heap used that keeps climbing is a leak; an RSS that climbs over a flat heap is not.
 */
export interface NodeHeap {
  readonly heap_used_mb: number;
  readonly heap_total_mb: number;
  readonly external_mb: number;
}

const MB = 1024 * 1024;

function gauge(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]) / MB;
}

/** Reads the heap gauges; `key` must be bound to `*` (the metrics span every tenant). */
export async function nodeHeap(apiUrl: string, key: string): Promise<NodeHeap> {
  const response = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  return {
    heap_used_mb: gauge(text, 'nodejs_heap_size_used_bytes'),
    heap_total_mb: gauge(text, 'nodejs_heap_size_total_bytes'),
    external_mb: gauge(text, 'nodejs_external_memory_bytes'),
  };
}
