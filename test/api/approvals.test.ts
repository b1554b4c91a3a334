/**
 * Approvals (SPEC 1.4) through the API: built-in safety rules (written through the config API) make
 * jobs tagged `prod` wait; `GET /api/v1/approvals` lists them with the request hash and policy version
 * from the `jobs` read model; an answer with the right hash moves the job on, a wrong hash, a changed
 * policy or a job not waiting is 409 and writes nothing. With the real scheduler and a worker on both
 * backends; the policy-change case on a runtime whose scheduling the test drives itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleJob } from '../../src/app/jobs/dispatch.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import type { FakeWorker } from '../support/fake-worker.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';
import { call, expectProblem, get, post, requireApprovalFor, startWorker, submitted } from './support/jobs.ts';

interface Waiting {
  job_id: string;
  tenant: string;
  request_hash: string;
  policy_version: string;
  expires_at: string | null;
  reason: string | null;
}

interface JobBody {
  state: string;
  position: string;
  error: { code: string } | null;
  approval_request: { request_hash: string; policy_version: string; expires_at: string } | null;
}

async function waitingJob(api: RunningApi, body: Record<string, unknown> = {}) {
  const job = await submitted(api, { risk_tags: ['prod'], ...body });
  const view = await waitFor('the job to wait for approval', async () => {
    const found = (await get(api, `/api/v1/jobs/${job.job_id}`)).json<JobBody>();
    return found.state === 'APPROVAL_REQUIRED' ? found : undefined;
  });
  return { job_id: job.job_id, view };
}

describe.each<Backend>(['embedded', 'nats+redis'])('approvals on %s', (backend) => {
  let api: RunningApi;
  let worker: FakeWorker;
  beforeAll(async () => {
    api = await startApi({ backend, jobRoles: true });
    worker = await startWorker(api, { id: 'w1' });
    await requireApprovalFor(api, 'prod');
  });
  afterAll(async () => {
    worker.stop();
    await api.close();
  });

  it('lists the waiting job with its hash and policy; a wrong hash is 409 and writes nothing; the right one runs it', async () => {
    const { job_id, view } = await waitingJob(api, { payload: { deploy: 1 } });
    const request = view.approval_request;
    expect(request).not.toBeNull();
    const list = await get(api, `/api/v1/approvals?min_position=${view.position}`);
    expect(list.statusCode, list.body).toBe(200);
    const listed = list.json<{ items: Waiting[] }>().items.find((item) => item.job_id === job_id);
    expect(listed).toMatchObject({
      tenant: 'acme',
      request_hash: request?.request_hash,
      policy_version: request?.policy_version,
      expires_at: request?.expires_at,
    });
    expect(listed?.reason).toContain('prod');

    const wrong = await post(api, `/api/v1/approvals/${job_id}/approve`, { request_hash: 'not-it' });
    expect(expectProblem(wrong, 409).code).toBe('request_hash_mismatch');
    expect((await get(api, `/api/v1/jobs/${job_id}`)).json<JobBody>().position).toBe(view.position);

    const approved = await post(api, `/api/v1/approvals/${job_id}/approve`, {
      request_hash: request?.request_hash,
      reason: 'change 42',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ job_id, state: 'PENDING' });
    expect(approved.headers['x-coretex-position']).toBe(approved.json<{ position: string }>().position);
    const done = (await get(api, `/api/v1/jobs/${job_id}?wait=20s`)).json<JobBody>();
    expect(done.state).toBe('SUCCEEDED');
    const again = await post(api, `/api/v1/approvals/${job_id}/approve`, { request_hash: request?.request_hash });
    expect(expectProblem(again, 409).code).toBe('not_awaiting_approval');
    // Gone from the list once the read model has the approval.
    const after = await get(api, `/api/v1/approvals?min_position=${done.position}`);
    expect(after.json<{ items: Waiting[] }>().items.some((item) => item.job_id === job_id)).toBe(false);
  });

  it('reject: the job is DENIED and dead-lettered as approval_rejected', async () => {
    const { job_id, view } = await waitingJob(api);
    const res = await post(api, `/api/v1/approvals/${job_id}/reject`, {
      request_hash: view.approval_request?.request_hash,
      reason: 'not today',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ job_id, state: 'DENIED' });
    expect((await get(api, `/api/v1/jobs/${job_id}`)).json<JobBody>().error?.code).toBe('approval_rejected');
    const entry = await waitFor('the DLQ entry', async () => {
      const found = await get(api, `/api/v1/dlq/${job_id}`);
      return found.statusCode === 200 ? found.json<{ reason_code: string }>() : undefined;
    });
    expect(entry.reason_code).toBe('approval_rejected');
  });
});

describe('approvals: policy changes, input and access (embedded, scheduling driven by the test)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
    await requireApprovalFor(api, 'prod');
  });
  afterAll(async () => {
    await api.close();
  });

  /** The scheduler's decision for one job, taken here (the real use case, no scheduler role). */
  async function decided(tenant = 'acme', key: 'acmeOperator' | 'globexAdmin' = 'acmeOperator') {
    const job = await submitted(api, { risk_tags: ['prod'] }, key);
    expect(await scheduleJob(api.rt, streamId('job', tenant, job.job_id))).toBe('decided');
    const view = (await get(api, `/api/v1/jobs/${job.job_id}`, key)).json<JobBody>();
    expect(view.state).toBe('APPROVAL_REQUIRED');
    return { job_id: job.job_id, view, hash: view.approval_request?.request_hash ?? '' };
  }

  it('a policy changed since the request is 409 and writes nothing', async () => {
    const { job_id, view, hash } = await decided();
    // New rules, a new policy version: the old request no longer holds.
    await requireApprovalFor(api, 'prod', { deny_topics: ['job.never'] });
    const res = await post(api, `/api/v1/approvals/${job_id}/approve`, { request_hash: hash });
    expect(expectProblem(res, 409).code).toBe('policy_changed');
    expect((await get(api, `/api/v1/jobs/${job_id}`)).json<JobBody>().position).toBe(view.position);
  });

  it('list: a * key sees every tenant; 400 bad limit or cursor; 404 another tenant; 401 without a key', async () => {
    const acme = await decided();
    await decided();
    const globex = await decided('globex', 'globexAdmin');
    const mine = (await get(api, `/api/v1/approvals?min_position=${globex.view.position}`)).json<{
      items: Waiting[];
    }>();
    expect(mine.items.map((item) => item.tenant)).not.toContain('globex');
    expect(mine.items.map((item) => item.job_id)).toContain(acme.job_id);
    const all = (await get(api, '/api/v1/approvals', 'starViewer')).json<{ items: Waiting[] }>();
    expect(all.items.map((item) => item.job_id)).toEqual(expect.arrayContaining([acme.job_id, globex.job_id]));
    const paged = (await get(api, '/api/v1/approvals?limit=1')).json<{ items: Waiting[]; next_cursor: string }>();
    expect(paged.items).toHaveLength(1);
    const next = await get(api, `/api/v1/approvals?limit=1&cursor=${paged.next_cursor}`);
    expect(next.json<{ items: Waiting[] }>().items[0]?.job_id).not.toBe(paged.items[0]?.job_id);
    expectProblem(await get(api, '/api/v1/approvals?limit=0'), 400, 'limit');
    expectProblem(await get(api, '/api/v1/approvals?cursor=bad'), 400, 'cursor');
    expectProblem(await get(api, '/api/v1/approvals?tenant=globex'), 404);
    expectProblem(await get(api, '/api/v1/approvals', null), 401);
  });

  it('approve/reject: 400 names the field, 403 for a viewer, 404 unknown or another tenant’s, 401', async () => {
    const { job_id, hash } = await decided();
    const before = await api.heads();
    for (const action of ['approve', 'reject']) {
      const url = `/api/v1/approvals/${job_id}/${action}`;
      expectProblem(await post(api, url, {}), 400, 'request_hash');
      expectProblem(await post(api, url, { request_hash: hash, colour: 'red' }), 400, 'colour');
      expectProblem(await post(api, url, { request_hash: hash }, 'acmeViewer'), 403);
      expectProblem(await post(api, url, { request_hash: hash }, null), 401);
      expectProblem(await post(api, url, { request_hash: hash }, 'globexAdmin'), 404);
      expectProblem(await post(api, `/api/v1/approvals/nope/${action}`, { request_hash: hash }), 404);
      expectProblem(
        await call(api, { method: 'POST', url, key: 'starAdmin', body: { request_hash: hash } }),
        400,
        'tenant',
      );
    }
    expect(await api.heads()).toEqual(before);
    const star = await post(api, `/api/v1/approvals/${job_id}/reject?tenant=acme`, { request_hash: hash }, 'starAdmin');
    expect(star.json()).toMatchObject({ state: 'DENIED' });
  });
});
