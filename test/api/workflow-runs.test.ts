/**
 * Workflow runs through the API (SPEC 2.2, 3, 6), with the workflows role, the run reconciler, the
 * scheduler and a worker played over the bus: a run driven to completion through an approval step
 * (its job ids, outputs, the approver in its events, the list), a rerun from a step (idempotent), a
 * cancel that stops the running step job; then on embedded the input checks, idempotent starts,
 * rejection, list filters and paging, pinning to a version, and roles and tenants on every endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeWorker } from '../support/fake-worker.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type Backend, type KeyName, type RunningApi, startApi } from './support/harness.ts';
import { call, expectProblem, get, post, startWorker } from './support/jobs.ts';
import { defineWorkflow, del, put, type RunBody, runOf, runWhen, startRunOf } from './support/workflows.ts';

interface EventItem {
  type: string;
  actor: string;
  position: string;
  data: Record<string, unknown>;
}

interface RunPage {
  items: { run_id: string; tenant: string; workflow_id: string; status: string; team_id: string | null }[];
  next_cursor: string | null;
}

const PIPELINE = {
  id: 'pipeline',
  input_schema: {
    type: 'object',
    required: ['n'],
    properties: { n: { type: 'integer' }, user: { type: 'object', properties: { email: { type: 'string' } } } },
  },
  steps: {
    build: { input: { n: '${input.n}' }, output_path: 'build' },
    gate: { type: 'approval', depends_on: ['build'], input: { built: '${steps.build.output}' } },
    ship: { depends_on: ['gate'], input: { n: '${input.n}' }, output_path: 'ship' },
  },
};

/** A step job whose worker never answers: it runs until cancelled. */
const HANGING = { id: 'hanging', steps: { wait: { input: { hang: true } } } };

/** Its step job fails the first time (the worker below fails `flaky` payloads of a `.1` job); the retry succeeds. */
const FLAKY = { id: 'flaky', steps: { flaky: { input: { flaky: true }, retry: { max_retries: 1 } } } };

/** One approval step and nothing else: runs need no worker. */
const GATE = { id: 'gate-only', steps: { gate: { type: 'approval', input: { ask: 'deploy?' } } } };

const runsUrl = (workflowId: string) => `/api/v1/workflows/${workflowId}/runs`;

describe.each<Backend>(['embedded', 'nats+redis'])('workflow runs on %s', (backend) => {
  let api: RunningApi;
  let worker: FakeWorker;
  beforeAll(async () => {
    api = await startApi({ backend, jobRoles: true });
    worker = await startWorker(api, {
      id: 'w1',
      maxParallel: 100,
      behave: (job) => {
        const payload = job.payload as { hang?: boolean; flaky?: boolean } | null;
        if (payload?.flaky === true && job.job_id.endsWith('.1')) {
          return { status: 'FAILED', error_code: 'flaky', error_message: 'first try' };
        }
        return payload?.hang === true ? null : { status: 'SUCCEEDED', result: { echo: job.payload } };
      },
    });
    await defineWorkflow(api, PIPELINE);
    await defineWorkflow(api, HANGING);
    await defineWorkflow(api, FLAKY);
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  it('a run through a job step, an approval and another job step to SUCCEEDED; the approver is in its events; the list has it', async () => {
    const res = await post(api, runsUrl('pipeline'), { input: { n: 3 } });
    expect(res.statusCode, res.body).toBe(201);
    const started = res.json<{ run_id: string; position: string; status: string; workflow_version: number }>();
    expect(started).toMatchObject({ workflow_id: 'pipeline', workflow_version: 1, status: 'PENDING' });
    expect(res.headers['x-coretex-position']).toBe(started.position);
    const runId = started.run_id;

    const waiting = await runWhen(api, runId, 'waiting at the gate', (run) => run.steps.gate?.status === 'WAITING');
    expect(waiting.status).toBe('WAITING');
    expect(waiting.steps.build).toMatchObject({
      status: 'SUCCEEDED',
      job_ids: [`${runId}.build.1`],
      attempts: 1,
      output: { echo: { n: 3 } },
    });
    expect(waiting.steps.gate).toMatchObject({ job_ids: [], attempts: 0 });
    expect(waiting.steps.gate?.wait).toMatchObject({ reason: 'approval', request: { built: { echo: { n: 3 } } } });
    expect(waiting.steps.ship?.status).toBe('PENDING');
    // The step job went through the job pipeline, carrying the run's identity.
    const job = worker.received.find((received) => received.job_id === `${runId}.build.1`);
    expect(job?.payload).toEqual({ n: 3 });

    const notWaiting = await post(api, `/api/v1/workflow-runs/${runId}/steps/ship/approve`, { approved: true });
    expect(expectProblem(notWaiting, 409).code).toBe('step_not_waiting');
    const unknown = await post(api, `/api/v1/workflow-runs/${runId}/steps/nope/approve`, { approved: true });
    expect(expectProblem(unknown, 404).code).toBe('step_not_found');
    expect((await runOf(api, runId)).position).toBe(waiting.position);

    const approved = await post(api, `/api/v1/workflow-runs/${runId}/steps/gate/approve`, {
      approved: true,
      reason: 'looks good',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ run_id: runId, step_id: 'gate', step_status: 'SUCCEEDED', changed: true });
    expect(approved.headers['x-coretex-position']).toBe(approved.json<{ position: string }>().position);

    const done = await runWhen(api, runId, 'SUCCEEDED', (run) => run.status === 'SUCCEEDED');
    expect(done.output).toEqual({ build: { echo: { n: 3 } }, ship: { echo: { n: 3 } } });
    expect(done.steps.ship?.job_ids).toEqual([`${runId}.ship.1`]);
    expect(done.error).toBeNull();

    const events = await get(api, `/api/v1/workflow-runs/${runId}/events`);
    expect(events.statusCode, events.body).toBe(200);
    const items = events.json<{ items: EventItem[] }>().items;
    expect(items[0]?.type).toBe('RunStarted');
    const answer = items.find((event) => event.actor === 'api:acmeOperator' && event.data.step_id === 'gate');
    expect(answer?.data).toMatchObject({ by: 'api:acmeOperator', reason: 'looks good' });
    expect(items.map((event) => Number(event.position.split(':')[1]))).toEqual(
      [...items.map((event) => Number(event.position.split(':')[1]))].sort((a, b) => a - b),
    );
    // Paged: two at a time, the same events in the same order.
    const paged: EventItem[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = (await get(api, `/api/v1/workflow-runs/${runId}/events?limit=2${suffix}`)).json<{
        items: EventItem[];
        next_cursor: string | null;
      }>();
      paged.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(paged.map((event) => event.position)).toEqual(items.map((event) => event.position));

    const listed = await get(api, `/api/v1/workflow-runs?status=SUCCEEDED&min_position=${done.position}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<RunPage>().items.find((item) => item.run_id === runId)).toMatchObject({
      workflow_id: 'pipeline',
      status: 'SUCCEEDED',
      tenant: 'acme',
    });
    const byWorkflow = (await get(api, `/api/v1/workflow-runs?workflow_id=pipeline&min_position=${done.position}`))
      .json<RunPage>()
      .items.map((item) => item.run_id);
    expect(byWorkflow).toContain(runId);
    const running = (
      await get(api, `/api/v1/workflow-runs?status=RUNNING&min_position=${done.position}`)
    ).json<RunPage>();
    expect(running.items.some((item) => item.run_id === runId)).toBe(false);

    // Rerun from `ship`: build and gate keep their outcomes, ship runs again; the key makes it idempotent.
    const key = `rerun-${runId}`;
    const rerun = await post(api, `/api/v1/workflow-runs/${runId}/rerun`, { from_step: 'ship' }, 'acmeOperator', {
      'idempotency-key': key,
    });
    expect(rerun.statusCode, rerun.body).toBe(201);
    const second = rerun.json<{ run_id: string; rerun_of: string }>();
    expect(second.rerun_of).toBe(runId);
    expect(second.run_id).not.toBe(runId);
    const replay = await post(api, `/api/v1/workflow-runs/${runId}/rerun`, { from_step: 'ship' }, 'acmeOperator', {
      'idempotency-key': key,
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json<{ run_id: string }>().run_id).toBe(second.run_id);
    const rerunDone = await runWhen(api, second.run_id, 'the rerun SUCCEEDED', (run) => run.status === 'SUCCEEDED');
    expect(rerunDone.rerun_of).toEqual({ run_id: runId, from_step: 'ship' });
    expect(rerunDone.steps.build).toMatchObject({ reused: true, status: 'SUCCEEDED' });
    expect(rerunDone.steps.gate).toMatchObject({ reused: true, status: 'SUCCEEDED' });
    expect(rerunDone.steps.ship).toMatchObject({ reused: false, job_ids: [`${second.run_id}.ship.1`] });
    expect(worker.received.some((received) => received.job_id === `${second.run_id}.build.1`)).toBe(false);
  });

  it('a W3C traceparent names the run’s trace: in the answer, on every run event, on its step jobs and their env', async () => {
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const res = await post(api, runsUrl('flaky'), {}, 'acmeOperator', {
      traceparent: `00-${trace}-b7ad6b7169203331-01`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { run_id: runId, trace_id: answered } = res.json<{ run_id: string; trace_id: string }>();
    expect(answered).toBe(trace);
    const done = await runWhen(api, runId, 'SUCCEEDED', (run) => run.status === 'SUCCEEDED');
    // The first step job failed, its retry succeeded: two jobs, the latest listed.
    expect(done.steps.flaky).toMatchObject({ attempts: 2, job_ids: [`${runId}.flaky.2`] });
    const events = (await get(api, `/api/v1/workflow-runs/${runId}/events`)).json<{
      items: { type: string; trace_id: string | null }[];
    }>().items;
    expect(events.length).toBeGreaterThan(2);
    expect(events.filter((event) => event.trace_id !== trace).map((event) => event.type)).toEqual([]);
    for (const jobId of [`${runId}.flaky.1`, `${runId}.flaky.2`]) {
      const job = worker.received.find((received) => received.job_id === jobId);
      expect(job?.trace_id).toBe(trace);
      expect(job?.env).toMatchObject({ trace_id: trace, run_id: runId, step_id: 'flaky' });
      const jobEvents = (await get(api, `/api/v1/jobs/${jobId}/events`)).json<{ items: { trace_id: string }[] }>();
      expect(jobEvents.items.every((event) => event.trace_id === trace)).toBe(true);
    }
  });

  it('cancel stops the running step job at its worker; an ended run answers unchanged; rerun needs an ended run', async () => {
    const { run_id: runId } = await startRunOf(api, 'hanging');
    const jobId = `${runId}.wait.1`;
    await waitFor('the step job at the worker', () => worker.received.some((job) => job.job_id === jobId));
    const live = await runWhen(api, runId, 'RUNNING', (run) => run.status === 'RUNNING');
    expect(live.steps.wait?.job_ids).toEqual([jobId]);

    const early = await post(api, `/api/v1/workflow-runs/${runId}/rerun`, {});
    expect(expectProblem(early, 409).code).toBe('run_not_finished');

    const cancelled = await post(api, `/api/v1/workflow-runs/${runId}/cancel`, { reason: 'not needed' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ run_id: runId, status: 'CANCELLED', changed: true });
    const position = cancelled.json<{ position: string }>().position;
    expect(cancelled.headers['x-coretex-position']).toBe(position);
    await waitFor('the worker told to stop the step job', () => worker.stops.some((stop) => stop.job_id === jobId));
    const job = await waitFor('the step job CANCELLED', async () => {
      const found = (await get(api, `/api/v1/jobs/${encodeURIComponent(jobId)}`)).json<{ state: string }>();
      return found.state === 'CANCELLED' ? found : undefined;
    });
    expect(job.state).toBe('CANCELLED');
    const run = await runOf(api, runId);
    expect(run.status).toBe('CANCELLED');
    expect(run.steps.wait?.status).toBe('CANCELLED');

    const again = await post(api, `/api/v1/workflow-runs/${runId}/cancel`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'CANCELLED', changed: false, position });
  });
});

describe('workflow runs: input, idempotency, rejection, lists, versions, roles and tenants (embedded)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // The workflows role runs (approval steps need it); no step here runs a job.
    api = await startApi({ jobRoles: true });
    await defineWorkflow(api, PIPELINE);
    await defineWorkflow(api, GATE);
  });
  afterAll(async () => {
    await api.close();
  });

  /** Starts a run that must be 400 naming `field`, and checks nothing was written. */
  async function refused(url: string, body: unknown, field: string, headers: Record<string, string> = {}) {
    const before = await api.heads();
    const problem = expectProblem(await post(api, url, body, 'acmeOperator', headers), 400, field);
    expect(await api.heads()).toEqual(before);
    return problem;
  }

  it('400: input failing the schema names the field; unknown fields, a bad team, keys that disagree', async () => {
    expect((await refused(runsUrl('pipeline'), { input: { n: 'three' } }, 'input.n')).code).toBe('invalid_input');
    await refused(runsUrl('pipeline'), { input: {} }, 'input.n');
    await refused(runsUrl('pipeline'), { input: { n: 1, user: { email: 7 } } }, 'input.user.email');
    await refused(runsUrl('pipeline'), {}, 'input.n');
    await refused(runsUrl('pipeline'), { input: { n: 1 }, colour: 'red' }, 'colour');
    await refused(runsUrl('pipeline'), { input: { n: 1 }, team_id: 'a b' }, 'team_id');
    await refused(runsUrl('pipeline'), { input: { n: 1 }, idempotency_key: 'a' }, 'Idempotency-Key', {
      'idempotency-key': 'b',
    });
    await refused(runsUrl('bad.id'), { input: { n: 1 } }, 'id');
    await refused('/api/v1/workflow-runs/a.b/cancel', {}, 'run_id');
    await refused('/api/v1/workflow-runs/r1/steps/Bad/approve', { approved: true }, 'step_id');
  });

  it('Idempotency-Key: the same key and body answer the same run (200); another body is 409; a refused request does not use the key', async () => {
    const key = 'start-1';
    const bad = await post(api, runsUrl('pipeline'), { input: { n: 'x' } }, 'acmeOperator', { 'idempotency-key': key });
    expectProblem(bad, 400, 'input.n');
    const first = await post(api, runsUrl('pipeline'), { input: { n: 1 } }, 'acmeOperator', { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    const runId = first.json<{ run_id: string }>().run_id;
    const heads = await api.heads();
    const replay = await post(api, runsUrl('pipeline'), { input: { n: 1 } }, 'acmeOperator', {
      'idempotency-key': key,
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json<{ run_id: string }>().run_id).toBe(runId);
    // The key in the body is the same key.
    const inBody = await post(api, runsUrl('pipeline'), { input: { n: 1 }, idempotency_key: key });
    expect(inBody.statusCode, inBody.body).toBe(200);
    expect(inBody.json<{ run_id: string }>().run_id).toBe(runId);
    const other = await post(api, runsUrl('pipeline'), { input: { n: 2 } }, 'acmeOperator', { 'idempotency-key': key });
    expect(expectProblem(other, 409).code).toBe('idempotency_key_reused');
    const otherTeam = await post(api, runsUrl('pipeline'), { input: { n: 1 }, team_id: 'blue' }, 'acmeOperator', {
      'idempotency-key': key,
    });
    expectProblem(otherTeam, 409);
    expect((await api.heads()).run).toBe(heads.run);
    // Keys are per tenant: the same key in another tenant starts its own run.
    await defineWorkflow(api, PIPELINE, 'globexAdmin');
    const theirs = await post(api, runsUrl('pipeline'), { input: { n: 1 } }, 'globexAdmin', { 'idempotency-key': key });
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json<{ run_id: string }>().run_id).not.toBe(runId);
  });

  it('rejecting an approval step fails the step and the run; answering again is 409; approved is required', async () => {
    const { run_id: runId } = await startRunOf(api, 'gate-only');
    const waiting = await runWhen(api, runId, 'waiting', (run) => run.status === 'WAITING');
    expect(waiting.steps.gate?.wait?.request).toEqual({ ask: 'deploy?' });
    expectProblem(
      await post(api, `/api/v1/workflow-runs/${runId}/steps/gate/approve`, { reason: 'x' }),
      400,
      'approved',
    );
    expectProblem(
      await post(api, `/api/v1/workflow-runs/${runId}/steps/gate/approve`, { approved: 'yes' }),
      400,
      'approved',
    );
    const rejected = await post(api, `/api/v1/workflow-runs/${runId}/steps/gate/approve`, {
      approved: false,
      reason: 'not today',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'FAILED', step_status: 'FAILED', changed: true });
    const run = await runOf(api, runId);
    expect(run.error?.step_id).toBe('gate');
    const again = await post(api, `/api/v1/workflow-runs/${runId}/steps/gate/approve`, { approved: true });
    expect(expectProblem(again, 409).code).toBe('step_not_waiting');
    // An ended run can be rerun, but only from a step of its workflow.
    expectProblem(await post(api, `/api/v1/workflow-runs/${runId}/rerun`, { from_step: 'nope' }), 400, 'from_step');
    expectProblem(await post(api, `/api/v1/workflow-runs/${runId}/rerun`, { from: 'gate' }), 400, 'from');
    const rerun = await post(api, `/api/v1/workflow-runs/${runId}/rerun`);
    expect(rerun.statusCode, rerun.body).toBe(201);
    expect((await runOf(api, rerun.json<{ run_id: string }>().run_id)).rerun_of).toEqual({
      run_id: runId,
      from_step: null,
    });
  });

  it('a run is pinned to the version it started with; a deleted workflow starts no run', async () => {
    await defineWorkflow(api, { id: 'versioned', steps: { gate: { type: 'approval' } } });
    const first = await startRunOf(api, 'versioned');
    const v2 = await put(api, '/api/v1/workflows/versioned', {
      id: 'versioned',
      steps: { gate: { type: 'approval' }, after: { type: 'approval', depends_on: ['gate'] } },
    });
    expect(v2.statusCode, v2.body).toBe(200);
    const second = await startRunOf(api, 'versioned');
    expect(second.workflow_version).toBe(2);
    const pinned = await runOf(api, first.run_id);
    expect(pinned.workflow_version).toBe(1);
    expect(Object.keys(pinned.steps)).toEqual(['gate']);
    expect(Object.keys((await runOf(api, second.run_id)).steps).sort()).toEqual(['after', 'gate']);
    expect((await del(api, '/api/v1/workflows/versioned')).statusCode).toBe(204);
    const gone = await post(api, runsUrl('versioned'), {});
    expect(expectProblem(gone, 404).code).toBe('workflow_not_found');
    // Runs already going are not touched by the delete.
    expect((await runOf(api, first.run_id)).status).not.toBe('CANCELLED');
  });

  it('the list: filters by status, workflow and team, pages without repeats; unsupported combinations are 400', async () => {
    const ids: string[] = [];
    let position = '';
    for (let i = 0; i < 5; i++) {
      const run = await startRunOf(api, 'gate-only', { team_id: 'blue' });
      ids.push(run.run_id);
      position = run.position;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await get(api, `/api/v1/workflow-runs?team_id=blue&limit=2&min_position=${position}${suffix}`);
      expect(res.statusCode, res.body).toBe(200);
      const found = res.json<RunPage>();
      expect(found.items.length).toBeLessThanOrEqual(2);
      seen.push(...found.items.map((item) => item.run_id));
      cursor = found.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual([...ids].reverse());
    const byWorkflow = (await get(api, `/api/v1/workflow-runs?workflow_id=gate-only&limit=500`)).json<RunPage>();
    expect(byWorkflow.items.every((item) => item.workflow_id === 'gate-only')).toBe(true);
    expect(byWorkflow.items.map((item) => item.run_id)).toEqual(expect.arrayContaining(ids));
    const none = (await get(api, `/api/v1/workflow-runs?workflow_id=pipeline&team_id=blue`)).json<unknown>();
    expect(none).toMatchObject({ status: 400, field: 'team_id', code: 'unsupported_filter' });
    expectProblem(await get(api, '/api/v1/workflow-runs?status=DONE'), 400, 'status');
    expectProblem(await get(api, '/api/v1/workflow-runs?limit=501'), 400, 'limit');
    expectProblem(await get(api, '/api/v1/workflow-runs?cursor=garbage'), 400, 'cursor');
    expectProblem(await get(api, '/api/v1/workflow-runs?from=yesterday'), 400, 'from');
    expectProblem(await get(api, '/api/v1/workflow-runs?min_position=job:1'), 400, 'min_position');
    expectProblem(await get(api, '/api/v1/workflow-runs?workflow_id=gate-only', 'starViewer'), 400, 'workflow_id');
    const all = (await get(api, '/api/v1/workflow-runs?limit=500', 'starViewer')).json<RunPage>();
    expect(all.items.map((item) => item.run_id)).toEqual(expect.arrayContaining(ids));
  });

  it('403: starting, cancelling, answering and rerunning need operator; reading any key', async () => {
    const { run_id: runId } = await startRunOf(api, 'gate-only');
    await runWhen(api, runId, 'waiting', (run) => run.status === 'WAITING');
    const before = await api.heads();
    for (const [url, body] of [
      [runsUrl('gate-only'), {}],
      [`/api/v1/workflow-runs/${runId}/cancel`, {}],
      [`/api/v1/workflow-runs/${runId}/steps/gate/approve`, { approved: true }],
      [`/api/v1/workflow-runs/${runId}/rerun`, {}],
    ] as const) {
      expect(expectProblem(await post(api, url, body, 'acmeViewer'), 403).code).toBe('role_required');
      expectProblem(await post(api, url, body, 'starViewer'), 403);
    }
    expect(await api.heads()).toEqual(before);
    expect((await get(api, `/api/v1/workflow-runs/${runId}`, 'acmeViewer')).statusCode).toBe(200);
    expect((await get(api, `/api/v1/workflow-runs/${runId}/events`, 'acmeViewer')).statusCode).toBe(200);
    expect((await get(api, '/api/v1/workflow-runs', 'acmeViewer')).statusCode).toBe(200);
  });

  it('401 without a key, and 404 for another tenant’s (or an unknown) run or workflow, on every endpoint', async () => {
    const { run_id: runId } = await startRunOf(api, 'gate-only');
    await runWhen(api, runId, 'waiting', (run) => run.status === 'WAITING');
    const requests: { method: 'GET' | 'POST'; url: string; body?: unknown }[] = [
      { method: 'POST', url: runsUrl('gate-only'), body: {} },
      { method: 'GET', url: `/api/v1/workflow-runs/${runId}` },
      { method: 'GET', url: `/api/v1/workflow-runs/${runId}/events` },
      { method: 'POST', url: `/api/v1/workflow-runs/${runId}/cancel`, body: {} },
      { method: 'POST', url: `/api/v1/workflow-runs/${runId}/steps/gate/approve`, body: { approved: true } },
      { method: 'POST', url: `/api/v1/workflow-runs/${runId}/rerun`, body: {} },
    ];
    const before = await api.heads();
    for (const request of requests) {
      expectProblem(await call(api, { ...request, key: null }), 401);
      // globexAdmin outranks operator: only the tenant stands in the way.
      const other: KeyName = 'globexAdmin';
      const problem = expectProblem(await call(api, { ...request, key: other }), 404);
      expect(['run_not_found', 'workflow_not_found']).toContain(problem.code);
      expect(expectProblem(await call(api, { ...request, url: `${request.url}?tenant=globex` }), 404).code).toBe(
        'tenant_not_found',
      );
    }
    expect(await api.heads()).toEqual(before);
    expectProblem(await call(api, { method: 'GET', url: '/api/v1/workflow-runs', key: null }), 401);
    const theirList = (await get(api, '/api/v1/workflow-runs?limit=500', 'globexAdmin')).json<RunPage>();
    expect(theirList.items.some((item) => item.tenant === 'acme')).toBe(false);
    expect(expectProblem(await get(api, '/api/v1/workflow-runs?tenant=globex'), 404).code).toBe('tenant_not_found');
    expect(expectProblem(await get(api, '/api/v1/workflow-runs/01UNKNOWN'), 404).code).toBe('run_not_found');
    expect(expectProblem(await get(api, '/api/v1/workflow-runs/01UNKNOWN/events'), 404).code).toBe('run_not_found');
    expectProblem(await post(api, '/api/v1/workflow-runs/01UNKNOWN/cancel', {}), 404);
    expectProblem(await post(api, '/api/v1/workflow-runs/01UNKNOWN/rerun', {}), 404);
    expect(expectProblem(await post(api, runsUrl('never'), {}), 404).code).toBe('workflow_not_found');
    // Still acme's, still waiting; a `*` key names the tenant.
    const run: RunBody = await runOf(api, runId);
    expect(run.status).toBe('WAITING');
    expectProblem(await get(api, `/api/v1/workflow-runs/${runId}`, 'starViewer'), 400, 'tenant');
    expect((await get(api, `/api/v1/workflow-runs/${runId}?tenant=acme`, 'starViewer')).statusCode).toBe(200);
  });
});
