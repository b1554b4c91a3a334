/**
 * The workflow and run command endpoints under fuzz (see endpoints.ts). The API under fuzz runs no
 * workflows role (its writes would move stream heads while a 4xx is checked), so where a valid
 * request needs a run in a state, `prepare` takes the process manager's scheduling decision itself
 * (`ScheduleRun`, which puts an approval step in WAITING) and cancels through the API.
 */
import fc from 'fast-check';
import { executeRun } from '../../../src/app/workflows/run-repository.ts';
import { streamId } from '../../../src/domain/shared/stream.ts';
import type { RunningApi } from '../support/harness.ts';
import type { FuzzEndpoint, ValidRequest } from './endpoints.ts';

const freshId = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/).map((text) => `w${text}`);

/**
 * A workflow id no request used before (a create of a used id is 409). Made in `prepare`, which runs
 * for every try, shrinking included: an id made by the generator would be sent again when shrinking.
 */
let created = 0;
const unused = (id: string) => `${id}-${++created}`;
const plausibleId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), freshId, fc.constant('fuzz-gate'));
const stepId = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const reason = fc.option(fc.string({ maxLength: 40 }), { nil: undefined });
/** JSON values a valid request may carry: any but a `__proto__` key, which every body refuses. */
const json = (maxDepth: number) =>
  fc.jsonValue({ maxDepth }).filter((value) => !JSON.stringify(value).includes('"__proto__"'));
/**
 * fast-check repeats uuids (and replays while shrinking): an idempotency key made unique per request
 * keeps a valid request valid (a reused key with another body is a 409 by design).
 */
let keys = 0;
const freshKey = (request: ValidRequest): ValidRequest => {
  const key = request.headers?.['idempotency-key'];
  return key === undefined
    ? request
    : { ...request, headers: { ...request.headers, 'idempotency-key': `${key}-${++keys}` } };
};

const step = fc.record(
  {
    topic: fc.constantFrom('job.default', 'job.other', 'job.a-b.c_d'),
    input: json(2).filter((value) => !JSON.stringify(value).includes('${')),
    retry: fc.record(
      { max_retries: fc.integer({ min: 0, max: 5 }), multiplier: fc.integer({ min: 1, max: 10 }) },
      { requiredKeys: [] },
    ),
    timeout_ms: fc.integer({ min: 1, max: 86_400_000 }),
    labels: fc.dictionary(
      // Not the labels Coretex sets on every step job (`workflow_id`, `run_id`, ...).
      fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/),
      fc.stringMatching(/^[a-z0-9]{1,10}$/),
      { maxKeys: 3 },
    ),
    meta: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), json(1), { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

/** A chain of job steps (each depends on the one before), and sometimes an approval at the end. */
const definition: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.uniqueArray(stepId, { minLength: 1, maxLength: 4 }),
    fc.array(step, { minLength: 4, maxLength: 4 }),
    fc.boolean(),
    fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,39}$/),
        description: fc.string({ maxLength: 80 }),
        team_id: fc.stringMatching(/^[a-z0-9_-]{1,10}$/),
        timeout_ms: fc.integer({ min: 1, max: 86_400_000 }),
        input_schema: fc.constantFrom(
          { type: 'object' },
          { type: 'object', properties: { n: { type: 'integer' } } },
          true,
        ),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([ids, steps, gate, top]) => {
    const chain: Record<string, unknown> = {};
    ids.forEach((id, i) => {
      chain[id] = { ...steps[i], ...(i === 0 ? {} : { depends_on: [ids[i - 1]] }) };
    });
    if (gate && !ids.includes('gate')) chain.gate = { type: 'approval', depends_on: [ids.at(-1)] };
    return { ...top, steps: chain };
  });

const GATE_ID = 'fuzz-gate';
const GATE = { id: GATE_ID, input_schema: { type: 'object' }, steps: { gate: { type: 'approval' } } };

async function inject(api: RunningApi, method: 'POST' | 'PUT', url: string, body: unknown, key = 'acmeAdmin') {
  return api.app.inject({
    method,
    url,
    headers: { ...api.auth(key as 'acmeAdmin'), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

async function createWorkflow(api: RunningApi, body: Record<string, unknown>): Promise<void> {
  const res = await inject(api, 'POST', '/api/v1/workflows', body);
  if (res.statusCode !== 201) throw new Error(`prepare: create failed: ${res.statusCode} ${res.body}`);
}

/** The approval-only workflow the run endpoints use (created once). */
async function gateWorkflow(api: RunningApi): Promise<void> {
  const found = await api.app.inject({
    method: 'GET',
    url: `/api/v1/workflows/${GATE_ID}`,
    headers: api.auth('acmeViewer'),
  });
  if (found.statusCode !== 200) await createWorkflow(api, GATE);
}

/** A run of the gate workflow with its approval step WAITING (the process manager's decision, taken here). */
async function waitingRun(api: RunningApi): Promise<string> {
  await gateWorkflow(api);
  const res = await inject(api, 'POST', `/api/v1/workflows/${GATE_ID}/runs`, {}, 'acmeOperator');
  if (res.statusCode !== 201) throw new Error(`prepare: start failed: ${res.statusCode} ${res.body}`);
  const runId = res.json<{ run_id: string }>().run_id;
  const scheduled = await executeRun(
    api.wf.runs,
    api.events,
    streamId('run', 'acme', runId),
    () => ({ type: 'ScheduleRun', now: Date.now() }),
    { actor: 'fuzz' },
  );
  if (scheduled instanceof Error) throw scheduled;
  if (scheduled.after.state.status !== 'WAITING')
    throw new Error(`prepare: the run is ${scheduled.after.state.status}`);
  return runId;
}

const withRun =
  (ended: boolean) =>
  async (api: RunningApi, request: ValidRequest): Promise<ValidRequest> => {
    const runId = await waitingRun(api);
    if (ended) {
      const res = await inject(api, 'POST', `/api/v1/workflow-runs/${runId}/cancel`, {}, 'acmeOperator');
      if (res.statusCode !== 200) throw new Error(`prepare: cancel failed: ${res.statusCode} ${res.body}`);
    }
    return { ...request, params: { ...request.params, run_id: runId } };
  };

const runParams = { run_id: fc.oneof(fc.stringMatching(/^[0-9A-Z]{26}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)) };

export const WORKFLOW_COMMAND_ENDPOINTS: readonly FuzzEndpoint[] = [
  {
    method: 'POST',
    template: '/api/v1/workflows',
    params: {},
    validBody: definition,
    valid: fc.tuple(definition, fc.option(freshId, { nil: undefined })).map(([body, id]) => ({
      key: 'acmeAdmin' as const,
      params: {},
      body: id === undefined ? body : { ...body, id },
    })),
    prepare(_api, request) {
      const body = request.body as Record<string, unknown>;
      return Promise.resolve(
        typeof body.id === 'string' ? { ...request, body: { ...body, id: unused(body.id) } } : request,
      );
    },
    accepted: [201],
    caller: 'acmeAdmin',
  },
  {
    method: 'PUT',
    template: '/api/v1/workflows/{id}',
    params: { id: plausibleId },
    validBody: definition,
    valid: fc.tuple(freshId, definition, fc.boolean()).map(([id, body, conditional]) => ({
      key: 'acmeAdmin' as const,
      params: { id },
      body,
      ...(conditional ? { headers: { 'if-match': '"1"' } } : {}),
    })),
    async prepare(api, request) {
      const id = unused(request.params.id ?? 'w');
      await createWorkflow(api, { id, steps: { a: {} } });
      return { ...request, params: { id } };
    },
    accepted: [200],
    caller: 'acmeAdmin',
  },
  {
    method: 'DELETE',
    template: '/api/v1/workflows/{id}',
    params: { id: plausibleId },
    validBody: fc.constantFrom(undefined, {}),
    valid: fc.tuple(freshId, fc.boolean()).map(([id, conditional]) => ({
      key: 'acmeAdmin' as const,
      params: { id },
      ...(conditional ? { headers: { 'if-match': '"1"' } } : {}),
    })),
    async prepare(api, request) {
      const id = unused(request.params.id ?? 'w');
      await createWorkflow(api, { id, steps: { a: {} } });
      return { ...request, params: { id } };
    },
    accepted: [204],
    caller: 'acmeAdmin',
  },
  {
    method: 'POST',
    template: '/api/v1/workflows/{id}/runs',
    params: { id: plausibleId },
    validBody: fc.record({ input: json(2) }),
    valid: fc
      .tuple(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), json(2), { maxKeys: 4 }),
        fc.option(fc.stringMatching(/^[a-z0-9_-]{1,10}$/), { nil: undefined }),
        fc.option(fc.uuid(), { nil: undefined }),
      )
      .map(([input, team, key]) => ({
        key: 'acmeOperator' as const,
        params: { id: GATE_ID },
        body: { input, ...(team === undefined ? {} : { team_id: team }) },
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      })),
    prepare: async (api, request) => {
      await gateWorkflow(api);
      return freshKey(request);
    },
    accepted: [201, 200],
    caller: 'acmeOperator',
    validRuns: 100,
  },
  {
    method: 'POST',
    template: '/api/v1/workflow-runs/{run_id}/cancel',
    params: runParams,
    validBody: fc.constantFrom(undefined, {}, { reason: 'r' }),
    valid: fc.option(fc.record({ reason }, { requiredKeys: [] }), { nil: undefined }).map((body) => ({
      key: 'acmeOperator' as const,
      params: { run_id: '' },
      ...(body === undefined ? {} : { body }),
    })),
    prepare: withRun(false),
    accepted: [200],
    caller: 'acmeOperator',
    validRuns: 60,
  },
  {
    method: 'POST',
    template: '/api/v1/workflow-runs/{run_id}/steps/{step_id}/approve',
    params: { ...runParams, step_id: fc.oneof(stepId, fc.constant('gate')) },
    validBody: fc.record({ approved: fc.boolean(), reason }, { requiredKeys: ['approved'] }),
    valid: fc.tuple(fc.boolean(), reason).map(([approved, why]) => ({
      key: 'acmeOperator' as const,
      params: { run_id: '', step_id: 'gate' },
      body: { approved, ...(why === undefined ? {} : { reason: why }) },
    })),
    prepare: withRun(false),
    accepted: [200],
    caller: 'acmeOperator',
    validRuns: 60,
  },
  {
    method: 'POST',
    template: '/api/v1/workflow-runs/{run_id}/rerun',
    params: runParams,
    validBody: fc.constantFrom(undefined, {}, { from_step: 'gate' }, { from_step: null }),
    valid: fc
      .tuple(
        fc.constantFrom(undefined, {}, { from_step: 'gate' }, { from_step: null }),
        fc.option(fc.uuid(), { nil: undefined }),
      )
      .map(([body, key]) => ({
        key: 'acmeOperator' as const,
        params: { run_id: '' },
        ...(body === undefined ? {} : { body }),
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      })),
    prepare: async (api, request) => freshKey((await withRun(true)(api, request)) ?? request),
    accepted: [201],
    caller: 'acmeOperator',
    validRuns: 60,
  },
];
