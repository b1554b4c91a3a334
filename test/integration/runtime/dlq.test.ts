/**
 * DLQ (SPEC 1.10) in process: entries only for FAILED/TIMEOUT/DENIED ad-hoc jobs, listed from the read
 * model; a retry creates exactly one new job with the full original request, however often it is asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deleteDlqEntry, retryDlqEntry } from '../../../src/app/jobs/dlq-commands.ts';
import { getDlqEntry, listDlq } from '../../../src/projections/dlq/queries.ts';
import { FakeWorker } from '../../support/fake-worker.ts';
import { type Harness, startHarness } from '../../support/runtime-harness.ts';
import { waitFor } from '../../harness/wait-for.ts';

let h: Harness;
afterEach(async () => {
  await h.stop();
});

describe('DLQ (in process)', () => {
  it('lists a failed job, retries it once however often asked, with the full original request, and deletes it', async () => {
    h = await startHarness();
    let fail = true;
    const w = await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), {
      id: 'w1',
      behave: () =>
        fail ? { status: 'FAILED', error_code: 'bad_input', retryable: false } : { status: 'SUCCEEDED', result: 'ok' },
    }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const original = {
      topic: 'job.default',
      payload: { to: 'a@b.c' },
      priority: 'interactive',
      team: 'red',
      labels: { env: 'prod' },
      retry: { max_attempts: 3, initial_backoff_ms: 10 },
      timeouts: { running_ms: 60_000 },
      deadline_ms: 3_600_000,
    };
    const submitted = await h.submit(original, { key: 'once' });
    const ns = await waitFor('the DLQ read model', async () => {
      const namespace = await h.rt.readModels.namespace('dlq');
      if (namespace === null) return undefined;
      return (await listDlq(h.rt.readModels.store, namespace, { tenant: 'acme', filter: {}, limit: 10 })).items
        .length === 1
        ? namespace
        : undefined;
    });
    const entry = await getDlqEntry(h.rt.readModels.store, ns, 'acme', submitted.job_id);
    // Not retryable: one attempt, then FAILED.
    expect(entry).toMatchObject({
      final_state: 'FAILED',
      reason_code: 'bad_input',
      attempts: 1,
      request: { payload: { to: 'a@b.c' } },
    });
    expect(
      (await listDlq(h.rt.readModels.store, ns, { tenant: 'acme', filter: { reason_code: 'bad_input' }, limit: 10 }))
        .items,
    ).toHaveLength(1);
    expect(
      (await listDlq(h.rt.readModels.store, ns, { tenant: 'acme', filter: { topic: 'job.other' }, limit: 10 })).items,
    ).toHaveLength(0);

    fail = false;
    const deps = { claims: h.rt.claims, hasher: h.rt.hasher };
    const [first, second] = await Promise.all([
      retryDlqEntry(h.rt, deps, 'acme', submitted.job_id, 'op'),
      retryDlqEntry(h.rt, deps, 'acme', submitted.job_id, 'op'),
    ]);
    const third = await retryDlqEntry(h.rt, deps, 'acme', submitted.job_id, 'op');
    expect(first?.job_id).toBe(`${submitted.job_id}.r1`);
    expect(second?.job_id).toBe(first?.job_id);
    expect(third).toMatchObject({ job_id: first?.job_id, created: false });
    expect([first?.created, second?.created].filter(Boolean)).toHaveLength(1);

    const retried = await h.history(`${submitted.job_id}.r1`);
    expect(retried.filter((e) => e.type === 'JobSubmitted')).toHaveLength(1);
    expect(retried[0]?.data).toMatchObject({
      request: {
        job_id: `${submitted.job_id}.r1`,
        retry_of: submitted.job_id,
        idempotency_key: null,
        payload: { to: 'a@b.c' },
        priority: 'interactive',
        team: 'red',
        labels: { env: 'prod' },
        retry: { max_attempts: 3, initial_backoff_ms: 10 },
        timeouts: { running_ms: 60_000 },
        deadline_ms: 3_600_000,
      },
    });
    await waitFor(
      'the retry to succeed',
      async () => (await h.history(`${submitted.job_id}.r1`)).at(-1)?.type === 'JobSucceeded',
    );
    await waitFor(
      'the entry to show the retry',
      async () => (await getDlqEntry(h.rt.readModels.store, ns, 'acme', submitted.job_id))?.retried_as,
    );

    await deleteDlqEntry(h.rt, 'acme', submitted.job_id, 'op');
    await waitFor(
      'the entry to leave the list',
      async () =>
        (await listDlq(h.rt.readModels.store, ns, { tenant: 'acme', filter: {}, limit: 10 })).items.length === 0,
    );
    expect((await h.dlq(submitted.job_id)).map((e) => e.type)).toEqual([
      'DlqEntryAdded',
      'DlqRetried',
      'DlqEntryDeleted',
    ]);
    w.stop();
  });

  it('never dead-letters a success or a user cancel', async () => {
    h = await startHarness();
    const w = await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), { id: 'w1' }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const ok = await h.submit({});
    await waitFor('success', async () => (await h.history(ok.job_id)).at(-1)?.type === 'JobSucceeded');
    const { cancelJob } = await import('../../../src/app/jobs/job-commands.ts');
    const later = await h.submit({ run_at: Date.now() + 60_000 });
    await cancelJob(h.rt, 'acme', later.job_id, 'user', 'changed my mind');
    const ns = await waitFor('the dlq namespace', () => h.rt.readModels.namespace('dlq').then((n) => n ?? undefined));
    // Give the reactions a chance to (wrongly) write entries: the projection must have seen both jobs end.
    await waitFor('the jobs read model to see both', async () => {
      const jobsNs = await h.rt.readModels.namespace('jobs');
      return (
        jobsNs !== null &&
        (await h.rt.readModels.store.checkpoint(jobsNs, 'job')) >= (await h.events.headPosition('job'))
      );
    });
    expect(await h.dlq(ok.job_id)).toEqual([]);
    expect(await h.dlq(later.job_id)).toEqual([]);
    expect((await listDlq(h.rt.readModels.store, ns, { tenant: 'acme', filter: {}, limit: 10 })).items).toEqual([]);
    w.stop();
  });
});
