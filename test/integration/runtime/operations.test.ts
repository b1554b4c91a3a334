/** Bulk operations (SPEC 1.9, 1.10) in process: cancel and DLQ retry by filter, recorded with progress. */
import { afterEach, describe, expect, it } from 'vitest';
import { OperationsRunner, operationRepository, requestOperation } from '../../../src/app/jobs/operations.ts';
import { streamId } from '../../../src/domain/shared/stream.ts';
import { FakeWorker } from '../../support/fake-worker.ts';
import { DEFAULT_SYSTEM, type Harness, startHarness } from '../../support/runtime-harness.ts';
import { waitFor } from '../../harness/wait-for.ts';

let h: Harness;
let runner: OperationsRunner | null = null;
afterEach(async () => {
  await runner?.stop();
  runner = null;
  await h.stop();
});

async function settled(count: number) {
  await waitFor('the jobs read model to catch up', async () => {
    const ns = await h.rt.readModels.namespace('jobs');
    return (
      ns !== null &&
      (await h.rt.readModels.store.checkpoint(ns, 'job')) >= (await h.events.headPosition('job')) &&
      count >= 0
    );
  });
}

describe('bulk operations (in process)', () => {
  it('cancels every job a filter matches, page by page, and only those', async () => {
    h = await startHarness({
      system: { ...DEFAULT_SYSTEM, routing: { topics: { 'job.default': 'default', 'job.other': 'default' } } },
    });
    const later = Date.now() + 3_600_000;
    const targets = await Promise.all(
      Array.from({ length: 450 }, (_, i) => h.submit({ topic: 'job.default', run_at: later, payload: i })),
    );
    const others = await Promise.all(Array.from({ length: 5 }, () => h.submit({ topic: 'job.other', run_at: later })));
    await settled(targets.length);
    const operations = operationRepository(h.rt);
    runner = new OperationsRunner(
      h.rt,
      operations,
      { leases: h.leases, cursors: h.cursors, claims: h.rt.claims, hasher: h.rt.hasher },
      'test',
    );
    runner.start();
    const requested = await requestOperation(h.rt, operations, {
      tenant: 'acme',
      kind: 'bulk_cancel',
      filter: { topic: 'job.default' },
      reason: 'cleanup',
      by: 'op',
    });
    expect(requested.state).toMatchObject({ status: 'RUNNING', processed: 0 });
    const finished = await waitFor(
      'the operation to finish',
      async () => {
        const { state } = await operations.load(streamId('op', 'acme', requested.operation_id), { fresh: true });
        return state.status === 'SUCCEEDED' ? state : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(finished).toMatchObject({ processed: 450, changed: 450, failed: 0, cursor: null });
    const progress = (await h.events.read(streamId('op', 'acme', requested.operation_id), { from: 1 })).events.filter(
      (e) => e.type === 'OperationProgressed',
    );
    expect(progress.length).toBe(3);
    for (const job of targets.slice(0, 20)) expect((await h.history(job.job_id)).at(-1)?.type).toBe('JobCancelled');
    for (const job of others) expect((await h.history(job.job_id)).at(-1)?.type).toBe('JobSubmitted');
    await expect(
      requestOperation(h.rt, operations, {
        tenant: 'acme',
        kind: 'bulk_cancel',
        filter: { topic: 'job.default', team: 'x' },
        reason: null,
        by: 'op',
      }),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('retries every DLQ entry a filter matches, once each', async () => {
    h = await startHarness();
    let fail = true;
    const w = await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), {
      id: 'w1',
      behave: () => (fail ? { status: 'FAILED', error_code: 'flaky', retryable: false } : { status: 'SUCCEEDED' }),
    }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const jobs = await Promise.all(Array.from({ length: 5 }, () => h.submit({})));
    await waitFor('five DLQ entries', async () => {
      const ns = await h.rt.readModels.namespace('dlq');
      return ns !== null && (await h.rt.readModels.store.zcard(ns, 'c:acme:all')) === 5;
    });
    fail = false;
    const operations = operationRepository(h.rt);
    runner = new OperationsRunner(
      h.rt,
      operations,
      { leases: h.leases, cursors: h.cursors, claims: h.rt.claims, hasher: h.rt.hasher },
      'test',
    );
    runner.start();
    const requested = await requestOperation(h.rt, operations, {
      tenant: 'acme',
      kind: 'bulk_dlq_retry',
      filter: { reason_code: 'flaky' },
      reason: null,
      by: 'op',
    });
    await waitFor('the operation to finish', async () => {
      const { state } = await operations.load(streamId('op', 'acme', requested.operation_id), { fresh: true });
      return state.status === 'SUCCEEDED' && state.changed === 5;
    });
    for (const job of jobs) {
      await waitFor(
        'the retry to succeed',
        async () => (await h.history(`${job.job_id}.r1`)).at(-1)?.type === 'JobSucceeded',
      );
    }
    w.stop();
  });
});
