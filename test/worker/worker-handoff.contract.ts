/** Hand-offs, at-most-once attempts, stops and result mapping (SPEC 1.6, 1.8, 1.9, 7), on any transport. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { protocolSubjects, type StopMessage } from '../../src/domain/protocol/messages.ts';
import { createWorker } from '../../src/worker/index.ts';
import type { ExecutionLogEntry, JobHandler, Worker, WorkerOptions } from '../../src/worker/index.ts';
import { AttemptAbortedError, JobError, outcome } from '../../src/worker/index.ts';
import { validateHandOffReply, validateProgress, validateReport } from '../../src/worker/protocol-validation.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type ControlPlane, Gate, aborted, dispatchMessage, reportsFor, waitForResult } from './support.ts';

let workerCount = 0;

export function handOffContract(makeControlPlane: () => Promise<ControlPlane>) {
  describe('worker hand-offs', () => {
    let cp: ControlPlane;
    let workers: Worker[];
    let log: ExecutionLogEntry[];
    let errors: string[];
    const subjects = () => protocolSubjects(cp.prefix);

    beforeEach(async () => {
      cp = await makeControlPlane();
      workers = [];
      log = [];
      errors = [];
    });
    afterEach(async () => {
      await Promise.all(workers.map((w) => w.close()));
      await cp.dispose();
    });

    async function start(handler: JobHandler, options: Partial<WorkerOptions> = {}): Promise<Worker> {
      workerCount += 1;
      const worker = await createWorker(
        {
          transport: await cp.transport(),
          prefix: cp.prefix,
          worker_id: `w${workerCount}`,
          topics: ['job.default'],
          executionLog: (entry) => log.push(entry),
          onError: (_error, context) => errors.push(context),
          ...options,
        },
        handler,
      );
      workers.push(worker);
      return worker;
    }

    const handOff = (workerId: string, job: unknown) => cp.bus.request(subjects().directJobs(workerId), job, 5000);
    const starts = (jobId: string) => log.filter((e) => e.job_id === jobId && e.event === 'start');

    it('accepts a hand-off, runs the handler with its context, and reports SUCCEEDED with the token', async () => {
      const seen: unknown[] = [];
      const worker = await start((job, ctx) => {
        seen.push({ payload: job.payload, attempt: ctx.attempt, env: ctx.env, aborted: ctx.signal.aborted });
        return { doubled: (job.payload as { n: number }).n * 2 };
      });
      const job = dispatchMessage(cp.prefix, { payload: { n: 21 } });
      const before = Date.now();
      const reply = await handOff(worker.worker_id, job);
      expect(reply).toEqual({
        kind: 'reply',
        data: { accepted: true, worker_id: worker.worker_id, started_at: expect.any(Number) },
      });
      expect((reply as { data: { started_at: number } }).data.started_at).toBeGreaterThanOrEqual(before);
      expect(validateHandOffReply((reply as { data: unknown }).data)).toMatchObject({ ok: true });
      const result = await waitForResult(cp, job);
      expect(result).toMatchObject({
        type: 'result',
        job_id: job.job_id,
        tenant: 'acme',
        attempt: 1,
        token: job.token,
        worker_id: worker.worker_id,
        status: 'SUCCEEDED',
        result: { doubled: 42 },
      });
      expect(validateReport(result)).toMatchObject({ ok: true });
      expect(result.execution_ms).toBeGreaterThanOrEqual(0);
      expect(seen).toEqual([{ payload: { n: 21 }, attempt: 1, env: { tenant_id: 'acme' }, aborted: false }]);
      // A job shorter than the started grace costs one hand-off and one result message, no `started`.
      expect(reportsFor(cp, job)).toHaveLength(1);
      expect(log.map((e) => [e.event, e.job_id, e.token])).toEqual([
        ['start', job.job_id, job.token],
        ['complete', job.job_id, job.token],
      ]);
    });

    it('takes hand-offs from its topic queue (queue group = pool) and refuses topics it does not serve', async () => {
      const worker = await start(() => 'ok', { topics: ['job.*'], pool: 'gpu' });
      const job = dispatchMessage(cp.prefix, { topic: 'job.render' });
      const reply = await cp.bus.request(subjects().queueJobs('gpu', 'job.render'), job, 5000);
      expect(reply).toMatchObject({ kind: 'reply', data: { accepted: true, worker_id: worker.worker_id } });
      expect(await waitForResult(cp, job)).toMatchObject({ status: 'SUCCEEDED', result: 'ok' });
      const nested = dispatchMessage(cp.prefix, { topic: 'job.render.hd' });
      expect(await cp.bus.request(subjects().queueJobs('gpu', 'job.render.hd'), nested, 500)).toEqual({
        kind: 'no_responders',
      });
      // The subject matched but the job says another topic: refused, not run.
      const mismatched = dispatchMessage(cp.prefix, { topic: 'other.topic' });
      expect(await cp.bus.request(subjects().queueJobs('gpu', 'job.render'), mismatched, 5000)).toMatchObject({
        data: { accepted: false, reason: 'topic_not_served' },
      });
      expect(starts(mismatched.job_id)).toHaveLength(0);
    });

    it('refuses a malformed hand-off', async () => {
      const worker = await start(() => 'never');
      const reply = await handOff(worker.worker_id, { job_id: 'x', attempt: 'one' });
      expect(reply).toMatchObject({ kind: 'reply', data: { accepted: false, worker_id: worker.worker_id } });
      expect((reply as { data: { reason: string } }).data.reason).toMatch(/^invalid_dispatch: /);
      expect(log).toHaveLength(0);
    });

    it('runs each (job, tenant, attempt) at most once: asked again, it accepts without running again', async () => {
      const gate = new Gate();
      const worker = await start(() => gate.wait().then(() => 'done'), { max_parallel: 1 });
      const job = dispatchMessage(cp.prefix);
      const first = await handOff(worker.worker_id, job);
      const again = await handOff(worker.worker_id, { ...job, token: 'a-retried-hand-off' });
      // Held and running: accepted with the original start time, even though the worker is full.
      expect(again).toEqual(first);
      gate.open();
      await waitForResult(cp, job);
      await waitFor('the slot to free', () => worker.activeJobs === 0);
      expect(await handOff(worker.worker_id, job)).toEqual(first);
      expect(starts(job.job_id)).toHaveLength(1);
      // Another attempt, or the same job id of another tenant, is a different execution.
      const next = { ...job, attempt: 2, token: 'tok-attempt-2' };
      expect(await handOff(worker.worker_id, next)).toMatchObject({ data: { accepted: true } });
      await waitForResult(cp, next);
      const otherTenant = { ...job, tenant: 'globex' };
      expect(await handOff(worker.worker_id, otherTenant)).toMatchObject({ data: { accepted: true } });
      await waitFor('the other tenant ran', () => starts(job.job_id).length === 3);
      expect(reportsFor(cp, job, 'result').filter((r) => r.tenant === 'acme')).toHaveLength(1);
    });

    it('fault injection: acceptDelayMs replies after the request timed out; the attempt still runs once', async () => {
      const gate = new Gate();
      const worker = await start(() => gate.wait().then(() => 'ran'), { acceptDelayMs: 300 });
      const job = dispatchMessage(cp.prefix);
      expect(await cp.bus.request(subjects().directJobs(worker.worker_id), job, 100)).toEqual({ kind: 'timeout' });
      await waitFor('the execution to start', () => starts(job.job_id).length === 1);
      // Asked again (a scheduler retrying its hand-off): accepted late again, not run again.
      const again = await cp.bus.request(subjects().directJobs(worker.worker_id), job, 2000);
      expect(again).toMatchObject({ kind: 'reply', data: { accepted: true, worker_id: worker.worker_id } });
      gate.open();
      expect(await waitForResult(cp, job)).toMatchObject({ status: 'SUCCEEDED', result: 'ran' });
      expect(starts(job.job_id)).toHaveLength(1);
    });

    it('refuses busy at capacity', async () => {
      const gate = new Gate();
      const worker = await start(() => gate.wait(), { max_parallel: 2 });
      const [a, b, c] = [dispatchMessage(cp.prefix), dispatchMessage(cp.prefix), dispatchMessage(cp.prefix)];
      expect(await handOff(worker.worker_id, a)).toMatchObject({ data: { accepted: true } });
      expect(await handOff(worker.worker_id, b)).toMatchObject({ data: { accepted: true } });
      const busy = await handOff(worker.worker_id, c);
      expect(busy).toEqual({ kind: 'reply', data: { accepted: false, worker_id: worker.worker_id, reason: 'busy' } });
      expect(validateHandOffReply((busy as { data: unknown }).data)).toMatchObject({ ok: true });
      expect(worker.activeJobs).toBe(2);
      gate.open();
      await waitFor('the slots to free', () => worker.activeJobs === 0);
      expect(await handOff(worker.worker_id, c)).toMatchObject({ data: { accepted: true } });
      expect(starts(c.job_id)).toHaveLength(1);
    });

    it('refuses an attempt whose stop overtook it, on its own or its pool stop subject', async () => {
      const worker = await start(() => 'never', { pool: 'default' });
      const job = dispatchMessage(cp.prefix);
      const stop: StopMessage = { job_id: job.job_id, tenant: job.tenant, attempt: job.attempt, reason: 'cancelled' };
      // One publisher's messages reach a subscriber in order, so the stop is seen before the hand-off.
      cp.bus.publish(subjects().workerCancel(worker.worker_id), stop);
      expect(await handOff(worker.worker_id, job)).toEqual({
        kind: 'reply',
        data: { accepted: false, worker_id: worker.worker_id, reason: 'stopped' },
      });
      const queued = dispatchMessage(cp.prefix);
      cp.bus.publish(subjects().queueCancel('default'), { ...stop, job_id: queued.job_id });
      expect(await cp.bus.request(subjects().queueJobs('default', 'job.default'), queued, 5000)).toMatchObject({
        data: { accepted: false, reason: 'stopped' },
      });
      // A stop names one attempt: the next attempt of the job runs.
      const nextAttempt = { ...job, attempt: 2 };
      expect(await handOff(worker.worker_id, nextAttempt)).toMatchObject({ data: { accepted: true } });
      expect(log.filter((e) => e.event === 'start').map((e) => [e.job_id, e.attempt])).toEqual([[job.job_id, 2]]);
    });

    it('aborts the signal on a stop while running and reports CANCELLED', async () => {
      const reasons: unknown[] = [];
      const worker = await start(async (_job, { signal }) => {
        reasons.push(await aborted(signal));
        return 'finished after the stop';
      });
      const job = dispatchMessage(cp.prefix);
      await handOff(worker.worker_id, job);
      await waitFor('the execution to start', () => starts(job.job_id).length === 1);
      cp.bus.publish(subjects().workerCancel(worker.worker_id), {
        job_id: job.job_id,
        tenant: job.tenant,
        attempt: job.attempt,
        reason: 'user asked',
      });
      const result = await waitForResult(cp, job);
      expect(result).toMatchObject({ status: 'CANCELLED', error_code: 'cancelled', token: job.token });
      expect(result.error_message).toContain('user asked');
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toBeInstanceOf(AttemptAbortedError);
      expect((reasons[0] as AttemptAbortedError).cause_kind).toBe('stopped');
      expect(log.filter((e) => e.job_id === job.job_id).map((e) => [e.event, e.reason])).toEqual([
        ['start', undefined],
        ['abort', 'stopped'],
      ]);
      await waitFor('the slot to free', () => worker.activeJobs === 0);
      expect(reportsFor(cp, job, 'result')).toHaveLength(1);
    });

    it('reports a throwing handler FAILED with the error code and retryable flag', async () => {
      const worker = await start((job) => {
        if (job.payload === 'typed') throw new JobError('bad_input', 'the input is wrong', { retryable: false });
        throw new Error('something broke');
      });
      const typed = dispatchMessage(cp.prefix, { payload: 'typed' });
      const plain = dispatchMessage(cp.prefix, { payload: 'plain' });
      await handOff(worker.worker_id, typed);
      await handOff(worker.worker_id, plain);
      expect(await waitForResult(cp, typed)).toMatchObject({
        status: 'FAILED',
        error_code: 'bad_input',
        error_message: 'the input is wrong',
        retryable: false,
      });
      expect(await waitForResult(cp, plain)).toMatchObject({
        status: 'FAILED',
        error_code: 'handler_error',
        error_message: 'something broke',
        retryable: true,
      });
    });

    it('reports the status a handler returns with outcome(), such as the COMPLETED alias', async () => {
      const worker = await start((job) =>
        job.payload === 'denied'
          ? outcome({ status: 'DENIED', error_code: 'policy', error_message: 'not allowed', retryable: false })
          : outcome({ status: 'COMPLETED', result: { fine: true } }),
      );
      const completed = dispatchMessage(cp.prefix, { payload: 'completed' });
      const denied = dispatchMessage(cp.prefix, { payload: 'denied' });
      await handOff(worker.worker_id, completed);
      await handOff(worker.worker_id, denied);
      expect(await waitForResult(cp, completed)).toMatchObject({ status: 'COMPLETED', result: { fine: true } });
      expect(await waitForResult(cp, denied)).toMatchObject({
        status: 'DENIED',
        error_code: 'policy',
        retryable: false,
      });
    });

    it('reports TIMEOUT at the running deadline; progress extends it and reaches the progress subject', async () => {
      const progress: unknown[] = [];
      const sub = cp.bus.subscribe(`${cp.prefix}.sys.job.progress.0`, (m) => progress.push(m.data));
      const worker = await start(
        async (job, { signal, progress: report }) => {
          if (job.payload === 'silent') return aborted(signal);
          for (let step = 1; step <= 8; step++) {
            report({ step });
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return 'kept alive by progress';
        },
        { max_parallel: 3, progressIntervalMs: 1000 },
      );
      const silent = dispatchMessage(cp.prefix, { payload: 'silent', running_ms: 150 });
      const chatty = dispatchMessage(cp.prefix, { payload: 'chatty', running_ms: 150 });
      const late = dispatchMessage(cp.prefix, { payload: 'silent', deadline_at: Date.now() - 1 });
      await Promise.all([silent, chatty, late].map((job) => handOff(worker.worker_id, job)));
      expect(await waitForResult(cp, silent)).toMatchObject({ status: 'TIMEOUT', error_code: 'timeout' });
      expect(await waitForResult(cp, late)).toMatchObject({ status: 'TIMEOUT' });
      expect(await waitForResult(cp, chatty)).toMatchObject({ status: 'SUCCEEDED', result: 'kept alive by progress' });
      // Eight calls in ~400 ms, throttled to one a second: the first goes out, the trailing one is dropped at the end.
      await waitFor('progress', () => progress.length >= 1);
      expect(progress[0]).toEqual({
        job_id: chatty.job_id,
        tenant: 'acme',
        attempt: 1,
        token: chatty.token,
        worker_id: worker.worker_id,
        progress: { step: 1 },
      });
      expect(validateProgress(progress[0])).toMatchObject({ ok: true });
      expect(progress.length).toBeLessThanOrEqual(2);
      sub.unsubscribe();
    });
  });
}
