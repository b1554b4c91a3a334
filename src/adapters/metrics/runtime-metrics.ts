/**
 * The runtime's Prometheus metrics (SPEC 6, 8), in the process's shared registry:
 *   counters    worker reports by outcome, hand-offs by outcome, reconciler actions, parked inputs
 *   histogram   dispatch latency (submission → accepted hand-off)
 *   gauges      read at each scrape: jobs by state and topic (the `jobs` read model's counts), wait
 *               queue depth per queue and topic/tenant, the safety breaker's state, live workers
 *   archiver    (in the process holding its lease) jobs archived by outcome, how far behind it is
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ArchiverProgress } from '../../app/jobs/archiver.ts';
import type { Clock, EventStore, RuntimeMetrics } from '../../app/ports.ts';
import type { JobRuntime } from '../../app/jobs/runtime.ts';
import { queueIndexKey, queueKey } from '../../projections/job-queues/projection.ts';
import { STATS_KEY } from '../../projections/jobs/projection.ts';

const BREAKER = { closed: 0, half_open: 1, open: 2 } as const;

export function createRuntimeMetrics(registry: Registry): RuntimeMetrics {
  const registers = [registry];
  const reports = new Counter({
    name: 'coretex_worker_reports_total',
    help: 'Worker reports by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const ignored = new Counter({
    name: 'coretex_worker_reports_ignored_total',
    help: 'Worker reports that changed nothing (old attempt, wrong token, not the holder, finished job, malformed)',
    registers,
  });
  const handOffs = new Counter({
    name: 'coretex_hand_offs_total',
    help: 'Hand-off requests by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'coretex_dispatch_latency_seconds',
    help: 'From submission to an accepted hand-off',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const actions = new Counter({
    name: 'coretex_reconciler_actions_total',
    help: 'Reconciler actions by kind',
    labelNames: ['action'] as const,
    registers,
  });
  const parked = new Counter({
    name: 'coretex_inputs_parked_total',
    help: 'Inputs parked after repeated failures (alert)',
    labelNames: ['source'] as const,
    registers,
  });
  return {
    reportHandled(outcome) {
      reports.inc({ outcome });
      if (outcome !== 'recorded') ignored.inc();
    },
    handOff(outcome) {
      handOffs.inc({ outcome });
    },
    dispatchLatency(seconds) {
      latency.observe(seconds);
    },
    reconcilerAction(action) {
      actions.inc({ action });
    },
    parked(source) {
      parked.inc({ source });
    },
  };
}

/** Gauges computed from the read models and the runtime at each scrape. */
export function registerRuntimeGauges(registry: Registry, rt: JobRuntime): void {
  const registers = [registry];
  new Gauge({
    name: 'coretex_jobs',
    help: 'Jobs by state and topic (from the jobs read model)',
    labelNames: ['state', 'topic'] as const,
    registers,
    async collect() {
      const ns = await rt.readModels.namespace('jobs');
      this.reset();
      if (ns === null) return;
      const stats = (await rt.readModels.store.hgetall(ns, STATS_KEY)) ?? {};
      for (const [field, value] of Object.entries(stats)) {
        const bar = field.indexOf('|');
        const count = Number(value);
        if (count !== 0) this.set({ state: field.slice(0, bar), topic: field.slice(bar + 1) }, count);
      }
    },
  });
  new Gauge({
    name: 'coretex_queue_depth',
    help: 'Jobs waiting in a wait queue, by queue and by topic or tenant',
    labelNames: ['queue', 'topic', 'tenant'] as const,
    registers,
    async collect() {
      const ns = await rt.readModels.namespace('job_queues');
      this.reset();
      if (ns === null) return;
      const store = rt.readModels.store;
      const depth = new Map<string, { queue: string; topic: string; tenant: string; count: number }>();
      const add = (queue: string, topic: string, tenant: string, count: number) => {
        const key = `${queue}|${topic}|${tenant}`;
        const entry = depth.get(key) ?? { queue, topic, tenant, count: 0 };
        entry.count += count;
        depth.set(key, entry);
      };
      for (let p = 0; p < rt.options.partitions; p++) {
        add('deferred', '', '', await store.zcard(ns, queueKey('deferred', p, '', '')));
        for (const queue of ['capacity', 'paused', 'tenant_limit'] as const) {
          for (const name of await store.range(ns, queueIndexKey(queue, p), { order: 'asc', limit: 10_000 })) {
            const count = await store.zcard(ns, queueKey(queue, p, name.member, name.member));
            if (queue === 'tenant_limit') add(queue, '', name.member, count);
            else add(queue, name.member, '', count);
          }
        }
      }
      for (const entry of depth.values())
        this.set({ queue: entry.queue, topic: entry.topic, tenant: entry.tenant }, entry.count);
    },
  });
  new Gauge({
    name: 'coretex_safety_breaker_state',
    help: 'The remote safety kernel breaker: 0 closed, 1 half-open, 2 open',
    registers,
    collect() {
      this.set(BREAKER[rt.safety.status()]);
    },
  });
  new Gauge({
    name: 'coretex_workers_live',
    help: 'Workers with a heartbeat within the TTL',
    registers,
    collect() {
      this.set(rt.registry.live(rt.clock.now(), 30_000).length);
    },
  });
}

/**
 * The archiver's progress (docs/retention.md), read at each scrape. A finished job the archiver reaches
 * after its first events aged out of the hot window is archived without them (`outcome="too_late"`):
 * alert on that counter, and on `coretex_archiver_behind_seconds` nearing the hot window. Only the
 * process holding the archiver's lease reports it (from its projector thread's last report, at most a
 * second old, when the projector runs on one).
 */
export function registerArchiverMetrics(
  registry: Registry,
  archiver: ArchiverProgress,
  events: Pick<EventStore, 'readAll'>,
  clock: Clock,
): void {
  const registers = [registry];
  new Counter({
    name: 'coretex_archiver_jobs_total',
    help: 'Finished jobs the archiver passed, by outcome: archived, already_archived (a replay), too_late (first events aged out first)',
    labelNames: ['outcome'] as const,
    registers,
    collect() {
      this.reset();
      if (!archiver.active) return;
      const { archived, alreadyArchived, tooLate } = archiver.stats;
      this.inc({ outcome: 'archived' }, archived);
      this.inc({ outcome: 'already_archived' }, alreadyArchived);
      this.inc({ outcome: 'too_late' }, tooLate);
    },
  });
  new Gauge({
    name: 'coretex_archiver_behind_seconds',
    help: 'Age of the first job event past the archiver cursor (0: there is none)',
    labelNames: ['stream'] as const,
    registers,
    async collect() {
      this.reset();
      if (!archiver.active) return;
      // Left out, not 0, when the stream cannot be asked: a failed sample must not fail the scrape.
      const next = await events.readAll('job', { from: archiver.savedPosition + 1, limit: 1 }).catch(() => null);
      if (next === null) return;
      const storedAt = next[0] === undefined ? null : Date.parse(next[0].time);
      this.set({ stream: 'job' }, storedAt === null ? 0 : Math.max(0, clock.now() - storedAt) / 1000);
    },
  });
}

/**
 * The projector thread's V8 heap (projector-thread.ts): `nodejs_heap_*` are the main thread's, and the
 * projector's readers hold what they have read ahead there. From its last report, at most a second old.
 */
export function registerProjectorThreadMetrics(
  registry: Registry,
  thread: { readonly heap: { readonly usedBytes: number; readonly totalBytes: number } },
): void {
  new Gauge({
    name: 'coretex_projector_thread_heap_bytes',
    help: "The projector thread's V8 heap: used and total (the nodejs_heap_* metrics are the main thread's)",
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.set({ kind: 'used' }, thread.heap.usedBytes);
      this.set({ kind: 'total' }, thread.heap.totalBytes);
    },
  });
}
