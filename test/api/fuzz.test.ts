/**
 * Fuzzing every command endpoint (test/api/fuzz/endpoints.ts) with fast-check: thousands of malformed
 * and hostile bodies, content types, keys, preconditions, queries and path parameters. For every
 * request: no 5xx; a 4xx is one the operation declares in the OpenAPI document, answered as problem
 * details; and a 4xx leaves every event stream's last position where it was. Then a generated corpus
 * of valid requests must all be accepted.
 */
import fc from 'fast-check';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_ENDPOINTS, type FuzzEndpoint, pathOf, type ValidRequest } from './fuzz/endpoints.ts';
import {
  hostileBody,
  hostileCaller,
  hostileContentType,
  hostileHeaders,
  hostileQuery,
  hostileSegment,
} from './fuzz/hostile.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';

const HOSTILE_RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const VALID_RUNS = Number(process.env.FUZZ_VALID_RUNS ?? 200);
/** The real servers are slower per request: a smaller pass there checks the same properties. */
const BACKENDS: readonly { backend: Backend; share: number }[] = [
  { backend: 'embedded', share: 1 },
  { backend: 'nats+redis', share: 0.3 },
];
const BODY_LIMIT = 16 * 1024;

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
}

describe.each(BACKENDS)('fuzzing the command endpoints on $backend', ({ backend, share }) => {
  let api: RunningApi;
  let declared: Map<string, Set<number>>;
  const tally: Tally = { requests: 0, byStatus: new Map() };

  beforeAll(async () => {
    api = await startApi({
      backend,
      config: {
        bodyLimitBytes: BODY_LIMIT,
        rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
        minPositionWaitMs: 20,
      },
    });
    const document = (
      await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    ).json<OpenAPIV3_1.Document>();
    declared = new Map();
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
        const operation = item?.[method];
        if (operation === undefined) continue;
        declared.set(`${method.toUpperCase()} ${path}`, new Set(Object.keys(operation.responses ?? {}).map(Number)));
      }
    }
  });
  afterAll(async () => {
    const summary = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
    console.log(`fuzz on ${backend}: ${tally.requests} requests; by status ${summary.join(' ')}`);
    await api.close();
  });

  const count = (status: number) => {
    tally.requests++;
    tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  };

  it('every endpoint under fuzz is in the OpenAPI document', () => {
    for (const endpoint of COMMAND_ENDPOINTS)
      expect(declared.has(`${endpoint.method} ${endpoint.template}`)).toBe(true);
  });

  for (const endpoint of COMMAND_ENDPOINTS) {
    const operation = `${endpoint.method} ${endpoint.template}`;

    it(`${operation}: hostile requests never 5xx, answer only declared 4xx, and a 4xx writes nothing`, async () => {
      const allowed = declared.get(operation) ?? new Set<number>();
      await fc.assert(
        fc.asyncProperty(hostileRequest(endpoint), async (request) => {
          const before = await api.heads();
          const res = await api.app.inject({
            method: endpoint.method,
            url: pathOf(endpoint.template, request.params) + request.query,
            headers: {
              ...request.headers,
              ...(request.caller.kind === 'key' ? api.auth(request.caller.key) : request.caller.headers),
              ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
            },
            ...(request.body === undefined ? {} : { payload: request.body }),
          });
          count(res.statusCode);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect([...allowed], `${res.statusCode} ${res.body}`).toContain(res.statusCode);
            expect(res.headers['content-type']).toContain('application/problem+json');
            expect(await api.heads()).toEqual(before);
          }
        }),
        { numRuns: Math.ceil(HOSTILE_RUNS * share) },
      );
    });

    it(`${operation}: a generated corpus of valid requests is accepted`, async () => {
      await fc.assert(
        fc.asyncProperty(endpoint.valid, async (request) => {
          const prepared = (await endpoint.prepare?.(api, request)) ?? request;
          const res = await send(api, endpoint, prepared);
          count(res.statusCode);
          expect(endpoint.accepted, `${res.statusCode} ${res.body}`).toContain(res.statusCode);
        }),
        { numRuns: Math.ceil((endpoint.validRuns ?? VALID_RUNS) * share) },
      );
    });
  }
});

function hostileRequest(endpoint: FuzzEndpoint) {
  const params = fc.record(
    Object.fromEntries(Object.entries(endpoint.params).map(([name, plausible]) => [name, hostileSegment(plausible)])),
  ) as fc.Arbitrary<Record<string, string>>;
  return fc.record({
    params,
    query: hostileQuery,
    caller: hostileCaller(endpoint.caller),
    headers: hostileHeaders,
    contentType: hostileContentType,
    body: hostileBody(endpoint.validBody, BODY_LIMIT),
  });
}

function send(api: RunningApi, endpoint: FuzzEndpoint, request: ValidRequest) {
  return api.app.inject({
    method: endpoint.method,
    url: pathOf(endpoint.template, request.params),
    headers: {
      ...api.auth(request.key),
      ...request.headers,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
  });
}
