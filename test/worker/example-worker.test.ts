/** The example echo worker (`coretex worker --example`, SPEC 7): its options, in process and as a CLI process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { protocolSubjects } from '../../src/domain/protocol/messages.ts';
import { startExampleWorker, type ExampleWorkerOptions } from '../../src/worker/example.ts';
import { parseExecutionLog, type Worker } from '../../src/worker/index.ts';
import { waitFor } from '../harness/wait-for.ts';
import {
  type ControlPlane,
  dispatchMessage,
  embeddedControlPlane,
  natsControlPlane,
  waitForResult,
} from './support.ts';

describe('the example worker in process', () => {
  let cp: ControlPlane;
  let worker: Worker | null;

  beforeEach(async () => {
    cp = await embeddedControlPlane();
    worker = null;
  });
  afterEach(async () => {
    await worker?.close();
    await cp.dispose();
  });

  async function run(options: Partial<ExampleWorkerOptions>, jobs: ReturnType<typeof dispatchMessage>[]) {
    worker = await startExampleWorker({
      transport: await cp.transport(),
      prefix: cp.prefix,
      workerId: 'example',
      maxParallel: 4,
      onError: () => {},
      ...options,
    });
    for (const job of jobs) {
      const reply = await cp.bus.request(protocolSubjects(cp.prefix).directJobs('example'), job, 5000);
      expect(reply).toMatchObject({ data: { accepted: true } });
    }
    return Promise.all(jobs.map((job) => waitForResult(cp, job)));
  }

  it('echoes the payload with its worker id', async () => {
    const [result] = await run({}, [dispatchMessage(cp.prefix, { payload: { hello: 'world' } })]);
    expect(result).toMatchObject({ status: 'SUCCEEDED', result: { echo: { hello: 'world' }, worker_id: 'example' } });
  });

  it('--fail-first n fails attempts 1..n of each job, retryable, then succeeds', async () => {
    const job = dispatchMessage(cp.prefix);
    const attempts = [1, 2, 3].map((attempt) => ({ ...job, attempt, token: `${job.token}-${attempt}` }));
    const results = await run({ failFirst: 2 }, attempts);
    expect(results.map((r) => [r.attempt, r.status, r.error_code ?? null, r.retryable ?? null])).toEqual([
      [1, 'FAILED', 'example_fail_first', true],
      [2, 'FAILED', 'example_fail_first', true],
      [3, 'SUCCEEDED', null, null],
    ]);
  });

  it('--fail-marked n fails the first n executions of each marked payload (whatever the job), others never', async () => {
    const marked = { example_fail: true, n: 1 };
    const jobs = [
      dispatchMessage(cp.prefix, { payload: marked }),
      dispatchMessage(cp.prefix, { payload: { n: 2 } }),
      dispatchMessage(cp.prefix, { payload: { ...marked, n: 3 } }),
    ];
    const first = await run({ failMarked: 1, maxParallel: 1 }, jobs);
    expect(first.map((r) => [r.status, r.error_code ?? null])).toEqual([
      ['FAILED', 'example_fail_marked'],
      ['SUCCEEDED', null],
      ['FAILED', 'example_fail_marked'],
    ]);
    // Another job (a step retry is a new job at attempt 1) with the same payload now succeeds.
    const retry = dispatchMessage(cp.prefix, { payload: marked });
    await cp.bus.request(protocolSubjects(cp.prefix).directJobs('example'), retry, 5000);
    expect(await waitForResult(cp, retry)).toMatchObject({ status: 'SUCCEEDED', result: { echo: marked } });
  });

  it('--echo-env copies the named env variables of the hand-off into the result', async () => {
    const job = dispatchMessage(cp.prefix, { env: { tenant_id: 'acme', CORETEX_EFFECTIVE_CONFIG: '{"a":1}' } });
    const [result] = await run({ echoEnv: ['CORETEX_EFFECTIVE_CONFIG', 'absent'] }, [job]);
    expect(result?.result).toEqual({
      echo: job.payload,
      worker_id: 'example',
      env: { CORETEX_EFFECTIVE_CONFIG: '{"a":1}' },
    });
  });

  it('--fail-rate fails executions with that probability', async () => {
    const draws = [0.1, 0.9];
    const jobs = [dispatchMessage(cp.prefix), dispatchMessage(cp.prefix)];
    const results = await run({ failRate: 0.5, maxParallel: 1, random: () => draws.shift() ?? 1 }, jobs.slice(0, 1));
    expect(results[0]).toMatchObject({ status: 'FAILED', error_code: 'example_fail_rate' });
    await waitFor('the slot to free', () => worker?.activeJobs === 0);
    const reply = await cp.bus.request(protocolSubjects(cp.prefix).directJobs('example'), jobs[1], 5000);
    expect(reply).toMatchObject({ data: { accepted: true } });
    expect(await waitForResult(cp, jobs[1]!)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('--status reports that status: the COMPLETED alias with the echo, others with an error code', async () => {
    const [completed] = await run({ status: 'COMPLETED' }, [dispatchMessage(cp.prefix, { payload: 1 })]);
    expect(completed).toMatchObject({ status: 'COMPLETED', result: { echo: 1, worker_id: 'example' } });
    await worker?.close();
    const [denied] = await run({ status: 'DENIED' }, [dispatchMessage(cp.prefix)]);
    expect(denied).toMatchObject({ status: 'DENIED', error_code: 'example_status' });
  });

  it('--sleep-ms sleeps in each execution, and a stop cuts the sleep short', async () => {
    const job = dispatchMessage(cp.prefix);
    const started = Date.now();
    worker = await startExampleWorker({
      transport: await cp.transport(),
      prefix: cp.prefix,
      workerId: 'example',
      sleepMs: 60_000,
      onError: () => {},
    });
    const subjects = protocolSubjects(cp.prefix);
    await cp.bus.request(subjects.directJobs('example'), job, 5000);
    cp.bus.publish(subjects.workerCancel('example'), { job_id: job.job_id, tenant: 'acme', attempt: 1, reason: 'x' });
    expect(await waitForResult(cp, job)).toMatchObject({ status: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(30_000);
    const short = dispatchMessage(cp.prefix, { running_ms: 100 });
    await cp.bus.request(subjects.directJobs('example'), short, 5000);
    expect(await waitForResult(cp, short)).toMatchObject({ status: 'TIMEOUT' });
  });

  it('rejects a fail rate outside [0, 1]', async () => {
    expect(() => startExampleWorker({ transport: {} as never, failRate: 2 })).toThrow(/failRate/);
  });
});

describe('coretex worker --example as a process', () => {
  const natsUrl = inject('natsUrl');
  let cp: ControlPlane;
  let child: ChildProcess | null = null;
  let dir: string;

  beforeEach(async () => {
    cp = await natsControlPlane(natsUrl);
    dir = mkdtempSync(join(tmpdir(), 'coretex-example-'));
  });
  afterEach(async () => {
    if (child !== null && child.exitCode === null) child.kill('SIGKILL');
    await cp.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes work over NATS with its options, logs executions, and drains on SIGTERM', async () => {
    const logFile = join(dir, 'executions.jsonl');
    const args = ['src/cli/main.ts', 'worker', '--example', '--nats-url', natsUrl, '--prefix', cp.prefix];
    args.push('--worker-id', 'cli-example', '--pool', 'batch', '--topics', 'job.default,job.other');
    args.push('--fail-first', '1', '--max-parallel', '2', '--execution-log', logFile);
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    await waitFor('the worker to start', () => output.includes('is taking work'), { timeoutMs: 20_000 });
    const entry = await cp.registryEntry('cli-example');
    expect(entry?.value).toMatchObject({ pool: 'batch', topics: ['job.default', 'job.other'], max_parallel_jobs: 2 });

    const job = dispatchMessage(cp.prefix, { payload: 'ping' });
    const queue = protocolSubjects(cp.prefix).queueJobs('batch', 'job.default');
    expect(await cp.bus.request(queue, job, 5000)).toMatchObject({
      data: { accepted: true, worker_id: 'cli-example' },
    });
    expect(await waitForResult(cp, job)).toMatchObject({ status: 'FAILED', error_code: 'example_fail_first' });
    const second = { ...job, attempt: 2, token: 'second' };
    expect(await cp.bus.request(queue, second, 5000)).toMatchObject({ data: { accepted: true } });
    expect(await waitForResult(cp, second)).toMatchObject({
      status: 'SUCCEEDED',
      result: { echo: 'ping', worker_id: 'cli-example' },
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('drained');
    expect(await cp.registryEntry('cli-example')).toBeNull();
    const log = parseExecutionLog(readFileSync(logFile, 'utf8'));
    expect(log.map((e) => [e.event, e.attempt, e.status])).toEqual([
      ['start', 1, undefined],
      ['complete', 1, 'FAILED'],
      ['start', 2, undefined],
      ['complete', 2, 'SUCCEEDED'],
    ]);
    expect(new Set(log.map((e) => e.token))).toEqual(new Set([job.token, 'second']));
  });
});
