/**
 * The use cases the HTTP layer calls (SPEC 2.1, 2.2): workflow definitions with versions, If-Match
 * and delete; starting runs with input validation and Idempotency-Key; reruns; and the errors each
 * answers with. In process, on the embedded store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHasher } from '../../../src/adapters/node/entropy.ts';
import { cancelRun, decideStepApproval, getRun } from '../../../src/app/workflows/run-commands.ts';
import { rerunRun } from '../../../src/app/workflows/start-run.ts';
import { deleteWorkflow, getWorkflow, updateWorkflow } from '../../../src/app/workflows/workflow-commands.ts';
import { canonicalJson } from '../../../src/domain/shared/canonical-json.ts';
import type { RunStarted } from '../../../src/domain/workflow/run-events.ts';
import { runStep } from '../../../src/domain/workflow/run-state.ts';
import { waitFor } from '../../harness/wait-for.ts';
import { startWorkflowHarness, TENANT, type WorkflowHarness } from '../../support/workflow-harness.ts';

let h: WorkflowHarness;
afterEach(async () => {
  await h.stop();
});

const SIGNUP = {
  input_schema: {
    type: 'object',
    required: ['email'],
    properties: { email: { type: 'string', format: 'email' }, plan: { enum: ['free', 'pro'] } },
  },
  steps: { welcome: { input: { to: '${input.email}' } } },
};

describe('workflow use cases', () => {
  it('versions a workflow on each save, checks If-Match, deletes it, and keeps old versions readable', async () => {
    h = await startWorkflowHarness();
    const created = await h.define('flow', { steps: { a: {} } });
    expect(created).toMatchObject({ changed: true, state: { status: 'ACTIVE', version: 1 } });
    expect(created.position_token).toBe(`workflow:${created.position}`);
    await expect(h.define('flow', { steps: { a: {} } })).rejects.toMatchObject({ code: 'workflow_exists' });
    await expect(h.define('broken', { steps: { a: { depends_on: ['nope'] } } })).rejects.toMatchObject({
      name: 'ValidationError',
      code: 'invalid_workflow',
      field: 'steps.a.depends_on',
    });

    const update = (expected: number | null) =>
      updateWorkflow(h.wf, {
        tenant: TENANT,
        workflow_id: 'flow',
        definition: { steps: { b: {} } },
        expected_version: expected,
        by: 'bob',
      });
    expect((await update(null)).state).toMatchObject({ version: 2 });
    await expect(update(1)).rejects.toMatchObject({ name: 'ConflictError', code: 'version_mismatch' });
    expect((await update(2)).state).toMatchObject({ version: 3 });

    const remove = (expected: number | null) =>
      deleteWorkflow(h.wf, { tenant: TENANT, workflow_id: 'flow', expected_version: expected, by: 'bob' });
    await expect(remove(2)).rejects.toMatchObject({ code: 'version_mismatch' });
    expect(await remove(3)).toMatchObject({ changed: true, state: { status: 'DELETED' } });
    expect(await remove(null)).toMatchObject({ changed: false });
    await expect(h.run('flow')).rejects.toMatchObject({ name: 'NotFoundError', code: 'workflow_not_found' });
    await expect(getWorkflow(h.wf, TENANT, 'flow')).rejects.toMatchObject({ name: 'NotFoundError' });
    const v1 = await getWorkflow(h.wf, TENANT, 'flow', 1);
    expect(v1).toMatchObject({ version: 1, deleted: true, defined_by: 'test' });
    expect(Object.keys(v1.definition.steps)).toEqual(['a']);
    // Created again, the workflow goes on counting versions.
    expect((await h.define('flow', { steps: { c: {} } })).state).toMatchObject({ version: 4 });
    expect(await getWorkflow(h.wf, TENANT, 'flow')).toMatchObject({ version: 4, deleted: false });
  });

  it('checks a run input against the schema, naming the field, before using up the idempotency key', async () => {
    h = await startWorkflowHarness();
    await h.define('signup', SIGNUP);
    await expect(h.run('signup', { email: 'not-an-email' }, { idempotency_key: 'k1' })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'input.email',
      code: 'invalid_input',
    });
    await expect(h.run('signup', { plan: 'free' })).rejects.toMatchObject({ field: 'input.email' });
    await expect(h.run('signup', { email: 'a@b.example', plan: 'gold' })).rejects.toMatchObject({
      field: 'input.plan',
    });
    const started = await h.run('signup', { email: 'a@b.example' }, { idempotency_key: 'k1' });
    expect(started).toMatchObject({ replayed: false, state: { status: 'PENDING', input: { email: 'a@b.example' } } });
  });

  it('honours Idempotency-Key: a replay answers with the same run, another body with a conflict', async () => {
    h = await startWorkflowHarness();
    await h.define('signup', SIGNUP);
    const input = { email: 'a@b.example' };
    const first = await h.run('signup', input, { idempotency_key: 'same' });
    const again = await h.run('signup', input, { idempotency_key: 'same' });
    expect(again).toMatchObject({ run_id: first.run_id, replayed: true, changed: false });
    expect((await h.runEvents(first.run_id)).filter((e) => e.type === 'RunStarted')).toHaveLength(1);
    await expect(h.run('signup', { email: 'c@d.example' }, { idempotency_key: 'same' })).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'idempotency_key_reused',
    });
    const other = await h.run('signup', input, { idempotency_key: 'other' });
    expect(other.run_id).not.toBe(first.run_id);
    // The claims share the job runtime's bucket, under their own prefix.
    const keys = await h.base.rt.claims.keys();
    expect(keys.filter((key) => key.startsWith(`run.${TENANT}.`))).toHaveLength(2);

    // A crash between claim and append: the retry starts the run the claim names.
    const hash = nodeHasher.sha256(canonicalJson({ workflow_id: 'signup', input, team_id: null }));
    await h.base.rt.claims.create(`run.${TENANT}.${nodeHasher.sha256('crashed')}`, {
      job_id: 'RUNCLAIMED',
      request_hash: hash,
    });
    const completed = await h.run('signup', input, { idempotency_key: 'crashed' });
    expect(completed).toMatchObject({ run_id: 'RUNCLAIMED', replayed: false, changed: true });
  });

  it('reruns an ended run from a step with a new run id, reusing what that step depends on', async () => {
    h = await startWorkflowHarness();
    let failures = 1;
    const worker = await h.worker({
      id: 'w1',
      behave: (job) =>
        job.env.step_id === 'c' && failures-- > 0
          ? { status: 'FAILED', error_code: 'boom', error_message: 'first time' }
          : { status: 'SUCCEEDED', result: job.env.step_id },
    });
    await h.define('chain', { steps: { a: {}, b: { depends_on: ['a'] }, c: { depends_on: ['b'] } } });
    const first = await h.run('chain', { n: 1 });
    expect((await h.finished(first.run_id)).status).toBe('FAILED');
    await expect(
      rerunRun(h.wf, {
        tenant: TENANT,
        run_id: 'nope',
        from_step: null,
        idempotency_key: null,
        trace_id: null,
        started_by: 'api:test',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });

    const request = {
      tenant: TENANT,
      run_id: first.run_id,
      from_step: 'c',
      idempotency_key: 'rerun-1',
      trace_id: null,
      started_by: 'api:test',
    };
    const rerun = await rerunRun(h.wf, request);
    expect(rerun.run_id).not.toBe(first.run_id);
    expect(await rerunRun(h.wf, request)).toMatchObject({ run_id: rerun.run_id, replayed: true });
    const started = (await h.runEvents(rerun.run_id))[0]?.data as RunStarted['data'];
    expect(started.rerun_of).toEqual({ run_id: first.run_id, from_step: 'c', reused: ['a', 'b'] });
    expect(started.input).toEqual({ n: 1 });
    const run = await h.finished(rerun.run_id);
    expect(run.status).toBe('SUCCEEDED');
    expect(runStep(run, 'a')).toMatchObject({ status: 'SUCCEEDED', output: 'a', reused: true });
    expect(worker.received.filter((job) => job.env.run_id === rerun.run_id).map((job) => job.env.step_id)).toEqual([
      'c',
    ]);
  });

  it('answers commands on runs with their state and position, and the errors the API maps', async () => {
    h = await startWorkflowHarness();
    await h.worker({ id: 'w1', behave: () => new Promise(() => {}) });
    await h.define('slow', { steps: { a: {}, gate: { type: 'approval', depends_on: ['a'] } } });
    const started = await h.run('slow');
    await waitFor(
      'the run to be scheduled',
      async () => (await getRun(h.wf, TENANT, started.run_id)).position > started.position,
    );
    await expect(
      rerunRun(h.wf, {
        tenant: TENANT,
        run_id: started.run_id,
        from_step: null,
        idempotency_key: null,
        trace_id: null,
        started_by: 'x',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError', code: 'run_not_finished' });
    await expect(
      decideStepApproval(h.wf, TENANT, started.run_id, 'nope', { approved: true, by: 'x', reason: null }),
    ).rejects.toMatchObject({ name: 'NotFoundError', code: 'step_not_found' });
    await expect(
      decideStepApproval(h.wf, TENANT, started.run_id, 'gate', { approved: true, by: 'x', reason: null }),
    ).rejects.toMatchObject({ name: 'ConflictError', code: 'step_not_waiting' });
    await expect(cancelRun(h.wf, TENANT, 'nope', 'x', null)).rejects.toMatchObject({ code: 'run_not_found' });
    await expect(getRun(h.wf, TENANT, 'nope')).rejects.toMatchObject({ name: 'NotFoundError' });

    const cancelled = await cancelRun(h.wf, TENANT, started.run_id, 'api:test', null);
    const read = await getRun(h.wf, TENANT, started.run_id);
    expect(read).toMatchObject({ position: cancelled.position, state: { status: 'CANCELLED' } });
    expect(read.position_token).toBe(`run:${cancelled.position}`);
  });
});
