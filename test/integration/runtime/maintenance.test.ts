/**
 * The reconciler's slower duties and approvals (SPEC 1.4, docs/retention.md), in process: retention
 * snapshots of long-lived jobs, re-evaluation when the safety rules change, approve with the hash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { answerApproval } from '../../../src/app/jobs/job-commands.ts';
import { takeRetentionSnapshots } from '../../../src/app/jobs/maintenance.ts';
import { streamId } from '../../../src/domain/shared/stream.ts';
import { FakeWorker } from '../../support/fake-worker.ts';
import { DEFAULT_SYSTEM, type Harness, startHarness } from '../../support/runtime-harness.ts';
import { waitFor } from '../../harness/wait-for.ts';

let h: Harness;
afterEach(async () => {
  await h.stop();
});

const lastType = async (jobId: string) => (await h.history(jobId)).at(-1)?.type;

describe('reconciler maintenance and approvals (in process)', () => {
  it('snapshots a long-lived job so its load starts there, with the same state', async () => {
    h = await startHarness();
    const job = await h.submit({ run_at: Date.now() + 3_600_000, payload: { big: 'x'.repeat(100) } });
    const stream = streamId('job', 'acme', job.job_id);
    const before = await h.rt.jobs.load(stream, { fresh: true });
    await waitFor('the job in the read model', async () => {
      const ns = await h.rt.readModels.namespace('jobs');
      return ns !== null && (await h.rt.readModels.store.hgetall(ns, `d:acme:${job.job_id}`)) !== null;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await takeRetentionSnapshots(h.rt, 1)).toBe(1);
    const history = await h.events.read(stream);
    expect(history.events.map((e) => e.type)).toEqual(['JobSnapshot']);
    const after = await h.rt.jobs.load(stream, { fresh: true });
    expect(after.state).toEqual(before.state);
    // Nothing is due yet: a second pass right away takes no new snapshot of a fresh start.
    expect(await takeRetentionSnapshots(h.rt, 60_000)).toBe(0);
  });

  it('approves a job with the right request_hash (a wrong one is 409) and it runs', async () => {
    h = await startHarness({ system: { ...DEFAULT_SYSTEM, safety: { rules: { approval_risk_tags: ['pii'] } } } });
    const w = await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), { id: 'w1' }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const job = await h.submit({ risk_tags: ['pii'] });
    await waitFor('approval required', async () => (await lastType(job.job_id)) === 'JobApprovalRequired');
    const waiting = (await h.history(job.job_id)).at(-1)?.data as {
      request_hash: string;
      safety: { policy_version: string };
    };
    await expect(
      answerApproval(h.rt, 'acme', job.job_id, { approve: true, by: 'op', reason: null, request_hash: 'wrong' }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await lastType(job.job_id)).toBe('JobApprovalRequired');
    const approved = await answerApproval(h.rt, 'acme', job.job_id, {
      approve: true,
      by: 'op',
      reason: 'ok',
      request_hash: waiting.request_hash,
    });
    expect(approved.changed).toBe(true);
    await waitFor('success', async () => (await lastType(job.job_id)) === 'JobSucceeded');
    const types = (await h.history(job.job_id)).map((e) => e.type);
    expect(types).toEqual([
      'JobSubmitted',
      'JobApprovalRequired',
      'JobApproved',
      'JobScheduled',
      'JobDispatched',
      'JobSucceeded',
    ]);
    w.stop();
  });

  it('re-evaluates waiting approvals when the rules change: no longer required → the job runs', async () => {
    h = await startHarness({ system: { ...DEFAULT_SYSTEM, safety: { rules: { approval_risk_tags: ['pii'] } } } });
    const w = await new FakeWorker(h.bus, await h.kv.bucket('workers', { maxAgeMs: 30_000 }), { id: 'w1' }).start();
    await waitFor('the worker', () => h.rt.registry.registry.workers.size === 1);
    const job = await h.submit({ risk_tags: ['pii'] });
    await waitFor('approval required', async () => (await lastType(job.job_id)) === 'JobApprovalRequired');
    await waitFor('the read model to index it', async () => {
      const ns = await h.rt.readModels.namespace('jobs');
      return ns !== null && (await h.rt.readModels.store.zcard(ns, 'c:*:s:APPROVAL_REQUIRED')) === 1;
    });
    h.config.set('system', 'default', { ...DEFAULT_SYSTEM, safety: { rules: { approval_risk_tags: [] } } });
    await h.reconciler.maintain();
    await waitFor('success', async () => (await lastType(job.job_id)) === 'JobSucceeded');
    expect((await h.history(job.job_id)).map((e) => e.type)).toContain('JobSafetyReevaluated');
    expect(h.reconciler.stats.reevaluated).toBe(1);
    w.stop();
  });
});
