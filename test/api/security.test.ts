/**
 * Security and the error contract (SPEC 6): keys by header, open mode only on loopback, per-key rate
 * limits with Retry-After, body limits (413), media types (415), request timeouts, problem details for
 * every error, and 5xx that never leak internals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey, parseApiKeys } from '../../src/api/auth/api-keys.ts';
import { assertSafeBinding, DEFAULT_API_CONFIG, isLoopback } from '../../src/api/config.ts';
import { ConfigError } from '../../src/app/config-error.ts';
import type { ProblemBody, PutConfigAnswer } from './support/answers.ts';
import { apiKeys, type RunningApi, startApi } from './support/harness.ts';

let api: RunningApi | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

const putOrg = (running: RunningApi, headers: Record<string, string>, payload: string, org = 'acme') =>
  running.app.inject({
    method: 'PUT',
    url: `/api/v1/config/org/${org}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  });

describe('API keys', () => {
  it('accepts Authorization: Bearer and X-API-Key, and records the key id as the actor', async () => {
    api = await startApi();
    const bearer = await putOrg(api, { authorization: 'Bearer secret-acmeAdmin' }, '{"data":{"a":1}}');
    expect(bearer.statusCode).toBe(200);
    const header = await putOrg(api, { 'x-api-key': 'secret-acmeAdmin' }, '{"data":{"a":2}}');
    expect(header.statusCode).toBe(200);
    const history = await api.events.read({ type: 'config', tenant: 'acme', id: 'org:acme' });
    expect(history.events.map((e) => e.actor)).toEqual(['api:acmeAdmin', 'api:acmeAdmin']);
    const wrongScheme = await putOrg(api, { authorization: 'Basic secret-acmeAdmin' }, '{"data":{}}');
    expect(wrongScheme.statusCode).toBe(401);
    expect(wrongScheme.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 401 before reading the body: no key and a bad body is still 401', async () => {
    api = await startApi();
    const res = await putOrg(api, {}, '{not json');
    expect(res.statusCode).toBe(401);
  });

  it('carries a W3C traceparent into the event and answers with a request id', async () => {
    api = await startApi();
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await putOrg(
      api,
      { ...api.auth('acmeAdmin'), traceparent: `00-${trace}-00f067aa0ba902b7-01` },
      '{"data":{"t":1}}',
    );
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const history = await api.events.read({ type: 'config', tenant: 'acme', id: 'org:acme' });
    expect(history.events.at(-1)?.trace_id).toBe(trace);
  });

  it('parses CORETEX_API_KEYS and names the bad entry', () => {
    const hash = hashApiKey('k');
    expect(parseApiKeys(JSON.stringify([{ id: 'a', hash: `sha256:${hash}`, tenant: '*', role: 'admin' }]))).toEqual([
      { id: 'a', hash, tenant: '*', role: 'admin' },
    ]);
    expect(parseApiKeys(undefined)).toEqual([]);
    const bad = [
      'not json',
      '{}',
      JSON.stringify([{ id: 'a', hash, tenant: 'acme', role: 'root' }]),
      JSON.stringify([{ id: 'a', hash: 'abc', tenant: 'acme', role: 'viewer' }]),
      JSON.stringify([{ id: 'a', hash, tenant: 'a.b', role: 'viewer' }]),
      JSON.stringify([
        { id: 'a', hash, tenant: 'acme', role: 'viewer' },
        { id: 'a', hash: hashApiKey('other'), tenant: 'acme', role: 'viewer' },
      ]),
      JSON.stringify([{ id: 'a', hash, tenant: 'acme', role: 'viewer', extra: 1 }]),
    ];
    for (const text of bad) expect(() => parseApiKeys(text), text).toThrow(ConfigError);
  });
});

describe('open mode', () => {
  it('runs open on loopback: callers act as admin of the default tenant', async () => {
    api = await startApi({ keys: [] });
    const res = await putOrg(api, {}, '{"data":{"open":true}}', 'default');
    expect(res.statusCode).toBe(200);
    expect(res.json<PutConfigAnswer>().org_id).toBe('default');
    expect((await putOrg(api, {}, '{"data":{}}', 'acme')).statusCode).toBe(404);
    const system = await api.app.inject({
      method: 'PUT',
      url: '/api/v1/config/system/default',
      headers: { 'content-type': 'application/json' },
      payload: '{"data":{}}',
    });
    expect(system.statusCode).toBe(200);
  });

  it('refuses to build without keys on a non-loopback address, with a clear error', () => {
    expect(() => assertSafeBinding({ host: '0.0.0.0', keys: [] })).toThrow(/CORETEX_API_KEYS|127\.0\.0\.1/);
    expect(() => assertSafeBinding({ host: '10.1.2.3', keys: [] })).toThrow(ConfigError);
    expect(() => assertSafeBinding({ host: '0.0.0.0', keys: apiKeys() })).not.toThrow();
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.1', 'example.com']) expect(isLoopback(host), host).toBe(false);
  });

  it('buildApp itself refuses the unsafe binding', async () => {
    await expect(startApi({ keys: [], config: { host: '0.0.0.0' } })).rejects.toThrow(ConfigError);
  });
});

describe('limits', () => {
  it('rate-limits per key with 429 and Retry-After; another key is not affected', async () => {
    api = await startApi({ config: { rateLimit: { max: 3, windowMs: 60_000 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('acmeViewer') })).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('acmeViewer') });
    expect(limited.json<ProblemBody>()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('acmeAdmin') })).statusCode,
    ).toBe(200);
    // Health probes are never limited.
    expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('honours a per-key rate_limit', async () => {
    const keys = apiKeys().map((key) => (key.id === 'acmeViewer' ? { ...key, rate_limit: 1 } : key));
    api = await startApi({ keys });
    const first = await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('acmeViewer') });
    const second = await api.app.inject({ method: 'GET', url: '/api/v1/status', headers: api.auth('acmeViewer') });
    expect([first.statusCode, second.statusCode]).toEqual([200, 429]);
  });

  it('answers 413 for a body over the limit, 415 for a body that is not JSON, 400 for bad JSON', async () => {
    api = await startApi({ config: { bodyLimitBytes: 1024 } });
    const big = await putOrg(api, api.auth('acmeAdmin'), JSON.stringify({ data: { x: 'y'.repeat(2000) } }));
    expect(big.statusCode).toBe(413);
    expect(big.json<ProblemBody>()).toMatchObject({ status: 413, code: 'body_too_large' });
    const text = await api.app.inject({
      method: 'PUT',
      url: '/api/v1/config/org/acme',
      headers: { ...api.auth('acmeAdmin'), 'content-type': 'text/plain' },
      payload: 'data',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json<ProblemBody>().code).toBe('unsupported_media_type');
    const broken = await putOrg(api, api.auth('acmeAdmin'), '{"data":');
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    const proto = await putOrg(api, api.auth('acmeAdmin'), '{"data":{"__proto__":{"x":1}}}');
    expect(proto.statusCode).toBe(400);
    expect(proto.json<ProblemBody>()).toMatchObject({ code: 'forbidden_key', field: 'body' });
    const ctor = await putOrg(api, api.auth('acmeAdmin'), '{"data":{"constructor":{"prototype":{}}}}');
    expect(ctor.json<ProblemBody>().code).toBe('forbidden_key');
    // Spelled with escapes, the key is the same key once parsed.
    const escaped = await putOrg(api, api.auth('acmeAdmin'), '{"data":{"\\u005f_proto__":{"x":1}}}');
    expect(escaped.statusCode).toBe(400);
    expect(escaped.json<ProblemBody>().code).toBe('forbidden_key');
    const escapedCtor = await putOrg(api, api.auth('acmeAdmin'), '{"data":{"c\\u006fnstructor":{"prototype":{}}}}');
    expect(escapedCtor.json<ProblemBody>().code).toBe('forbidden_key');
    const empty = await putOrg(api, api.auth('acmeAdmin'), '');
    expect(empty.statusCode).toBe(400);
  });

  it('answers 503 with Retry-After when a request takes longer than the timeout', async () => {
    api = await startApi({ config: { requestTimeoutMs: 50, minPositionWaitMs: 5_000 } });
    const res = await api.app.inject({
      method: 'GET',
      url: '/api/v1/config/effective?org_id=acme&min_position=config:99999',
      headers: api.auth('acmeViewer'),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json<ProblemBody>().code).toBe('timeout');
  });

  it('lets a long poll wait past the request timeout, and answers a quick request once, in time', async () => {
    api = await startApi({ config: { requestTimeoutMs: 100 } });
    const headers = { ...api.auth('acmeOperator'), 'content-type': 'application/json' };
    // Not due for a minute, so the job stays unfinished for the whole wait.
    const submitted = await api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers,
      payload: { topic: 'job.default', run_at: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(submitted.statusCode).toBe(202);
    const { job_id } = submitted.json<{ job_id: string }>();
    const started = Date.now();
    const waited = await api.app.inject({ method: 'GET', url: `/api/v1/jobs/${job_id}?wait=600ms`, headers });
    expect(waited.statusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(waited.json<{ state: string }>().state).toBe('PENDING');
    // Answered well before its time: no late 503 follows (inject would throw on a second answer).
    const quick = await api.app.inject({ method: 'GET', url: `/api/v1/jobs/${job_id}`, headers });
    expect(quick.statusCode).toBe(200);
  });
});

describe('problem details', () => {
  it('an unknown route is a 404 problem', async () => {
    api = await startApi();
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: api.auth('acmeViewer') });
    expect(res.statusCode).toBe(404);
    expect(res.json<ProblemBody>()).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not Found' });
  });

  it('a server error answers a generic 500 naming the request id, never the internals', async () => {
    api = await startApi();
    const failing = api.deps.config as unknown as { get: () => Promise<never> };
    failing.get = () => Promise.reject(new Error('redis password is hunter2 at 10.0.0.7'));
    const res = await api.app.inject({
      method: 'GET',
      url: '/api/v1/config/org/acme',
      headers: api.auth('acmeViewer'),
    });
    expect(res.statusCode).toBe(500);
    const body = res.json<ProblemBody>();
    expect(body).toMatchObject({ status: 500, code: 'internal', request_id: res.headers['x-request-id'] });
    expect(res.body).not.toMatch(/hunter2|10\.0\.0\.7|stack|redis/);
  });

  it('DEFAULT_API_CONFIG listens on loopback:8080', () => {
    expect([DEFAULT_API_CONFIG.host, DEFAULT_API_CONFIG.port]).toEqual(['127.0.0.1', 8080]);
  });
});
