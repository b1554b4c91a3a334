/**
 * The job, approval, DLQ and parked-input command endpoints under fuzz (see endpoints.ts). The API
 * under fuzz runs no scheduler (its writes would move stream heads while a 4xx is checked), so the
 * `prepare` steps drive the runtime's own use cases where a valid request needs a job in a state: the
 * scheduling decision that makes a job wait for approval or fail for want of a pool, the reactor that
 * dead-letters it, the parking lot.
 */
import fc from 'fast-check';
import { scheduleJob } from '../../../src/app/jobs/dispatch.ts';
import { reactTo } from '../../../src/app/jobs/reactions.ts';
import { streamId } from '../../../src/domain/shared/stream.ts';
import { waitFor } from '../../harness/wait-for.ts';
import type { RunningApi } from '../support/harness.ts';
import type { FuzzEndpoint, ValidRequest } from './endpoints.ts';

const DAY = 86_400_000;
let unique = 0;
const name = fc.stringMatching(/^[a-z0-9_-]{1,10}$/);
/** Fresh client ids: a valid request never collides with an earlier one (that would be 409). */
const freshId = fc.uuid().map((uuid) => `f${uuid.replace(/-/g, '')}`);
const plausibleId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), freshId, fc.constant('a.r1'));
const label = fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/).filter((key) => !['region', 'zone', 'gpu'].includes(key));

const runAt = fc.oneof(
  fc.integer({ min: 1, max: 300 }).map((days) => Date.now() + days * DAY),
  fc.integer({ min: 1, max: 300 }).map((days) => new Date(Date.now() + days * DAY).toISOString()),
  fc
    .integer({ min: 1, max: 300 })
    .map((days) => new Date(Date.now() + days * DAY).toISOString().replace(/\.\d{3}Z$/, '-05:00')),
);

const submission: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    job_id: freshId,
    topic: fc.constantFrom('job.default', 'job.other', 'job.a-b.c_d'),
    // Any JSON but a `__proto__` key, which every body refuses.
    payload: fc.jsonValue({ maxDepth: 3 }).filter((value) => !JSON.stringify(value).includes('"__proto__"')),
    priority: fc.constantFrom('critical', 'interactive', 'batch'),
    team: name,
    labels: fc.dictionary(label, fc.string({ maxLength: 20 }), { maxKeys: 5 }),
    requires: fc.uniqueArray(name, { maxLength: 3 }),
    risk_tags: fc.uniqueArray(name, { maxLength: 3 }),
    idempotency_key: fc.uuid(),
    trace_id: fc.stringMatching(/^[0-9a-f]{32}$/),
    run_at: runAt,
    deadline_ms: fc.integer({ min: 1, max: 30 * DAY }),
    retry: fc.record({ max_attempts: fc.integer({ min: 1, max: 10 }) }),
    timeouts: fc.record(
      { dispatch_ms: fc.integer({ min: 1, max: DAY }), running_ms: fc.integer({ min: 1, max: DAY }) },
      { requiredKeys: [] },
    ),
    env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

const jobFilter = fc.oneof(
  fc.record({ state: fc.constantFrom('PENDING', 'RUNNING', 'APPROVAL_REQUIRED') }),
  fc.record({ topic: fc.constantFrom('job.default', 'job.other') }),
  fc.record({ team: name, state: fc.constantFrom('PENDING', 'FAILED') }),
  fc.record({ trace_id: fc.stringMatching(/^[0-9a-f]{32}$/) }),
);
const reason = fc.option(fc.string({ maxLength: 40 }), { nil: undefined });

/**
 * The acme org's own config while these endpoints are fuzzed: the config corpus rewrites the system
 * and acme documents at random, so the keys a prepared job depends on are pinned at the org level.
 */
const FUZZ_ORG = {
  safety: { rules: { approval_risk_tags: ['fuzz'] } },
  limits: {},
  routing: {},
  retry: {},
  timeouts: {},
};

async function pinOrgConfig(api: RunningApi): Promise<void> {
  const current = await api.deps.config.get(api.deps.config.parseRef('org', 'acme'));
  if (JSON.stringify(current.document?.data) !== JSON.stringify(FUZZ_ORG)) {
    const res = await api.app.inject({
      method: 'PUT',
      url: '/api/v1/config/org/acme',
      headers: { ...api.auth('acmeAdmin'), 'content-type': 'application/json' },
      payload: JSON.stringify({ data: FUZZ_ORG }),
    });
    if (res.statusCode !== 200) throw new Error(`pinning the org config failed: ${res.statusCode} ${res.body}`);
  }
  await waitFor('the runtime to read the pinned org config', async () => {
    const resolved = await api.rt.config.resolve({ org_id: 'acme', team_id: null, workflow_id: null, step_id: null });
    const data = resolved.effective.data as Record<string, unknown>;
    return Object.entries(FUZZ_ORG).every(([key, value]) => JSON.stringify(data[key]) === JSON.stringify(value));
  });
}

/** Submits `body` as the acme operator and runs the scheduler's decision on it; its stream. */
async function submitAndDecide(api: RunningApi, body: Record<string, unknown>) {
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/v1/jobs',
    headers: { ...api.auth('acmeOperator'), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  if (res.statusCode !== 202) throw new Error(`prepare: submit failed: ${res.statusCode} ${res.body}`);
  const stream = streamId('job', 'acme', res.json<{ job_id: string }>().job_id);
  const outcome = await scheduleJob(api.rt, stream);
  if (outcome !== 'decided') throw new Error(`prepare: the scheduling decision was ${JSON.stringify(outcome)}`);
  return stream;
}

/** A job waiting for approval under `job_id`; the request carrying its real hash. */
async function awaitingApproval(api: RunningApi, request: ValidRequest): Promise<ValidRequest> {
  await pinOrgConfig(api);
  const stream = await submitAndDecide(api, { job_id: request.params.job_id, risk_tags: ['fuzz'] });
  const job = await api.rt.jobs.load(stream, { fresh: true });
  if (job.state.status !== 'APPROVAL_REQUIRED') throw new Error(`prepare: the job is ${job.state.status}`);
  return { ...request, body: { ...(request.body as object), request_hash: job.state.approval_request.request_hash } };
}

/** A DLQ entry for `job_id`: a job no pool serves fails, and the runtime's reactor dead-letters it. */
async function deadLettered(api: RunningApi, request: ValidRequest): Promise<void> {
  await pinOrgConfig(api);
  const stream = await submitAndDecide(api, { job_id: request.params.job_id, topic: 'job.fuzz.unrouted' });
  const history = await api.events.read(stream);
  const failed = history.events.at(-1);
  if (failed?.type !== 'JobRoutingFailed') throw new Error(`prepare: the job ended with ${failed?.type ?? 'nothing'}`);
  await reactTo(api.rt, failed, stream);
}

const approval = (action: 'approve' | 'reject'): FuzzEndpoint => ({
  method: 'POST',
  template: `/api/v1/approvals/{job_id}/${action}`,
  params: { job_id: plausibleId },
  validBody: fc.record(
    { request_hash: fc.stringMatching(/^[0-9a-f]{64}$/), reason },
    { requiredKeys: ['request_hash'] },
  ),
  valid: fc.tuple(freshId, reason).map(([jobId, why]) => ({
    key: 'acmeOperator' as const,
    params: { job_id: jobId },
    body: { request_hash: 'filled in by prepare', ...(why === undefined ? {} : { reason: why }) },
  })),
  prepare: awaitingApproval,
  accepted: [200],
  caller: 'acmeOperator',
  validRuns: 60,
});

let parkedSeq = 0;

export const JOB_COMMAND_ENDPOINTS: readonly FuzzEndpoint[] = [
  {
    method: 'POST',
    template: '/api/v1/jobs',
    params: {},
    validBody: submission,
    valid: fc.tuple(submission, fc.option(fc.uuid(), { nil: undefined })).map(([body, key]) => ({
      key: 'acmeOperator' as const,
      params: {},
      body,
      ...(key === undefined || body.idempotency_key !== undefined ? {} : { headers: { 'idempotency-key': key } }),
    })),
    // fast-check repeats uuids (and replays while shrinking): ids and keys made unique per request keep
    // a valid request valid (a taken job id, or a reused key with another body, is a 409 by design).
    prepare: (_api, request) => {
      const body = { ...(request.body as Record<string, unknown>) };
      const n = ++unique;
      if (typeof body.job_id === 'string') body.job_id = `${body.job_id.slice(0, 50)}u${n}`;
      if (typeof body.idempotency_key === 'string') body.idempotency_key = `${body.idempotency_key}-${n}`;
      const header = request.headers?.['idempotency-key'];
      return Promise.resolve({
        ...request,
        body,
        ...(header === undefined ? {} : { headers: { ...request.headers, 'idempotency-key': `${header}-${n}` } }),
      });
    },
    accepted: [202, 200],
    caller: 'acmeOperator',
  },
  {
    method: 'POST',
    template: '/api/v1/jobs/{id}/cancel',
    params: { id: plausibleId },
    validBody: fc.constantFrom(undefined, {}, { reason: 'r' }),
    valid: fc
      .tuple(freshId, fc.option(fc.record({ reason }, { requiredKeys: [] }), { nil: undefined }))
      .map(([id, body]) => ({ key: 'acmeOperator' as const, params: { id }, ...(body === undefined ? {} : { body }) })),
    async prepare(api, request) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: { ...api.auth('acmeOperator'), 'content-type': 'application/json' },
        payload: JSON.stringify({ job_id: request.params.id, run_at: Date.now() + DAY }),
      });
      if (res.statusCode !== 202) throw new Error(`prepare failed: ${res.statusCode} ${res.body}`);
    },
    accepted: [200],
    caller: 'acmeOperator',
  },
  {
    method: 'POST',
    template: '/api/v1/jobs/cancel',
    params: {},
    validBody: fc.record({ filter: jobFilter }),
    valid: fc.tuple(jobFilter, reason).map(([filter, why]) => ({
      key: 'acmeOperator' as const,
      params: {},
      body: { filter, ...(why === undefined ? {} : { reason: why }) },
    })),
    accepted: [202],
    caller: 'acmeOperator',
  },
  approval('approve'),
  approval('reject'),
  {
    method: 'DELETE',
    template: '/api/v1/dlq/{job_id}',
    params: { job_id: plausibleId },
    validBody: fc.constantFrom(undefined, {}),
    valid: freshId.map((jobId) => ({ key: 'acmeOperator' as const, params: { job_id: jobId } })),
    prepare: deadLettered,
    accepted: [204],
    caller: 'acmeOperator',
    validRuns: 60,
  },
  {
    method: 'POST',
    template: '/api/v1/dlq/{job_id}/retry',
    params: { job_id: plausibleId },
    validBody: fc.constantFrom(undefined, {}),
    valid: fc.tuple(freshId, fc.constantFrom(undefined, {})).map(([jobId, body]) => ({
      key: 'acmeOperator' as const,
      params: { job_id: jobId },
      ...(body === undefined ? {} : { body }),
    })),
    prepare: deadLettered,
    accepted: [201],
    caller: 'acmeOperator',
    validRuns: 60,
  },
  {
    method: 'POST',
    template: '/api/v1/dlq/retry',
    params: {},
    validBody: fc.record({ filter: fc.constant({}) }),
    valid: fc
      .tuple(
        fc.oneof(
          fc.constant({}),
          fc.record({ topic: fc.constantFrom('job.default', 'job.fuzz.unrouted') }),
          fc.record({ reason_code: fc.constantFrom('no_pool_mapping', 'timeout') }),
        ),
        reason,
      )
      .map(([filter, why]) => ({
        key: 'acmeOperator' as const,
        params: {},
        body: { filter, ...(why === undefined ? {} : { reason: why }) },
      })),
    accepted: [202],
    caller: 'acmeOperator',
  },
  {
    method: 'POST',
    template: '/api/v1/events/parked/{id}/replay',
    params: { id: fc.oneof(fc.stringMatching(/^[a-z-]{1,12}\.[0-9]{1,5}$/), fc.constant('job-event.1')) },
    validBody: fc.constantFrom(undefined, {}),
    valid: fc
      .constantFrom(undefined, {})
      .map((body) => ({ key: 'starAdmin' as const, params: { id: '' }, ...(body === undefined ? {} : { body }) })),
    async prepare(api, request) {
      // Parked as a process manager would park it, under a source whose handler succeeds now.
      api.rt.parking.handle('fuzz-input', async () => {});
      parkedSeq += 1;
      const parked = await api.rt.parking.park({
        source: 'fuzz-input',
        position: parkedSeq,
        subject: null,
        input: { n: parkedSeq },
        error: 'Error: fuzz',
        attempts: 5,
      });
      return { ...request, params: { id: parked.id } };
    },
    accepted: [200],
    caller: 'starAdmin',
  },
];
