/**
 * Workflows end to end (SPEC 2, 3; ARCHITECTURE.md section 7): `coretex start` and
 * `coretex worker --example` as processes on real NATS + Redis, HTTP from outside. One installation
 * for the file; each test routes its own topic to its own pool, so the workers of one test never take
 * another's step jobs. The last tests kill the Coretex process (SIGKILL mid-delay, and at the
 * crash point `workflows.after_decision_before_job_create`) and start it again on the same prefix;
 * the very last one, which must know which decision its crash point meets, has an installation of its own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { Api } from './support/api.ts';
import { type E2E, eventTypes, finished, startInstallation } from './support/installation.ts';
import {
  KEYS,
  killAll,
  startCoretex,
  startCoretexWithoutApi,
  startWorker,
  type WorkerProcess,
} from './support/processes.ts';

const POOLS = ['diamond', 'fan', 'doom', 'gate', 'pin', 'cfg', 'stop', 'delay', 'crash'];
const CRASH = 'workflows.after_decision_before_job_create';

const SYSTEM = {
  routing: {
    topics: Object.fromEntries(POOLS.map((p) => [`job.${p}`, p])),
    pools: Object.fromEntries(POOLS.map((p) => [p, { requires: [] }])),
  },
  // A step's default timeout is dispatch + running: 30 s, far beyond what any step here needs. The crash
  // test keeps Coretex down (lease expiry and restart, three times) longer than 10 s: a step job created
  // just before a crash may wait that long for its hand-off, which must not time it out.
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000, topics: { 'job.crash': { dispatch_ms: 90_000 } } },
};

interface StepView {
  type: string;
  status: string;
  wait: { reason: string; until: string; request: unknown } | null;
  job_ids: string[];
  output: unknown;
  error: { code: string; message: string } | null;
}

interface RunView {
  run_id: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  output: unknown;
  error: { code: string; message: string; step_id: string | null } | null;
  steps: Record<string, StepView>;
}

type Execution = ReturnType<WorkerProcess['executions']>[number];

let e: E2E;
beforeAll(async () => {
  e = await startInstallation(SYSTEM);
}, 60_000);
afterEach(async () => {
  // The workers a test started go; Coretex stays (the restart tests replace it in `e`).
  await killAll([e.coretex]).catch(() => {});
});
afterAll(async () => {
  await killAll();
});

const worker = (options: Parameters<typeof startWorker>[1]): Promise<WorkerProcess> =>
  startWorker(e.installation, options);

async function define(definition: Record<string, unknown>): Promise<void> {
  const answer = await e.api.post('/api/v1/workflows', definition);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

async function startRun(workflowId: string, input: unknown = {}, api: Api = e.api): Promise<string> {
  const answer = await api.post<{ run_id: string }>(`/api/v1/workflows/${workflowId}/runs`, { input });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.run_id;
}

async function runOf(runId: string): Promise<RunView> {
  const answer = await e.api.get<RunView>(`/api/v1/workflow-runs/${runId}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

function runWhen(runId: string, what: string, done: (run: RunView) => boolean, timeoutMs = 30_000): Promise<RunView> {
  return waitFor(
    `run ${runId}: ${what}`,
    async () => {
      const run = await runOf(runId);
      return done(run) ? run : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const ended = (runId: string, timeoutMs = 30_000) =>
  runWhen(runId, 'ended', (run) => ENDED.includes(run.status), timeoutMs);

/** Every execution the workers logged for the jobs of `runId` (ids `<run>.<step>[.<i>].<n>`), in time order. */
function executionsOf(workers: readonly WorkerProcess[], runId: string): Execution[] {
  return workers
    .flatMap((w) => w.executions())
    .filter((x) => x.job_id.startsWith(`${runId}.`))
    .sort((p, q) => p.at - q.at);
}

const startsOf = (log: readonly Execution[]) => log.filter((x) => x.event === 'start');

describe('workflows end to end (processes, NATS + Redis)', () => {
  it('a diamond DAG: a branch with a false condition is SKIPPED, the join still runs; outputs in the run', async () => {
    const w = await worker({ id: 'diamond-1', pool: 'diamond', maxParallel: 4 });
    await define({
      id: 'diamond',
      input_schema: { type: 'object', required: ['x'], properties: { x: { type: 'integer' } } },
      steps: {
        a: { topic: 'job.diamond', input: { x: '${input.x}' }, output_path: 'a' },
        b: { topic: 'job.diamond', depends_on: ['a'], condition: 'input.x > 10', input: { branch: 'b' } },
        c: {
          topic: 'job.diamond',
          depends_on: ['a'],
          condition: 'steps.a.output.echo.x == 3',
          input: { branch: 'c', from_a: '${steps.a.output.echo}' },
        },
        d: {
          topic: 'job.diamond',
          depends_on: ['b', 'c'],
          input: { joined: '${steps.c.output.echo}' },
          output_path: 'd',
        },
      },
    });
    const runId = await startRun('diamond', { x: 3 });
    const run = await ended(runId);
    expect(run.status, JSON.stringify(run)).toBe('SUCCEEDED');
    expect(run.steps.b).toMatchObject({ status: 'SKIPPED', job_ids: [] });
    expect(run.steps.a).toMatchObject({ status: 'SUCCEEDED', job_ids: [`${runId}.a.1`] });
    expect(run.steps.c).toMatchObject({
      status: 'SUCCEEDED',
      output: { echo: { branch: 'c', from_a: { x: 3 } }, worker_id: 'diamond-1' },
    });
    expect(run.steps.d).toMatchObject({
      status: 'SUCCEEDED',
      job_ids: [`${runId}.d.1`],
      output: { echo: { joined: { branch: 'c', from_a: { x: 3 } } }, worker_id: 'diamond-1' },
    });
    expect(run.output).toEqual({
      a: { echo: { x: 3 }, worker_id: 'diamond-1' },
      d: { echo: { joined: { branch: 'c', from_a: { x: 3 } } }, worker_id: 'diamond-1' },
    });
    // The skipped branch never reached a worker; d started only after c completed.
    const log = executionsOf([w], runId);
    expect(startsOf(log).map((x) => x.job_id)).toEqual([`${runId}.a.1`, `${runId}.c.1`, `${runId}.d.1`]);
    const cDone = log.find((x) => x.job_id === `${runId}.c.1` && x.event === 'complete');
    const dStart = log.find((x) => x.job_id === `${runId}.d.1` && x.event === 'start');
    expect(dStart?.at).toBeGreaterThanOrEqual(cDone?.at ?? Infinity);
  });

  it('for_each over 50 items with max_parallel 5: one item fails once and is retried; never more than 5 children at once', async () => {
    const workers = await Promise.all([
      worker({ id: 'fan-1', pool: 'fan', maxParallel: 4, sleepMs: 150, failMarked: 1 }),
      worker({ id: 'fan-2', pool: 'fan', maxParallel: 4, sleepMs: 150, failMarked: 1 }),
    ]);
    await define({
      id: 'fan-out',
      steps: {
        fan: {
          topic: 'job.fan',
          for_each: 'input.items',
          max_parallel: 5,
          input: { item: '${item}', example_fail: '${item == 17}' },
          // Each worker process fails the marked payload once: at most two failures.
          retry: { max_retries: 3, initial_backoff_ms: 100, max_backoff_ms: 500, multiplier: 2 },
          output_path: 'fan',
        },
      },
    });
    const items = Array.from({ length: 50 }, (_, i) => i);
    const runId = await startRun('fan-out', { items });
    const run = await ended(runId, 60_000);
    expect(run.status, JSON.stringify(run.error)).toBe('SUCCEEDED');
    const output = run.steps.fan?.output as { echo: { item: number } }[];
    expect(output.map((o) => o.echo.item)).toEqual(items);

    const log = executionsOf(workers, runId).filter((x) => x.job_id.startsWith(`${runId}.fan.`));
    // Item 17 failed at least once, on its first job, and a later job of it succeeded.
    const item17 = log.filter((x) => x.job_id.startsWith(`${runId}.fan.17.`) && x.event !== 'start');
    expect(item17[0]).toMatchObject({ job_id: `${runId}.fan.17.1`, status: 'FAILED' });
    expect(item17.at(-1)).toMatchObject({ status: 'SUCCEEDED' });
    expect(item17.at(-1)?.job_id).not.toBe(`${runId}.fan.17.1`);
    // Every other item ran exactly once.
    for (const i of items.filter((n) => n !== 17)) {
      expect(
        startsOf(log)
          .filter((x) => x.job_id.startsWith(`${runId}.fan.${i}.`))
          .map((x) => x.job_id),
      ).toEqual([`${runId}.fan.${i}.1`]);
    }
    // At no moment more than 5 children ran (an execution ends, in the log, before its result is sent).
    const edges = log
      .filter((x) => x.event !== 'refuse')
      .map((x) => ({ at: x.at, delta: x.event === 'start' ? 1 : -1 }))
      .sort((p, q) => p.at - q.at || p.delta - q.delta);
    let running = 0;
    let most = 0;
    for (const edge of edges) {
      running += edge.delta;
      most = Math.max(most, running);
    }
    expect(running).toBe(0);
    expect(most).toBeLessThanOrEqual(5);
    // ... and the limit was reached, not merely respected by a slow trickle (the workers have 8 slots).
    expect(most).toBeGreaterThanOrEqual(4);
  }, 90_000);

  it('a step that exhausts its retries fails the run; its dependants never run', async () => {
    const w = await worker({ id: 'doom-1', pool: 'doom', failRate: 1 });
    await define({
      id: 'doomed',
      steps: {
        try: { topic: 'job.doom', retry: { max_retries: 2, initial_backoff_ms: 100, multiplier: 1 } },
        after: { topic: 'job.doom', depends_on: ['try'] },
      },
    });
    const runId = await startRun('doomed');
    const run = await ended(runId);
    expect(run.status).toBe('FAILED');
    expect(run.error?.step_id).toBe('try');
    expect(run.steps.try).toMatchObject({ status: 'FAILED', job_ids: [`${runId}.try.3`] });
    expect(run.steps.after).toMatchObject({ status: 'CANCELLED', job_ids: [] });
    // Three step jobs (1 + 2 retries), each executed once and failed; nothing more.
    const log = executionsOf([w], runId);
    expect(startsOf(log).map((x) => x.job_id)).toEqual([1, 2, 3].map((n) => `${runId}.try.${n}`));
    expect(log.filter((x) => x.event === 'complete').map((x) => x.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    for (const n of [1, 2, 3]) {
      expect(await finished(e.api, `${runId}.try.${n}`)).toMatchObject({ state: 'FAILED', attempt: 1 });
    }
  });

  it('an approved approval step lets the run go on; a rejected one fails the run', async () => {
    const w = await worker({ id: 'gate-1', pool: 'gate' });
    await define({
      id: 'gated',
      steps: {
        gate: { type: 'approval', input: { ask: 'ship ${input.what}?' } },
        ship: { topic: 'job.gate', depends_on: ['gate'], input: { what: '${input.what}' }, output_path: 'shipped' },
      },
    });
    const yes = await startRun('gated', { what: 'v1' });
    const no = await startRun('gated', { what: 'v2' });
    for (const runId of [yes, no]) {
      const waiting = await runWhen(runId, 'WAITING at the gate', (run) => run.steps.gate?.status === 'WAITING');
      expect(waiting.status).toBe('WAITING');
      expect(waiting.steps.gate?.wait).toMatchObject({
        reason: 'approval',
        request: { ask: `ship ${runId === yes ? 'v1' : 'v2'}?` },
      });
    }
    const approved = await e.api.post(`/api/v1/workflow-runs/${yes}/steps/gate/approve`, {
      approved: true,
      reason: 'go',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const rejected = await e.api.post(`/api/v1/workflow-runs/${no}/steps/gate/approve`, {
      approved: false,
      reason: 'not today',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'FAILED', step_status: 'FAILED' });

    const done = await ended(yes);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ shipped: { echo: { what: 'v1' }, worker_id: 'gate-1' } });
    const failed = await ended(no);
    expect(failed.status).toBe('FAILED');
    expect(failed.error?.step_id).toBe('gate');
    expect(failed.steps.ship?.job_ids).toEqual([]);
    expect(failed.steps.gate).toMatchObject({ status: 'FAILED', error: { code: 'rejected', message: 'not today' } });
    expect(failed.steps.ship?.status).toBe('CANCELLED');
    // Answering again is refused; who answered is in the run's events.
    expect((await e.api.post(`/api/v1/workflow-runs/${no}/steps/gate/approve`, { approved: true })).status).toBe(409);
    const events = await e.api.get<{ items: { actor: string; data: Record<string, unknown> }[] }>(
      `/api/v1/workflow-runs/${no}/events`,
    );
    expect(events.body.items.find((x) => x.data.step_id === 'gate')?.data).toMatchObject({
      by: 'api:acme',
      reason: 'not today',
    });
    expect(startsOf(w.executions()).map((x) => x.job_id)).toEqual([`${yes}.ship.1`]);
  });

  it('a definition edited (PUT with If-Match) while a run is in flight: the run finishes on its pinned version', async () => {
    const w = await worker({ id: 'pin-1', pool: 'pin', sleepMs: 2_000 });
    await define({
      id: 'pinned',
      steps: {
        one: { topic: 'job.pin', input: { v: 1, step: 'one' } },
        two: { topic: 'job.pin', depends_on: ['one'], input: { v: 1, step: 'two' }, output_path: 'two' },
      },
    });
    const runId = await startRun('pinned');
    await waitFor('step one running', () => startsOf(w.executions()).some((x) => x.job_id === `${runId}.one.1`));
    const v2 = { id: 'pinned', steps: { alpha: { topic: 'job.pin', input: { v: 2, step: 'alpha' } } } };
    const stale = await e.api.put('/api/v1/workflows/pinned', v2, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    const saved = await e.api.put<{ version: number }>('/api/v1/workflows/pinned', v2, { 'if-match': '"1"' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.version).toBe(2);
    const savedAt = Date.now();
    expect((await runOf(runId)).status).not.toMatch(/SUCCEEDED|FAILED/);

    const run = await ended(runId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', workflow_version: 1 });
    expect(Object.keys(run.steps).sort()).toEqual(['one', 'two']);
    expect(run.output).toEqual({ two: { echo: { v: 1, step: 'two' }, worker_id: 'pin-1' } });
    // Step two was scheduled after the edit, from the old version; nothing of version 2 ran.
    const starts = startsOf(executionsOf([w], runId));
    expect(starts.map((x) => x.job_id)).toEqual([`${runId}.one.1`, `${runId}.two.1`]);
    expect(starts[1]?.at).toBeGreaterThan(savedAt);
    // A new run takes the new version.
    const next = await startRun('pinned');
    const nextRun = await ended(next);
    expect(nextRun).toMatchObject({ status: 'SUCCEEDED', workflow_version: 2 });
    expect(Object.keys(nextRun.steps)).toEqual(['alpha']);
  });

  it('the effective config (system → workflow → step) reaches the step job as CORETEX_EFFECTIVE_CONFIG', async () => {
    await worker({
      id: 'cfg-1',
      pool: 'cfg',
      echoEnv: ['CORETEX_EFFECTIVE_CONFIG', 'CORETEX_CONFIG_VERSION', 'workflow_id', 'step_id', 'run_id'],
    });
    await define({
      id: 'configured',
      steps: {
        plain: { topic: 'job.cfg' },
        tuned: { topic: 'job.cfg', depends_on: ['plain'] },
      },
    });
    const wf = await e.api.put('/api/v1/config/workflow/acme:configured', {
      data: { feature: { colour: 'blue' }, limit: 3 },
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(200);
    const step = await e.api.put('/api/v1/config/step/acme:configured:tuned', { data: { limit: 7 } });
    expect(step.status, JSON.stringify(step.body)).toBe(200);

    const runId = await startRun('configured');
    const run = await ended(runId);
    expect(run.status).toBe('SUCCEEDED');
    const envOf = (stepId: string) => {
      const output = run.steps[stepId]?.output as { env: Record<string, string> };
      return { env: output.env, config: JSON.parse(output.env.CORETEX_EFFECTIVE_CONFIG ?? 'null') as unknown };
    };
    const plain = envOf('plain');
    const tuned = envOf('tuned');
    expect(plain.env).toMatchObject({ workflow_id: 'configured', run_id: runId, step_id: 'plain' });
    expect(plain.config).toMatchObject({ feature: { colour: 'blue' }, limit: 3, routing: SYSTEM.routing });
    expect(tuned.env).toMatchObject({ workflow_id: 'configured', run_id: runId, step_id: 'tuned' });
    expect(tuned.config).toMatchObject({ feature: { colour: 'blue' }, limit: 7, routing: SYSTEM.routing });
    // The same document the API computes for that scope.
    const effective = await e.api.get<{ data: unknown; version: string }>(
      '/api/v1/config/effective?org_id=acme&workflow_id=configured&step_id=tuned',
    );
    expect(effective.status).toBe(200);
    expect(tuned.config).toEqual(effective.body.data);
    expect(tuned.env.CORETEX_CONFIG_VERSION).toBe(effective.body.version);
    expect(effective.body.version).toMatch(/\|workflow:1\|step:1$/);
  });

  it('cancel of a running run stops its step job on the worker (abort: stopped); the run is CANCELLED', async () => {
    const w = await worker({ id: 'stop-1', pool: 'stop', sleepMs: 60_000 });
    await define({
      id: 'stoppable',
      steps: { work: { topic: 'job.stop' }, after: { topic: 'job.stop', depends_on: ['work'] } },
    });
    const runId = await startRun('stoppable');
    const jobId = `${runId}.work.1`;
    await waitFor('the step job running', () => startsOf(w.executions()).some((x) => x.job_id === jobId));
    expect((await runOf(runId)).status).toBe('RUNNING');
    const cancelled = await e.api.post(`/api/v1/workflow-runs/${runId}/cancel`, { reason: 'no longer needed' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ run_id: runId, status: 'CANCELLED' });
    const abort = await waitFor('the worker to abort the step job', () =>
      w.executions().find((x) => x.job_id === jobId && x.event !== 'start'),
    );
    expect(abort).toMatchObject({ event: 'abort', reason: 'stopped' });
    expect(await finished(e.api, jobId)).toMatchObject({ state: 'CANCELLED' });
    const run = await runOf(runId);
    expect(run.status).toBe('CANCELLED');
    expect(run.steps.work?.status).toBe('CANCELLED');
    expect(run.steps.after?.job_ids).toEqual([]);
    expect(run.steps.after?.status).toBe('CANCELLED');
    expect(startsOf(w.executions()).map((x) => x.job_id)).toEqual([jobId]);
  });

  it(
    'a delay step survives a SIGKILL of Coretex mid-delay: the run finishes after the delay',
    { timeout: 90_000 },
    async () => {
      const w = await worker({ id: 'delay-1', pool: 'delay' });
      await define({
        id: 'delayed',
        steps: {
          before: { topic: 'job.delay' },
          pause: { type: 'delay', depends_on: ['before'], delay_ms: 6_000 },
          after: { topic: 'job.delay', depends_on: ['pause'], output_path: 'after' },
        },
      });
      const runId = await startRun('delayed');
      const waiting = await runWhen(runId, 'in the delay', (run) => run.steps.pause?.status === 'WAITING');
      const until = Date.parse(waiting.steps.pause?.wait?.until ?? '');
      expect(waiting.steps.pause?.wait?.reason).toBe('delay');
      expect(until).toBeGreaterThan(Date.now());
      await e.coretex.kill();
      expect(Date.now()).toBeLessThan(until);
      const coretex = await startCoretex(e.installation);
      e = { ...e, coretex, api: new Api(coretex.url, KEYS.acme), admin: new Api(coretex.url, KEYS.admin) };

      const run = await ended(runId, 45_000);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.steps.pause?.status).toBe('SUCCEEDED');
      const starts = startsOf(executionsOf([w], runId));
      expect(starts.map((x) => x.job_id)).toEqual([`${runId}.before.1`, `${runId}.after.1`]);
      expect(starts[1]?.at).toBeGreaterThanOrEqual(until);
    },
  );

  it(
    `killed three times at ${CRASH}: every run completes, each step job exists and ran exactly once`,
    { timeout: 150_000 },
    async () => {
      const workers = await Promise.all([
        worker({ id: 'crash-1', pool: 'crash', maxParallel: 4, sleepMs: 100 }),
        worker({ id: 'crash-2', pool: 'crash', maxParallel: 4, sleepMs: 100 }),
      ]);
      await define({
        id: 'crashy',
        steps: {
          first: { topic: 'job.crash', input: { n: '${input.n}' } },
          fan: {
            topic: 'job.crash',
            depends_on: ['first'],
            for_each: '[0, 1, 2]',
            max_parallel: 2,
            input: { n: '${input.n}', i: '${item}' },
          },
          last: { topic: 'job.crash', depends_on: ['fan'], input: { n: '${input.n}' }, output_path: 'last' },
        },
      });
      // Coretex is replaced by one armed to die at the n-th step-job creation; three times, at different
      // counts (so at different stages of the runs, and also on the read-back path after a restart).
      const runIds: string[] = [];
      const submit = async (api: Api) => {
        const answers = await Promise.allSettled(
          Array.from({ length: 4 }, () =>
            api.post<{ run_id?: string }>('/api/v1/workflows/crashy/runs', { input: { n: runIds.length } }),
          ),
        );
        for (const answer of answers) {
          // A run counts when its start was answered 201; a request cut by the crash does not.
          if (answer.status === 'fulfilled' && answer.value.status === 201 && answer.value.body.run_id !== undefined) {
            runIds.push(answer.value.body.run_id);
          }
        }
      };
      await e.coretex.kill();
      let restartedAt = 0;
      for (const nth of [4, 3, 5]) {
        const coretex = await startCoretex(e.installation, { env: { CORETEX_CRASH_AT: `${CRASH}@${nth}` } });
        await submit(new Api(coretex.url, KEYS.acme));
        await waitFor(`the crash at the creation ${nth}`, () => coretex.child.signalCode === 'SIGKILL', {
          timeoutMs: 30_000,
        });
        expect(coretex.output()).toContain(`crash point ${CRASH}`);
        restartedAt = Date.now();
      }
      const coretex = await startCoretex(e.installation);
      e = { ...e, coretex, api: new Api(coretex.url, KEYS.acme), admin: new Api(coretex.url, KEYS.admin) };
      expect(runIds.length).toBeGreaterThanOrEqual(8);

      for (const runId of runIds) {
        const run = await ended(runId, 60_000);
        expect(run.status, `${runId}: ${JSON.stringify(run.error)}`).toBe('SUCCEEDED');
        const expected = [`${runId}.first.1`, ...[0, 1, 2].map((i) => `${runId}.fan.${i}.1`), `${runId}.last.1`].sort();
        const steps = Object.values(run.steps).flatMap((step) => step.job_ids);
        expect(steps.sort()).toEqual(expected);
        // Each step job ran once: one start and one completion per (job, attempt), and no other job.
        const log = executionsOf(workers, runId);
        expect(
          startsOf(log)
            .map((x) => `${x.job_id}#${x.attempt}`)
            .sort(),
        ).toEqual(expected.map((id) => `${id}#1`));
        expect(
          log
            .filter((x) => x.event === 'complete')
            .map((x) => x.job_id)
            .sort(),
        ).toEqual(expected);
        for (const id of expected) {
          expect(await finished(e.api, id)).toMatchObject({ state: 'SUCCEEDED', attempt: 1 });
        }
      }
      // The last crash cut runs short: the restarted process created the rest of their step jobs.
      const late = startsOf(workers.flatMap((w) => w.executions())).filter((x) => x.at >= restartedAt);
      expect(late.length).toBeGreaterThan(0);
    },
  );

  it('a cancel between a run decision and its step job creation: the job is pre-empted and never runs', async () => {
    // An installation of its own: on the file's, a process manager starting after the SIGKILLs of the
    // test before replays recent run events from its saved cursor, and the armed crash point would
    // fire on one of those instead of on this run's decision.
    await e.coretex.kill();
    e = await startInstallation(SYSTEM);
    // The API and the job roles in one process; the workflow process manager alone in another, armed
    // to die right after its first decision that names a step job, before creating it.
    const w = await worker({ id: 'crash-guard', pool: 'crash' });
    await define({ id: 'guarded', steps: { only: { topic: 'job.crash' } } });
    await e.coretex.kill();
    const coretex = await startCoretex(e.installation, { roles: 'api,scheduler,projector,reconciler' });
    e = { ...e, coretex, api: new Api(coretex.url, KEYS.acme), admin: new Api(coretex.url, KEYS.admin) };
    let manager = await startCoretexWithoutApi(e.installation, 'workflows', { CORETEX_CRASH_AT: `${CRASH}@1` });
    const runId = await startRun('guarded');
    const jobId = `${runId}.only.1`;
    await waitFor('the process manager to crash', () => manager.child.signalCode === 'SIGKILL', {
      timeoutMs: 30_000,
    });
    // The run records the step job as decided; the job was never created.
    const decided = await runOf(runId);
    expect(decided.steps.only).toMatchObject({ status: 'RUNNING', job_ids: [jobId] });
    expect((await e.api.get(`/api/v1/jobs/${jobId}`)).status).toBe(404);

    const cancelled = await e.api.post(`/api/v1/workflow-runs/${runId}/cancel`, { reason: 'in the window' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    manager = await startCoretexWithoutApi(e.installation, 'workflows');
    const job = await waitFor(
      'the step job pre-empted',
      async () => {
        const answer = await e.api.get<{ state: string }>(`/api/v1/jobs/${jobId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(job.state).toBe('CANCELLED');
    expect((await eventTypes(e.api, jobId))[0]).toBe('JobPreempted');
    const run = await runOf(runId);
    expect(run).toMatchObject({ status: 'CANCELLED' });
    expect(run.steps.only?.status).toBe('CANCELLED');
    expect(w.executions()).toEqual([]);
  });
});
