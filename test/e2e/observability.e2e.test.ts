/**
 * Observability of a running Coretex (SPEC 6): `coretex start` and example workers as processes on
 * NATS + Redis. After some activity, `/metrics` has every family the spec lists with its labels —
 * jobs by state and topic, dispatch latency, queue depth per topic and per tenant, projection lag,
 * events appended by stream, the breaker's state, API latency by route, reconciler actions — and the
 * JSON log lines about a job carry its job id and the trace its `traceparent` named, which also
 * reaches the job's events and the worker's env.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { type E2E, finished, startInstallation } from './support/installation.ts';
import { KEYS, killAll, startWorker } from './support/processes.ts';

const SYSTEM = {
  routing: {
    topics: { 'job.obs': 'obs', 'job.paused': 'obs', 'job.nobody': 'nobody', 'job.fails': 'fails' },
    pools: { obs: { requires: [] }, nobody: { requires: [] }, fails: { requires: [] } },
    paused_topics: ['job.paused'],
  },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000 },
  // Every globex job waits at its tenant's limit.
  limits: { max_concurrent: null, tenants: { globex: { max_concurrent: 0 } } },
};

const traceparent = (trace: string) => `00-${trace}-00f067aa0ba902b7-01`;

let e: E2E;
beforeAll(async () => {
  e = await startInstallation(SYSTEM, { CORETEX_LOG_LEVEL: 'info' });
  await startWorker(e.installation, { id: 'obs-1', pool: 'obs', echoEnv: ['traceparent', 'trace_id'] });
  await startWorker(e.installation, { id: 'fails-1', pool: 'fails', failRate: 1 });
}, 90_000);
afterAll(async () => {
  await killAll();
});

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${e.coretex.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
  expect(response.status).toBe(200);
  const samples: Sample[] = [];
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Waits until the metric (with those labels) reaches `atLeast`; its value. */
function metricReaches(name: string, labels: Record<string, string>, atLeast: number): Promise<number> {
  return waitFor(
    `${name}${JSON.stringify(labels)} ≥ ${atLeast}`,
    async () => {
      const value = valueOf(await scrape(), name, labels);
      return value >= atLeast ? value : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

/** The JSON log lines Coretex has written so far. */
function logLines(): Record<string, unknown>[] {
  return e.coretex
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

function logLine(what: string, match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return waitFor(what, () => logLines().find(match), { timeoutMs: 30_000, intervalMs: 100 });
}

async function submit(body: Record<string, unknown>, headers: Record<string, string> = {}, tenant?: string) {
  const api = tenant === undefined ? e.api : e.admin;
  const answer = await api.post<{ job_id: string; trace_id: string }>(
    `/api/v1/jobs${tenant === undefined ? '' : `?tenant=${tenant}`}`,
    body,
    headers,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body;
}

describe('observability (processes, NATS + Redis)', () => {
  it('a traceparent on submit is the job’s trace: in its answer, every event, the worker’s env', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const job = await submit({ topic: 'job.obs', payload: { traced: true } }, { traceparent: traceparent(trace) });
    expect(job.trace_id).toBe(trace);
    const done = await finished(e.api, job.job_id);
    expect(done).toMatchObject({
      state: 'SUCCEEDED',
      trace_id: trace,
      result: { env: { traceparent: traceparent(trace), trace_id: trace } },
    });
    const events = await e.api.get<{ items: { type: string; trace_id: string }[] }>(
      `/api/v1/jobs/${job.job_id}/events`,
    );
    expect(events.body.items.map((event) => event.type)).toEqual([
      'JobSubmitted',
      'JobScheduled',
      'JobDispatched',
      'JobSucceeded',
    ]);
    expect(events.body.items.every((event) => event.trace_id === trace)).toBe(true);
  });

  it('a job that fails for good is one JSON log line with its job id, tenant and trace', async () => {
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const job = await submit({ topic: 'job.fails', retry: { max_attempts: 1 } }, { traceparent: traceparent(trace) });
    expect((await finished(e.api, job.job_id)).state).toBe('FAILED');
    const line = await logLine('the dead-letter line', (l) => l.msg === 'job dead-lettered' && l.job_id === job.job_id);
    expect(line).toMatchObject({ level: 30, name: 'coretex', tenant: 'acme', trace_id: trace, final_state: 'FAILED' });
    expect(line.time).toEqual(expect.any(Number));
  });

  it('/metrics: jobs by state and topic, dispatch latency, events by stream, API latency by route, projection lag', async () => {
    for (let i = 0; i < 3; i++) await finished(e.api, (await submit({ topic: 'job.obs', payload: i })).job_id);
    await metricReaches('coretex_jobs', { state: 'SUCCEEDED', topic: 'job.obs' }, 4);
    const samples = await scrape();
    expect(valueOf(samples, 'coretex_dispatch_latency_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(valueOf(samples, 'coretex_dispatch_latency_seconds_bucket', { le: '+Inf' })).toBe(
      valueOf(samples, 'coretex_dispatch_latency_seconds_count'),
    );
    expect(valueOf(samples, 'coretex_events_appended_total', { stream: 'job' })).toBeGreaterThanOrEqual(16);
    expect(valueOf(samples, 'coretex_events_appended_total', { stream: 'config' })).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(samples, 'coretex_api_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/jobs',
        status: '202',
      }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      valueOf(samples, 'coretex_api_request_duration_seconds_count', { route: '/api/v1/jobs/:id', method: 'GET' }),
    ).toBeGreaterThanOrEqual(1);
    const lag = samples.filter((s) => s.name === 'coretex_projection_lag_events');
    expect(lag.map((s) => `${s.labels.projection}/${s.labels.stream}`)).toEqual(
      expect.arrayContaining(['jobs/job', 'dlq/dlq', 'runs/run', 'config/config']),
    );
    expect(lag.every((s) => Number.isInteger(s.value) && s.value >= 0)).toBe(true);
  });

  it('/metrics: queue depth per topic (a paused topic) and per tenant (a tenant at its limit)', async () => {
    await submit({ topic: 'job.paused' });
    await submit({ topic: 'job.paused' });
    await submit({ topic: 'job.obs' }, {}, 'globex');
    await metricReaches('coretex_queue_depth', { queue: 'paused', topic: 'job.paused', tenant: '' }, 2);
    await metricReaches('coretex_queue_depth', { queue: 'tenant_limit', topic: '', tenant: 'globex' }, 1);
    // Waiting jobs are PENDING by topic too.
    expect(valueOf(await scrape(), 'coretex_jobs', { state: 'PENDING', topic: 'job.paused' })).toBe(2);
  });

  it('/metrics: reconciler actions — a job timeout, and a run’s timer (a delay step)', async () => {
    // No worker serves job.nobody: the job waits until its deadline passes, which the reconciler records.
    const job = await submit({ topic: 'job.nobody', deadline_ms: 300 });
    expect((await finished(e.api, job.job_id)).state).toBe('TIMEOUT');
    await metricReaches('coretex_reconciler_actions_total', { action: 'timeout' }, 1);

    const defined = await e.api.post('/api/v1/workflows', {
      id: 'obs-delay',
      steps: { pause: { type: 'delay', delay_ms: 200 } },
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const run = await e.api.post<{ run_id: string }>('/api/v1/workflows/obs-delay/runs', {});
    expect(run.status).toBe(201);
    await waitFor(
      'the delay run to succeed',
      async () =>
        (await e.api.get<{ status: string }>(`/api/v1/workflow-runs/${run.body.run_id}`)).body.status === 'SUCCEEDED',
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await metricReaches('coretex_reconciler_actions_total', { action: 'run_timers' }, 1);
    expect(valueOf(await scrape(), 'coretex_events_appended_total', { stream: 'run' })).toBeGreaterThanOrEqual(2);
  });

  it('a safety kernel that is down opens the breaker (gauge 2), defers the job, and logs it with its trace', async () => {
    expect(valueOf(await scrape(), 'coretex_safety_breaker_state')).toBe(0);
    const org = await e.admin.put('/api/v1/config/org/initech', {
      data: {
        safety: {
          remote: { url: `http://127.0.0.1:${await closedPort()}/decide`, timeout_ms: 500 },
          breaker: { failure_threshold: 1, open_ms: 600_000, half_open_max_probes: 1, success_threshold: 1 },
        },
      },
    });
    expect(org.status, JSON.stringify(org.body)).toBe(200);
    const trace = 'a3ce929d0e0e47364bf92f3577b34da6';
    const job = await submit({ topic: 'job.obs' }, { traceparent: traceparent(trace) }, 'initech');
    const line = await logLine('the kernel failure line', (l) => l.msg === 'safety kernel call failed');
    expect(line).toMatchObject({ level: 40, job_id: job.job_id, tenant: 'initech', trace_id: trace });
    await metricReaches('coretex_safety_breaker_state', {}, 2);
    await metricReaches('coretex_queue_depth', { queue: 'deferred' }, 1);
  });
});

/** A port nothing listens on: one the OS just handed out and was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
