/** The worker's registry claim, heartbeats, `started` reports, large results and drain (SPEC 1.5, 1.8, 7). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { protocolSubjects } from '../../src/domain/protocol/messages.ts';
import { createWorker, WorkerIdTakenError } from '../../src/worker/index.ts';
import type { ExecutionLogEntry, JobHandler, Worker, WorkerOptions } from '../../src/worker/index.ts';
import { validateHeartbeat } from '../../src/worker/protocol-validation.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type ControlPlane, Gate, aborted, dispatchMessage, reportsFor, waitForResult } from './support.ts';

let workerCount = 0;

export function lifecycleContract(makeControlPlane: () => Promise<ControlPlane>) {
  describe('worker lifecycle', () => {
    let cp: ControlPlane;
    let workers: Worker[];
    let log: ExecutionLogEntry[];

    beforeEach(async () => {
      cp = await makeControlPlane();
      workers = [];
      log = [];
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
          worker_id: `life${workerCount}`,
          executionLog: (entry) => log.push(entry),
          onError: () => {},
          ...options,
        },
        handler,
      );
      workers.push(worker);
      return worker;
    }

    const handOff = (workerId: string, job: unknown) =>
      cp.bus.request(protocolSubjects(cp.prefix).directJobs(workerId), job, 5000);

    it('claims its id in the registry, and a second live worker with that id is refused at start', async () => {
      const first = await start(() => 'ok', { worker_id: 'claimed', pool: 'default', labels: { region: 'eu' } });
      const entry = await cp.registryEntry('claimed');
      expect(entry?.value).toMatchObject({ worker_id: 'claimed', instance: first.instance, pool: 'default' });
      const second = start(() => 'ok', { worker_id: 'claimed' });
      await expect(second).rejects.toBeInstanceOf(WorkerIdTakenError);
      await expect(second).rejects.toThrow(/worker id "claimed" is held by a live worker/);
      // The refused worker did not take over the entry, nor listen: hand-offs still reach the first.
      expect((await cp.registryEntry('claimed'))?.value.instance).toBe(first.instance);
      expect(await handOff('claimed', dispatchMessage(cp.prefix))).toMatchObject({ data: { accepted: true } });
      await first.close();
      expect(await cp.registryEntry('claimed')).toBeNull();
      const third = await start(() => 'ok', { worker_id: 'claimed' });
      expect((await cp.registryEntry('claimed'))?.value.instance).toBe(third.instance);
    });

    it('takes over an entry whose heartbeat is older than the TTL', async () => {
      const registry = await (await cp.transport()).registry<unknown>(30_000);
      const stale = { worker_id: 'stale', instance: 'crashed-process', sent_at: Date.now() - 60_000 };
      await registry.put('stale', stale);
      const worker = await start(() => 'ok', { worker_id: 'stale' });
      expect((await cp.registryEntry('stale'))?.value.instance).toBe(worker.instance);
    });

    it('heartbeats its fields and active jobs into the registry', async () => {
      const gate = new Gate();
      const worker = await start(() => gate.wait(), {
        pool: 'gpu',
        topics: ['job.render', 'job.encode.*'],
        capabilities: ['cuda'],
        labels: { zone: 'a' },
        region: 'eu-west',
        max_parallel: 3,
        heartbeatIntervalMs: 50,
      });
      const first = await cp.registryEntry(worker.worker_id);
      expect(validateHeartbeat(first?.value)).toMatchObject({ ok: true });
      expect(first?.value).toMatchObject({
        worker_id: worker.worker_id,
        instance: worker.instance,
        pool: 'gpu',
        topics: ['job.render', 'job.encode.*'],
        capabilities: ['cuda'],
        labels: { zone: 'a' },
        region: 'eu-west',
        max_parallel_jobs: 3,
        active_jobs: 0,
      });
      expect(first?.value.cpu_load).toBeGreaterThanOrEqual(0);
      expect(first?.value.cpu_load).toBeLessThanOrEqual(100);
      await handOff(worker.worker_id, dispatchMessage(cp.prefix, { topic: 'job.render' }));
      await handOff(worker.worker_id, dispatchMessage(cp.prefix, { topic: 'job.render' }));
      await waitFor('a heartbeat with two active jobs', async () => {
        const entry = await cp.registryEntry(worker.worker_id);
        return entry !== null && entry.revision > (first?.revision ?? 0) && entry.value.active_jobs === 2;
      });
      gate.open();
    });

    it('heartbeats at once when capacity frees up after being full', async () => {
      const gate = new Gate();
      // No periodic heartbeat within the test: only the one on freed capacity can show up.
      const worker = await start(() => gate.wait(), {
        max_parallel: 1,
        heartbeatIntervalMs: 60_000,
        registryTtlMs: 120_000,
      });
      const claimed = await cp.registryEntry(worker.worker_id);
      const job = dispatchMessage(cp.prefix);
      await handOff(worker.worker_id, job);
      await waitFor('the execution to start', () => log.some((e) => e.event === 'start'));
      expect((await cp.registryEntry(worker.worker_id))?.revision).toBe(claimed?.revision);
      gate.open();
      const after = await waitFor(
        'the heartbeat on freed capacity',
        async () => {
          const entry = await cp.registryEntry(worker.worker_id);
          return entry !== null && entry.revision !== claimed?.revision ? entry : undefined;
        },
        { timeoutMs: 5000 },
      );
      expect(after.value).toMatchObject({ active_jobs: 0, max_parallel_jobs: 1 });
      expect(after.value.sent_at).toBeGreaterThanOrEqual(claimed?.value.sent_at ?? 0);
    });

    it('sends a durable `started` report only for executions that outlive the grace', async () => {
      const gate = new Gate();
      const worker = await start((job) => (job.payload === 'slow' ? gate.wait().then(() => 'slow done') : 'fast'), {
        startedReportGraceMs: 100,
        max_parallel: 2,
      });
      const slow = dispatchMessage(cp.prefix, { payload: 'slow' });
      const fast = dispatchMessage(cp.prefix, { payload: 'fast' });
      await handOff(worker.worker_id, slow);
      await handOff(worker.worker_id, fast);
      const started = await waitFor('the started report', () => reportsFor(cp, slow, 'started')[0]);
      expect(started).toMatchObject({ type: 'started', token: slow.token, worker_id: worker.worker_id });
      expect(started.status).toBeUndefined();
      gate.open();
      await waitForResult(cp, slow);
      await waitForResult(cp, fast);
      expect(reportsFor(cp, slow).map((r) => r.type)).toEqual(['started', 'result']);
      expect(reportsFor(cp, fast).map((r) => r.type)).toEqual(['result']);
    });

    it('stores a result larger than 256 KiB aside and reports its pointer', async () => {
      const big = { blob: 'x'.repeat(300 * 1024) };
      const worker = await start((job) => (job.payload === 'big' ? big : { small: true }));
      const large = dispatchMessage(cp.prefix, { payload: 'big' });
      const small = dispatchMessage(cp.prefix, { payload: 'small' });
      await handOff(worker.worker_id, large);
      await handOff(worker.worker_id, small);
      const report = await waitForResult(cp, large);
      expect(report.status).toBe('SUCCEEDED');
      expect(report.result).toBeUndefined();
      expect(typeof report.result_ptr).toBe('string');
      expect(JSON.parse(await cp.readLargeResult(report.result_ptr!))).toEqual(big);
      expect(await waitForResult(cp, small)).toMatchObject({ result: { small: true } });
      expect(reportsFor(cp, small)[0]?.result_ptr).toBeUndefined();
    });

    it('drains: in-flight work finishes within the grace, the rest is reported FAILED retryable, the entry goes', async () => {
      const gate = new Gate();
      const worker = await start(
        async (job, { signal }) => {
          if (job.payload === 'stubborn') return aborted(signal);
          await gate.wait();
          return 'finished in the grace';
        },
        { max_parallel: 2 },
      );
      const quick = dispatchMessage(cp.prefix, { payload: 'quick' });
      const stubborn = dispatchMessage(cp.prefix, { payload: 'stubborn' });
      await handOff(worker.worker_id, quick);
      await handOff(worker.worker_id, stubborn);
      const drained = worker.drain({ graceMs: 400 });
      expect(worker.state).toBe('draining');
      // The direct subject answers until the end: a clean refusal, so the scheduler backs off at once.
      expect(await handOff(worker.worker_id, dispatchMessage(cp.prefix))).toEqual({
        kind: 'reply',
        data: { accepted: false, worker_id: worker.worker_id, reason: 'draining' },
      });
      // The topic queue is left to the pool's other members.
      await waitFor('the queue subscription to go', async () => {
        const reply = await cp.bus.request(protocolSubjects(cp.prefix).queueJobs('default', 'job.default'), {}, 1000);
        return reply.kind === 'no_responders';
      });
      gate.open();
      await drained;
      expect(worker.state).toBe('closed');
      expect(await waitForResult(cp, quick)).toMatchObject({ status: 'SUCCEEDED', result: 'finished in the grace' });
      expect(await waitForResult(cp, stubborn)).toMatchObject({
        status: 'FAILED',
        error_code: 'worker_draining',
        retryable: true,
      });
      expect(await cp.registryEntry(worker.worker_id)).toBeNull();
      expect(log.filter((e) => e.job_id === stubborn.job_id).map((e) => [e.event, e.reason])).toEqual([
        ['start', undefined],
        ['abort', 'draining'],
      ]);
      expect(await handOff(worker.worker_id, dispatchMessage(cp.prefix))).toEqual({ kind: 'no_responders' });
    });
  });
}
