/**
 * Tenant limits hold across scheduler processes (issue 6): two Coretex processes share the partitions
 * of one installation (each scheduler leases some), the tenant's jobs land in every partition, and the
 * tenant's slots are a KV counter taken by compare-and-set, so at no moment do more of its jobs run
 * than its limit, whichever process scheduled them. Measured from the workers' execution logs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { finished, startInstallation } from './support/installation.ts';
import { killAll, startCoretexWithoutApi, startWorker } from './support/processes.ts';

const LIMIT = 3;
const SYSTEM = {
  routing: { topics: { 'job.limited': 'limited' }, pools: { limited: { requires: [] } } },
  limits: { max_concurrent: null, tenants: { acme: { max_concurrent: LIMIT } } },
};

afterAll(async () => {
  await killAll();
});

describe('tenant limits with two scheduler processes', () => {
  it('never runs more of a tenant’s jobs at once than its limit', { timeout: 120_000 }, async () => {
    const e = await startInstallation(SYSTEM);
    // A second process with only the scheduler role: the partitions' leases are split between the two.
    const second = await startCoretexWithoutApi(e.installation, 'scheduler', { CORETEX_LOG_LEVEL: 'info' });
    await waitFor('the second process to hold partitions', () => second.output().includes('partition taken'), {
      timeoutMs: 30_000,
    });
    const workers = await Promise.all(
      ['limited-1', 'limited-2'].map((id) =>
        startWorker(e.installation, { id, pool: 'limited', maxParallel: 8, sleepMs: 250 }),
      ),
    );
    const submitted = await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        e.api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.limited', payload: n }),
      ),
    );
    for (const job of submitted) expect((await finished(e.api, job.body.job_id, 60_000)).state).toBe('SUCCEEDED');

    // Replay the executions: the running count never exceeds the limit.
    const log = workers.flatMap((w) => w.executions());
    const changes = log
      .filter((x) => x.event === 'start' || x.event === 'complete' || x.event === 'abort')
      .map((x) => ({ at: Number(x.at), delta: x.event === 'start' ? 1 : -1 }))
      // At the same millisecond, ends before starts: a slot freed and taken at once is not an overlap.
      .sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let peak = 0;
    for (const change of changes) {
      running += change.delta;
      peak = Math.max(peak, running);
    }
    expect(log.filter((x) => x.event === 'start')).toHaveLength(24);
    expect(peak).toBeLessThanOrEqual(LIMIT);
    // ...and the limit was used, not just respected by running one at a time.
    expect(peak).toBe(LIMIT);
  });
});
