/**
 * Helpers for the job endpoint tests: raw requests (so every status and header can be checked), a
 * worker played over the protocol on the API's bus, and safety rules that make jobs wait for approval.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { FakeWorker, type FakeWorkerOptions } from '../../support/fake-worker.ts';
import { waitFor } from '../../harness/wait-for.ts';
import type { ProblemBody } from './answers.ts';
import type { KeyName, RunningApi } from './harness.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Call {
  readonly method: Method;
  readonly url: string;
  readonly key?: KeyName | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export function call(api: RunningApi, request: Call): Promise<LightMyRequestResponse> {
  const key = request.key === undefined ? 'acmeOperator' : request.key;
  return api.app.inject({
    method: request.method,
    url: request.url,
    headers: {
      ...(key === null ? {} : api.auth(key)),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    },
    ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
  });
}

export const post = (
  api: RunningApi,
  url: string,
  body?: unknown,
  key?: KeyName | null,
  headers?: Record<string, string>,
) =>
  call(api, {
    method: 'POST',
    url,
    ...(body === undefined ? {} : { body }),
    ...(key === undefined ? {} : { key }),
    ...(headers === undefined ? {} : { headers }),
  });

export const get = (api: RunningApi, url: string, key: KeyName | null = 'acmeViewer') =>
  call(api, { method: 'GET', url, key });

/** Submits as the acme operator and expects 202; the answer's body. */
export async function submitted(
  api: RunningApi,
  body: Record<string, unknown> = {},
  key: KeyName = 'acmeOperator',
): Promise<{ job_id: string; trace_id: string; state: string; position: string }> {
  const res = await post(api, '/api/v1/jobs', body, key);
  expect(res.statusCode, res.body).toBe(202);
  return res.json();
}

/** A worker on the API's bus, in the registry before this returns. */
export async function startWorker(api: RunningApi, options: Omit<FakeWorkerOptions, 'prefix'>): Promise<FakeWorker> {
  const worker = await new FakeWorker(api.bus, await api.workers(), { ...options, prefix: api.prefix }).start();
  await waitFor(`worker ${options.id} in the registry`, () => api.rt.registry.registry.workers.has(options.id));
  return worker;
}

/** Built-in safety rules under which jobs tagged `prod` wait for approval (written as an admin would). */
export async function requireApprovalFor(api: RunningApi, tag: string, extra: Record<string, unknown> = {}) {
  const res = await call(api, {
    method: 'PUT',
    url: '/api/v1/config/system/default',
    key: 'starAdmin',
    body: { data: { safety: { rules: { approval_risk_tags: [tag], ...extra } } } },
  });
  expect(res.statusCode, res.body).toBe(200);
  // The runtime reads config from the read model and caches it: wait until its resolver has the rules.
  const wanted = Object.entries({ approval_risk_tags: [tag], ...extra });
  await waitFor('the runtime to see the safety rules', async () => {
    const config = await api.rt.config.resolve({ org_id: 'acme', team_id: null, workflow_id: null, step_id: null });
    const rules = config.settings.safety.rules as unknown as Record<string, unknown>;
    return wanted.every(([name, value]) => JSON.stringify(rules[name]) === JSON.stringify(value));
  });
}

export function problemOf(res: LightMyRequestResponse): ProblemBody {
  expect(res.headers['content-type']).toContain('application/problem+json');
  return res.json<ProblemBody>();
}

/** Expects a problem with this status (and field, when given). */
export function expectProblem(res: LightMyRequestResponse, status: number, field?: string): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  const body = problemOf(res);
  if (field !== undefined) expect(body.field, res.body).toBe(field);
  return body;
}
