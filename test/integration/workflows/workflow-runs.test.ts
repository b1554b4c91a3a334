/**
 * The workflow engine in one process (embedded store, in-process bus, workers played over the
 * protocol): runs of SPEC 2.2 end to end — a DAG with a skipped branch, a bounded fan-out with a
 * retried child, retries running out, approvals — through the use cases, the process manager, the
 * job pipeline and the run reconciler.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decideStepApproval } from '../../../src/app/workflows/run-commands.ts';
import type { DispatchMessage } from '../../../src/domain/protocol/messages.ts';
import { MAX_JOBS_PER_DECISION } from '../../../src/domain/workflow/definition.ts';
import type { RunEvent, RunStepResultsRecorded } from '../../../src/domain/workflow/run-events.ts';
import { runStep } from '../../../src/domain/workflow/run-state.ts';
import { waitFor } from '../../harness/wait-for.ts';
import { startWorkflowHarness, TENANT, type WorkflowHarness } from '../../support/workflow-harness.ts';

let h: WorkflowHarness;
afterEach(async () => {
  await h.stop();
});

const stepOf = (job: DispatchMessage) => job.env.step_id;
const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('workflow runs (in process)', () => {
  it('runs a diamond DAG whose false condition skips one branch, and joins on the skipped branch', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1' });
    await h.define('diamond', {
      team_id: 'red',
      steps: {
        start: { input: { n: '${input.n}' } },
        left: { depends_on: ['start'], condition: 'steps.start.output.echo.n > 1', input: { side: 'left' } },
        right: { depends_on: ['start'], condition: 'steps.start.output.echo.n > 100', input: { side: 'right' } },
        join: {
          depends_on: ['left', 'right'],
          input: { left: '${steps.left.status}', right: '${steps.right.status}' },
          output_path: 'result',
        },
      },
    });
    const started = await h.run('diamond', { n: 2 });
    expect(started).toMatchObject({ changed: true, replayed: false, state: { status: 'PENDING' } });
    expect(started.position_token).toBe(`run:${started.position}`);
    const run = await h.finished(started.run_id);

    expect(run.status).toBe('SUCCEEDED');
    const statuses = Object.fromEntries(['start', 'left', 'right', 'join'].map((id) => [id, runStep(run, id).status]));
    expect(statuses).toEqual({ start: 'SUCCEEDED', left: 'SUCCEEDED', right: 'SKIPPED', join: 'SUCCEEDED' });
    // The skipped branch never made a job; the join ran last and saw the skip.
    expect(worker.received.map(stepOf)).toEqual(['start', 'left', 'join']);
    expect(worker.received.map((job) => job.job_id)).toEqual(
      ['start', 'left', 'join'].map((step) => `${started.run_id}.${step}.1`),
    );
    expect(worker.received[2]?.payload).toEqual({ left: 'SUCCEEDED', right: 'SKIPPED' });
    expect(run.outcome.output).toEqual({ result: { echo: { left: 'SUCCEEDED', right: 'SKIPPED' } } });
    // SPEC 3: the step job's env names the workflow, run, step, tenant and team.
    expect(worker.received[0]?.env).toMatchObject({
      workflow_id: 'diamond',
      run_id: started.run_id,
      step_id: 'start',
      tenant_id: TENANT,
      team_id: 'red',
    });
    expect((await h.jobEvents(`${started.run_id}.right.1`)).length).toBe(0);
  });

  it('fans 50 items out at most 5 at a time; a child that fails once is retried and the step succeeds', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({
      id: 'w1',
      behave: async (job) => {
        await hold(15); // work takes a while, so children overlap
        return job.job_id.endsWith('.fan.17.1')
          ? { status: 'FAILED', error_code: 'flaky', error_message: 'first try fails' }
          : { status: 'SUCCEEDED', result: { doubled: (job.payload as { item: number }).item * 2 } };
      },
    });
    await h.define('fanout', {
      steps: {
        fan: {
          for_each: 'input.items',
          max_parallel: 5,
          input: { item: '${item}', index: '${index}' },
          retry: { max_retries: 1, initial_backoff_ms: 10 },
        },
      },
    });
    const items = Array.from({ length: 50 }, (_, i) => i);
    const started = await h.run('fanout', { items });
    const run = await h.finished(started.run_id, 30_000);

    expect(run.status).toBe('SUCCEEDED');
    expect(worker.maxActive).toBeLessThanOrEqual(5);
    expect(worker.maxActive).toBeGreaterThan(1);
    expect(worker.received).toHaveLength(51);
    expect(worker.received.filter((job) => job.job_id === `${started.run_id}.fan.17.2`)).toHaveLength(1);
    expect(runStep(run, 'fan').output).toEqual(items.map((i) => ({ doubled: i * 2 })));
    // Fan-out children carry their index and item to the worker.
    const child = worker.received.find((job) => job.job_id === `${started.run_id}.fan.3.1`);
    expect(child?.env).toMatchObject({ foreach_index: '3', foreach_item: '3' });
  });

  it('starts a large fan-out over several decisions, each event small enough for one JetStream message', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({
      id: 'w1',
      behave: (job) => ({ status: 'SUCCEEDED', result: job.env.foreach_index }),
    });
    await h.define('wide', { steps: { fan: { for_each: 'input.items', input: { item: '${item}' } } } });
    // 600 items of 1 KB: all their inputs in the event that starts them would exceed 1 MB.
    const items = Array.from({ length: 600 }, (_, i) => `${i}:${'x'.repeat(1_000)}`);
    const started = await h.run('wide', { items });
    const run = await h.finished(started.run_id, 60_000);

    expect(run.status).toBe('SUCCEEDED');
    expect(new Set(worker.received.map((job) => job.job_id)).size).toBe(600);
    const events = await h.runEvents(started.run_id);
    const scheduled = events.map(
      (event) => (event.data as RunEvent['data']).changes.filter((change) => change.type === 'job_scheduled').length,
    );
    expect(Math.max(...scheduled)).toBeLessThanOrEqual(MAX_JOBS_PER_DECISION);
    expect(events.filter((event) => event.type === 'RunStepsScheduled').length).toBeGreaterThan(1);
    for (const event of events) expect(JSON.stringify(event).length).toBeLessThan(1_000_000);
  });

  it('fails the run when a step runs out of retries, cancelling what depends on it, with no DLQ entries', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({
      id: 'w1',
      behave: () => ({ status: 'FAILED', error_code: 'boom', error_message: 'always broken' }),
    });
    await h.define('flaky', {
      steps: {
        flaky: { retry: { max_retries: 2, initial_backoff_ms: 10, multiplier: 2 } },
        after: { depends_on: ['flaky'] },
      },
    });
    const started = await h.run('flaky');
    const run = await h.finished(started.run_id);

    expect(run.status).toBe('FAILED');
    expect(run.outcome.error).toMatchObject({ code: 'step_failed', step_id: 'flaky' });
    expect(runStep(run, 'flaky')).toMatchObject({ status: 'FAILED', error: { code: 'boom' } });
    expect(runStep(run, 'after').status).toBe('CANCELLED');
    expect(worker.received.map((job) => job.job_id)).toEqual([1, 2, 3].map((n) => `${started.run_id}.flaky.${n}`));
    // The workflow owns step retries: its failed step jobs are not dead-lettered.
    for (const n of [1, 2, 3]) expect(await h.base.dlq(`${started.run_id}.flaky.${n}`)).toEqual([]);
  });

  it('waits at an approval step: approved via the use case it goes on; rejected it fails the run', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1' });
    await h.define('gated', {
      steps: {
        build: { input: { artifact: 'app.tgz' } },
        gate: { type: 'approval', depends_on: ['build'], input: { built: '${steps.build.output.echo.artifact}' } },
        deploy: { depends_on: ['gate'] },
      },
    });
    const waiting = async (runId: string) =>
      waitFor(`run ${runId} to wait for approval`, async () => {
        const run = await h.wf.runs.load({ type: 'run', tenant: TENANT, id: runId }, { fresh: true });
        return run.state.status === 'WAITING' ? run.state : undefined;
      });

    const approved = await h.run('gated');
    const before = await waiting(approved.run_id);
    expect(runStep(before, 'gate').wait).toMatchObject({ reason: 'approval', request: { built: 'app.tgz' } });
    const answer = await decideStepApproval(h.wf, TENANT, approved.run_id, 'gate', {
      approved: true,
      by: 'alice',
      reason: 'looks good',
    });
    expect(answer).toMatchObject({ changed: true, state: { status: 'RUNNING' } });
    const done = await h.finished(approved.run_id);
    expect(done.status).toBe('SUCCEEDED');
    expect((await h.runEvents(approved.run_id)).find((e) => e.type === 'RunStepApproved')?.data).toMatchObject({
      step_id: 'gate',
      by: 'alice',
      reason: 'looks good',
    });
    await expect(
      decideStepApproval(h.wf, TENANT, approved.run_id, 'gate', { approved: true, by: 'bob', reason: null }),
    ).rejects.toMatchObject({ name: 'ConflictError', code: 'step_not_waiting' });

    const rejected = await h.run('gated');
    await waiting(rejected.run_id);
    await decideStepApproval(h.wf, TENANT, rejected.run_id, 'gate', { approved: false, by: 'bob', reason: 'no' });
    const failed = await h.finished(rejected.run_id);
    expect(failed.status).toBe('FAILED');
    expect(runStep(failed, 'gate')).toMatchObject({ status: 'FAILED', error: { code: 'rejected', message: 'no' } });
    expect(runStep(failed, 'deploy').status).toBe('CANCELLED');
    // deploy ran for the approved run only.
    expect(worker.received.filter((job) => stepOf(job) === 'deploy').map((job) => job.env.run_id)).toEqual([
      approved.run_id,
    ]);
  });

  it('expires an approval nobody gives within the step timeout, failing the run', async () => {
    h = await startWorkflowHarness();
    await h.define('ignored', {
      steps: { gate: { type: 'approval', timeout_ms: 200 }, after: { depends_on: ['gate'] } },
    });
    const started = await h.run('ignored');
    const run = await h.finished(started.run_id);
    expect(run.status).toBe('FAILED');
    expect(runStep(run, 'gate')).toMatchObject({ status: 'TIMED_OUT', error: { code: 'approval_expired' } });
    const fired = (await h.runEvents(started.run_id)).find((e) => e.type === 'RunTimersFired');
    expect(fired?.data).toMatchObject({ fired: [{ kind: 'approval_expired', step_id: 'gate' }] });
  });

  it('shares the partitions between two processes of the workflows role, and every run still finishes', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1' });
    const other = h.wf.workflowsRole({ owner: 'other-process', leaseTtlMs: 600 });
    other.start();
    try {
      await waitFor('the partitions split between the two', () => {
        const mine = h.role?.partitions ?? [];
        return mine.length === 2 && other.partitions.length === 2 && new Set([...mine, ...other.partitions]).size === 4;
      });
      await h.define('shared', { steps: { a: {}, b: { depends_on: ['a'] } } });
      const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => h.run('shared', { i })));
      for (const run of runs) expect((await h.finished(run.run_id)).status).toBe('SUCCEEDED');
      expect(worker.received).toHaveLength(24);
    } finally {
      await other.stop();
    }
  });

  it('coalesces the outcomes of one run read in one fetch into one decision', async () => {
    h = await startWorkflowHarness();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    await h.worker({
      id: 'w1',
      behave: async (job) => {
        await gate;
        return { status: 'SUCCEEDED', result: job.payload };
      },
    });
    await h.define('five', { steps: { fan: { for_each: 'input.items', input: '${item}' } } });
    const started = await h.run('five', { items: [1, 2, 3, 4, 5] });
    const jobIds = [0, 1, 2, 3, 4].map((i) => `${started.run_id}.fan.${i}.1`);
    await waitFor('the five step jobs to run', async () => {
      const histories = await Promise.all(jobIds.map((id) => h.jobEvents(id)));
      return histories.every((events) => events.some((e) => e.type === 'JobDispatched'));
    });
    // The process manager is away while all five finish, so it finds their outcomes in one fetch.
    await h.stopWorkflows();
    release();
    await waitFor('the five step jobs to succeed', async () => {
      const histories = await Promise.all(jobIds.map((id) => h.jobEvents(id)));
      return histories.every((events) => events.at(-1)?.type === 'JobSucceeded');
    });
    h.startWorkflows();
    const run = await h.finished(started.run_id);

    expect(run.status).toBe('SUCCEEDED');
    const recorded = (await h.runEvents(started.run_id)).filter((e) => e.type === 'RunStepResultsRecorded');
    expect(recorded).toHaveLength(1);
    const data = recorded[0]?.data as RunStepResultsRecorded['data'];
    expect(data.outcomes.map((outcome) => outcome.job_id)).toEqual(jobIds);
    expect(data.status_after).toBe('SUCCEEDED');
  });
});
