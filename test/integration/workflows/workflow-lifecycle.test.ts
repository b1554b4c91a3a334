/**
 * The workflow engine across what happens around a run (SPEC 2.2, 3, 4; ARCHITECTURE.md sections 5,
 * 7): durable delays over a process-manager restart, cancel reaching the workers, a user cancelling a
 * step job, definitions edited mid-run (runs stay pinned), the step's effective config reaching its
 * worker, and a crash between a run decision and its step jobs' creation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashPoints } from '../../../src/app/ports.ts';
import { cancelJob } from '../../../src/app/jobs/job-commands.ts';
import { AFTER_DECISION_BEFORE_JOB_CREATE } from '../../../src/app/workflows/run-effects.ts';
import { cancelRun } from '../../../src/app/workflows/run-commands.ts';
import { updateWorkflow } from '../../../src/app/workflows/workflow-commands.ts';
import type { RunCancelled, RunTimersFired } from '../../../src/domain/workflow/run-events.ts';
import { runStep } from '../../../src/domain/workflow/run-state.ts';
import { waitFor } from '../../harness/wait-for.ts';
import { startWorkflowHarness, TENANT, type WorkflowHarness } from '../../support/workflow-harness.ts';

let h: WorkflowHarness;
afterEach(async () => {
  await h.stop();
});

const never = () => new Promise<null>(() => {});

async function status(runId: string, wanted: string): Promise<void> {
  await waitFor(`run ${runId} to be ${wanted}`, async () => {
    const run = await h.wf.runs.load({ type: 'run', tenant: TENANT, id: runId }, { fresh: true });
    return run.state.status === wanted;
  });
}

describe('workflow runs around them (in process)', () => {
  it('keeps a delay as a durable due time: it fires while the process manager is down, and a new one goes on', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1' });
    await h.define('delayed', {
      steps: { pause: { type: 'delay', delay_ms: 300 }, after: { depends_on: ['pause'], input: 'late' } },
    });
    const started = await h.run('delayed');
    await status(started.run_id, 'WAITING');
    await h.stopWorkflows();

    const fired = await waitFor('the delay to fire', async () =>
      (await h.runEvents(started.run_id)).find((e) => e.type === 'RunTimersFired'),
    );
    expect((fired.data as RunTimersFired['data']).fired).toEqual([{ kind: 'delay_done', step_id: 'pause' }]);
    expect(fired.actor).toBe('reconciler');
    // Nobody performs the event's effects while no process manager runs.
    expect(await h.jobEvents(`${started.run_id}.after.1`)).toEqual([]);

    h.startWorkflows();
    const run = await h.finished(started.run_id);
    expect(run.status).toBe('SUCCEEDED');
    expect(worker.received.map((job) => job.job_id)).toEqual([`${started.run_id}.after.1`]);
  });

  it('gives a run started while no process manager runs its first pass from the reconciler, after a grace period', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1' });
    await h.define('orphan', { steps: { only: {} } });
    await h.stopWorkflows();
    const started = await h.run('orphan');
    const pass = await waitFor('a first pass', async () =>
      (await h.runEvents(started.run_id)).find((e) => e.type === 'RunStepsScheduled'),
    );
    expect(pass.actor).toBe('reconciler');
    expect(Date.parse(pass.time) - started.state.started_at).toBeGreaterThanOrEqual(500);
    h.startWorkflows();
    expect((await h.finished(started.run_id)).status).toBe('SUCCEEDED');
    expect(worker.received).toHaveLength(1);
  });

  it('replays a parked run event through the same reaction', async () => {
    h = await startWorkflowHarness({ workflows: { pendingGraceMs: 60_000 } });
    const worker = await h.worker({ id: 'w1' });
    await h.define('parked', { steps: { only: {} } });
    await h.stopWorkflows();
    const started = await h.run('parked');
    const [event] = await h.runEvents(started.run_id);
    if (event === undefined) throw new Error('no RunStarted');
    const parked = await h.base.rt.parking.park({
      source: 'run-event',
      position: event.position,
      subject: event.stream_id,
      input: event,
      error: 'Error: kept failing',
      attempts: 5,
    });
    await h.base.rt.parking.replay(parked.id);
    expect((await h.runEvents(started.run_id)).map((e) => e.type)).toEqual(['RunStarted', 'RunStepsScheduled']);
    await waitFor('the step job to run', () => worker.received.length === 1);
    expect(await h.base.rt.parking.list()).toEqual([]);
    h.startWorkflows();
    expect((await h.finished(started.run_id)).status).toBe('SUCCEEDED');
  });

  it('times out a step attempt that never answers, stops it, retries it, and fails the run when retries run out', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1', behave: never });
    await h.define('hangs', {
      steps: { slow: { timeout_ms: 250, retry: { max_retries: 1, initial_backoff_ms: 10 } } },
    });
    const started = await h.run('hangs');
    const run = await h.finished(started.run_id);
    expect(run.status).toBe('FAILED');
    expect(run.outcome.error).toMatchObject({ code: 'step_failed', step_id: 'slow' });
    // The run's timer or the job's own running timeout, whichever came first, ended each attempt.
    expect(runStep(run, 'slow').status).toBe('TIMED_OUT');
    const attempts = [1, 2].map((n) => `${started.run_id}.slow.${n}`);
    expect(worker.received.map((job) => job.job_id)).toEqual(attempts);
    await waitFor('a stop for each attempt on the worker', () =>
      attempts.every((id) => worker.stops.some((stop) => stop.job_id === id)),
    );
  });

  it('times a run out at its timeout_ms, stopping the step job still running', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1', behave: never });
    await h.define('bounded', { timeout_ms: 300, steps: { stuck: { timeout_ms: 60_000 } } });
    const started = await h.run('bounded');
    const run = await h.finished(started.run_id);
    expect(run.status).toBe('TIMED_OUT');
    expect(run.outcome.error).toMatchObject({ code: 'run_timed_out' });
    const fired = (await h.runEvents(started.run_id)).find((e) => e.type === 'RunTimersFired');
    expect((fired?.data as RunTimersFired['data']).fired).toEqual([{ kind: 'run_timeout' }]);
    await waitFor('the step job stopped on the worker', () => worker.stops.length === 1);
    expect(worker.stops[0]?.job_id).toBe(`${started.run_id}.stuck.1`);
  });

  it('cancels a running run: its step jobs are cancelled and their workers told to stop', async () => {
    h = await startWorkflowHarness();
    const worker = await h.worker({ id: 'w1', behave: never });
    await h.define('long', {
      steps: { fan: { for_each: 'input.items', input: '${item}' }, after: { depends_on: ['fan'] } },
    });
    const started = await h.run('long', { items: ['a', 'b', 'c'] });
    const jobIds = [0, 1, 2].map((i) => `${started.run_id}.fan.${i}.1`);
    await waitFor('three step jobs on the worker', () => worker.received.length === 3);

    const answer = await cancelRun(h.wf, TENANT, started.run_id, 'api:test', 'not needed');
    expect(answer).toMatchObject({ changed: true, state: { status: 'CANCELLED' } });
    await waitFor('a stop for each step job', () => worker.stops.length === 3);
    expect(worker.stops.map((stop) => stop.job_id).sort()).toEqual(jobIds);
    for (const jobId of jobIds) {
      await waitFor(`${jobId} to be cancelled`, async () => (await h.jobEvents(jobId)).at(-1)?.type === 'JobCancelled');
    }
    const cancelled = (await h.runEvents(started.run_id)).find((e) => e.type === 'RunCancelled');
    expect((cancelled?.data as RunCancelled['data']).stop_jobs.map((job) => job.job_id)).toEqual(jobIds);
    // Cancelling an ended run changes nothing (the cancel guard).
    const again = await cancelRun(h.wf, TENANT, started.run_id, 'api:test', null);
    expect(again).toMatchObject({ changed: false, position: answer.position, state: { status: 'CANCELLED' } });
    expect(worker.received).toHaveLength(3);
  });

  it('cancels the step, and so fails the run, when a user cancels a step job', async () => {
    h = await startWorkflowHarness();
    await h.worker({ id: 'w1', behave: never });
    await h.define('one', { steps: { only: {}, after: { depends_on: ['only'] } } });
    const started = await h.run('one');
    const jobId = `${started.run_id}.only.1`;
    await waitFor('the step job to run', async () =>
      (await h.jobEvents(jobId)).some((e) => e.type === 'JobDispatched'),
    );
    await cancelJob(h.base.rt, TENANT, jobId, 'api:someone', 'wrong input');
    const run = await h.finished(started.run_id);
    expect(run.status).toBe('FAILED');
    expect(runStep(run, 'only')).toMatchObject({ status: 'CANCELLED', error: { code: 'job_cancelled' } });
    expect(await h.jobEvents(`${started.run_id}.only.2`)).toEqual([]);
  });

  it('finishes a run on the version it started with when the definition is edited meanwhile', async () => {
    h = await startWorkflowHarness();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = await h.worker({
      id: 'w1',
      behave: async (job) => {
        if (job.env.step_id === 'first') await gate;
        return { status: 'SUCCEEDED', result: job.payload };
      },
    });
    const v1 = await h.define('edited', { steps: { first: {}, old: { depends_on: ['first'], input: 'v1' } } });
    const pinned = await h.run('edited');
    await waitFor('the first step to run', () => worker.received.length === 1);

    const v2 = await updateWorkflow(h.wf, {
      tenant: TENANT,
      workflow_id: 'edited',
      definition: { steps: { first: {}, new: { depends_on: ['first'], input: 'v2' } } },
      expected_version: 1,
      by: 'test',
    });
    expect(v2.state).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect(v2.position).toBeGreaterThan(v1.position);
    await expect(
      updateWorkflow(h.wf, { tenant: TENANT, workflow_id: 'edited', definition: {}, expected_version: 1, by: 'x' }),
    ).rejects.toMatchObject({ name: 'ConflictError', code: 'version_mismatch' });
    release();

    const run = await h.finished(pinned.run_id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.keys.workflow_version).toBe(1);
    expect(Object.keys(run.steps).sort()).toEqual(['first', 'old']);
    const later = await h.finished((await h.run('edited')).run_id);
    expect(later.keys.workflow_version).toBe(2);
    expect(worker.received.map((job) => [job.env.run_id, job.env.step_id, job.payload])).toEqual([
      [pinned.run_id, 'first', null],
      [pinned.run_id, 'old', 'v1'],
      [later.keys.run_id, 'first', null],
      [later.keys.run_id, 'new', 'v2'],
    ]);
  });

  it("hands the step's effective config to its worker, and takes the step's default timeout from it", async () => {
    h = await startWorkflowHarness();
    h.base.config.set('workflow', `${TENANT}:configured`, { feature: 'workflow-level', region_hint: 'eu' });
    h.base.config.set('step', `${TENANT}:configured:work`, {
      feature: 'step-level',
      timeouts: { dispatch_ms: 1_000, running_ms: 1_234 },
    });
    const worker = await h.worker({ id: 'w1' });
    await h.define('configured', { steps: { work: {}, other: {} } });
    const started = await h.run('configured');
    expect(started.state.timeouts).toEqual({ work: 2_234, other: 7_000 });
    await h.finished(started.run_id);

    const work = worker.received.find((job) => job.env.step_id === 'work');
    const other = worker.received.find((job) => job.env.step_id === 'other');
    expect(JSON.parse(work?.env.CORETEX_EFFECTIVE_CONFIG ?? '{}')).toMatchObject({
      feature: 'step-level',
      region_hint: 'eu',
    });
    expect(JSON.parse(other?.env.CORETEX_EFFECTIVE_CONFIG ?? '{}')).toMatchObject({
      feature: 'workflow-level',
      region_hint: 'eu',
    });
  });

  it('loses nothing when the process manager stops between a run decision and its step jobs', async () => {
    const crash = new CrashPoint(AFTER_DECISION_BEFORE_JOB_CREATE);
    h = await startWorkflowHarness({ crash });
    const worker = await h.worker({ id: 'w1' });
    await h.define('fragile', { steps: { a: {}, b: { depends_on: ['a'] } } });
    const started = await h.run('fragile');
    await waitFor('the crash point', () => crash.hits > 0);
    // The decision is recorded, and the process goes away before its job is created.
    await h.stopWorkflows();
    expect((await h.runEvents(started.run_id)).map((e) => e.type)).toEqual(['RunStarted', 'RunStepsScheduled']);
    expect(await h.jobEvents(`${started.run_id}.a.1`)).toEqual([]);

    crash.armed = false;
    h.startWorkflows();
    const run = await h.finished(started.run_id);
    expect(run.status).toBe('SUCCEEDED');
    expect(worker.received.map((job) => job.job_id)).toEqual([`${started.run_id}.a.1`, `${started.run_id}.b.1`]);
    expect(await h.jobEvents(`${started.run_id}.a.2`)).toEqual([]);
    expect(await h.base.rt.parking.list()).toEqual([]);
  });
});

/**
 * A crash-point double: while armed, reaching the point throws, as a process exit would stop the work
 * there (the process manager retries the input meanwhile, and never gets past the point).
 */
class CrashPoint implements CrashPoints {
  hits = 0;
  armed = true;
  readonly #point: string;

  constructor(point: string) {
    this.#point = point;
  }

  hit(point: string): void {
    if (point !== this.#point || !this.armed) return;
    this.hits++;
    throw new Error(`crash at ${point}`);
  }
}
