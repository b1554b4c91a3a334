/**
 * Operational endpoints (SPEC 5, 6): health, readiness, metrics, status with per-projection lag, and
 * rebuilds started over HTTP — each with its roles (401/403), bad input (400) and unknown names (404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemBody, ReadyAnswer, StatusAnswer } from './support/answers.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';
import { waitFor } from '../harness/wait-for.ts';

describe.each<Backend>(['embedded', 'nats+redis'])('operations on %s', (backend) => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => {
    await api.close();
  });

  it('GET /health answers without a key', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready checks the event store and the read models; 503 + Retry-After when one fails', async () => {
    const ok = await api.app.inject({ method: 'GET', url: '/ready' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<ReadyAnswer>()).toEqual({ status: 'ready', checks: { event_store: 'ok', read_models: 'ok' } });
    const events = api.deps.events as { headPosition: (type: string) => Promise<number> };
    const original = events.headPosition;
    events.headPosition = () => Promise.reject(new Error('nats down'));
    try {
      const down = await api.app.inject({ method: 'GET', url: '/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.headers['retry-after']).toBe('1');
      expect(down.json<ReadyAnswer>()).toMatchObject({ status: 'not_ready', checks: { event_store: 'nats down' } });
    } finally {
      events.headPosition = original;
    }
  });

  it('GET /metrics: Prometheus text with API latency by route and events appended by stream; needs a * key', async () => {
    await api.app.inject({
      method: 'PUT',
      url: '/api/v1/config/org/acme',
      headers: { ...api.auth('acmeAdmin'), 'content-type': 'application/json' },
      payload: '{"data":{"m":1}}',
    });
    const res = await api.app.inject({ method: 'GET', url: '/metrics', headers: api.auth('starViewer') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/coretex_events_appended_total\{stream="config"\} [1-9]/);
    expect(res.body).toMatch(
      /coretex_api_request_duration_seconds_bucket\{.*route="\/api\/v1\/config\/:scope\/:scope_id"/,
    );
    expect(res.body).toMatch(/process_cpu_user_seconds_total/);
    expect(res.body).toMatch(/coretex_projection_lag_events\{projection="config",stream="config"\} \d+/);
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const tenantKey = await api.app.inject({ method: 'GET', url: '/metrics', headers: api.auth('acmeAdmin') });
    expect(tenantKey.statusCode).toBe(403);
    expect(tenantKey.json<ProblemBody>().code).toBe('global_key_required');
  });

  it('GET /api/v1/status: backend, version, uptime, and each projection’s position, head and lag', async () => {
    const write = await api.app.inject({
      method: 'PUT',
      url: '/api/v1/config/org/acme',
      headers: { ...api.auth('acmeAdmin'), 'content-type': 'application/json' },
      payload: '{"data":{"s":1}}',
    });
    const head = Number((write.headers['x-coretex-position'] as string).split(':')[1]);
    const status = await waitFor('config caught up', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('acmeViewer') });
      const body = res.json<StatusAnswer>();
      const config = body.projections.find((p) => p.projection === 'config');
      return config?.streams[0]?.position === head ? body : undefined;
    });
    expect(status).toMatchObject({ version: '0.0.0-test', backend, checks: { event_store: 'ok', read_models: 'ok' } });
    expect(status.uptime_seconds).toBeGreaterThanOrEqual(0);
    const config = status.projections.find((p) => p.projection === 'config');
    expect(config?.streams).toEqual([{ stream: 'config', position: head, head, lag: 0 }]);
    expect(status.projections.map((p) => p.projection).sort()).toEqual([
      'config',
      'dlq',
      'job_queues',
      'jobs',
      'jobs_due',
      'runs',
      'runs_due',
      'workflows',
    ]);
    expect(status.safety).toEqual({ breaker: 'closed' });
    expect(status.workers).toEqual({ live: 0 });
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/status' })).statusCode).toBe(401);
  });

  it('POST /api/v1/projections/{name}/rebuild: 202 at once, progress in status, reads keep working', async () => {
    const started = await api.app.inject({
      method: 'POST',
      url: '/api/v1/projections/config/rebuild',
      headers: api.auth('starAdmin'),
    });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({ projection: 'config', started: true, status_url: '/api/v1/status' });
    const done = await waitFor('rebuild finished', async () => {
      const body = (
        await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('starViewer') })
      ).json<StatusAnswer>();
      const rebuild = body.projections.find((p) => p.projection === 'config')?.rebuild;
      return rebuild?.state === 'succeeded' ? body : undefined;
    });
    const config = done.projections.find((p) => p.projection === 'config');
    expect(config?.rebuild?.version).toBe(config?.version);
    expect(config?.rebuild?.events).toBeGreaterThan(0);
    const read = await api.app.inject({
      method: 'GET',
      url: '/api/v1/config/effective?org_id=acme',
      headers: api.auth('acmeViewer'),
    });
    expect(read.statusCode).toBe(200);
  });

  it('rebuild: 404 unknown projection, 400 bad name or body, 403 for a tenant admin or a viewer, 401 without a key', async () => {
    const post = (url: string, headers: Record<string, string>, payload?: string) =>
      api.app.inject({
        method: 'POST',
        url,
        headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { payload }),
      });
    const unknown = await post('/api/v1/projections/nothing/rebuild', api.auth('starAdmin'));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ProblemBody>().code).toBe('projection_not_found');
    const badName = await post('/api/v1/projections/Bad-Name/rebuild', api.auth('starAdmin'));
    expect(badName.statusCode).toBe(400);
    expect(badName.json<ProblemBody>().field).toBe('name');
    const badBody = await post('/api/v1/projections/config/rebuild', api.auth('starAdmin'), '{"force":true}');
    expect(badBody.statusCode).toBe(400);
    expect((await post('/api/v1/projections/config/rebuild', api.auth('acmeAdmin'))).statusCode).toBe(403);
    expect((await post('/api/v1/projections/config/rebuild', api.auth('starViewer'))).statusCode).toBe(403);
    expect((await post('/api/v1/projections/config/rebuild', {})).statusCode).toBe(401);
  });

  it('rebuild: a second rebuild of the same projection while one runs is 409', async () => {
    const headers = api.auth('starAdmin');
    const first = await api.app.inject({ method: 'POST', url: '/api/v1/projections/jobs/rebuild', headers });
    const second = await api.app.inject({ method: 'POST', url: '/api/v1/projections/jobs/rebuild', headers });
    expect([first.statusCode, second.statusCode]).toEqual([202, 409]);
    expect(second.json<ProblemBody>().code).toBe('rebuild_running');
    await api.deps.rebuilds.settled();
  });
});
