/**
 * At most one execution per (job, attempt) (issue 6), with processes and real NATS + Redis: workers
 * that answer hand-offs later than the scheduler waits (their accept arrives after the request timed
 * out), a Coretex process killed three times at the named crash point
 * `scheduler.after_accept_before_append` (a worker accepted, the scheduler dies before recording it)
 * and the redeliveries that follow each restart (the scheduler re-reads events past its last saved
 * cursor and drives their hand-offs again). Every worker logs each execution it starts; afterwards, for
 * every (job, attempt), at most one execution completed and every other one was stopped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait-for.ts';
import { Api } from './support/api.ts';
import { type E2E, finished, startInstallation, TERMINAL } from './support/installation.ts';
import { type CoretexProcess, KEYS, killAll, startCoretex, startWorker } from './support/processes.ts';

const CRASH = 'scheduler.after_accept_before_append';
const SYSTEM = {
  routing: { topics: { 'job.amo': 'amo' }, pools: { amo: { requires: [] } } },
  // The hand-off request waits at most the dispatch timeout: 1 s, less than the slow workers' delay.
  timeouts: { dispatch_ms: 1_000, running_ms: 15_000 },
};
const RETRY = { max_attempts: 4, initial_backoff_ms: 100, multiplier: 2, max_backoff_ms: 1_000 };

afterAll(async () => {
  await killAll();
});

describe('at most one execution per (job, attempt)', () => {
  it('holds across late accepts, crashes after an accept and redeliveries', { timeout: 240_000 }, async () => {
    let e: E2E = await startInstallation(SYSTEM, { CORETEX_CRASH_AT: `${CRASH}@3` });
    let coretex: CoretexProcess = e.coretex;
    const workers = await Promise.all([
      startWorker(e.installation, {
        id: 'amo-slow-1',
        pool: 'amo',
        maxParallel: 4,
        sleepMs: 200,
        acceptDelayMs: 1_500,
      }),
      startWorker(e.installation, {
        id: 'amo-slow-2',
        pool: 'amo',
        maxParallel: 4,
        sleepMs: 200,
        acceptDelayMs: 1_500,
      }),
      startWorker(e.installation, { id: 'amo-fast', pool: 'amo', maxParallel: 4, sleepMs: 200 }),
    ]);

    // Keep submitting while Coretex is killed and restarted: three crashes, then a clean run.
    const accepted: string[] = [];
    let crashes = 0;
    const submit = async (api: Api) => {
      const answers = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          api.post<{ job_id?: string }>('/api/v1/jobs', { topic: 'job.amo', retry: RETRY }),
        ),
      );
      for (const answer of answers) {
        // "Accepted" means a 2xx answer carrying a job id; a request cut by the crash is not.
        if (answer.status === 'fulfilled' && answer.value.status < 300 && answer.value.body.job_id !== undefined) {
          accepted.push(answer.value.body.job_id);
        }
      }
    };
    while (crashes < 3) {
      const api = new Api(coretex.url, KEYS.acme);
      await waitFor(
        `crash ${crashes + 1} at ${CRASH}`,
        async () => {
          if (coretex.child.signalCode === 'SIGKILL') return true;
          await submit(api);
          return false;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      expect(coretex.output()).toContain(`crash point ${CRASH}`);
      crashes++;
      const env: Record<string, string> = crashes < 3 ? { CORETEX_CRASH_AT: `${CRASH}@${2 + crashes}` } : {};
      coretex = await startCoretex(e.installation, { env });
      e = { ...e, coretex, api: new Api(coretex.url, KEYS.acme) };
    }
    await submit(e.api);
    expect(accepted.length).toBeGreaterThanOrEqual(12);

    // Every accepted job reaches a terminal state.
    const jobs = [];
    for (const id of accepted) jobs.push(await finished(e.api, id, 90_000));
    for (const job of jobs) expect(TERMINAL).toContain(job.state);

    // The workers' execution logs, by (tenant, job, attempt).
    const log = workers.flatMap((w) => w.executions());
    const byAttempt = new Map<string, typeof log>();
    for (const entry of log) {
      const key = `${String(entry.tenant)}/${entry.job_id}/${entry.attempt}`;
      byAttempt.set(key, [...(byAttempt.get(key) ?? []), entry]);
    }
    let stoppedExecutions = 0;
    for (const [key, entries] of byAttempt) {
      const starts = entries.filter((x) => x.event === 'start');
      const completes = entries.filter((x) => x.event === 'complete');
      const stopped = entries.filter((x) => x.event === 'abort' && x.reason === 'stopped');
      expect(completes.length, `${key}: executions completed`).toBeLessThanOrEqual(1);
      expect(completes.length + stopped.length, `${key}: every execution but one stopped`).toBe(starts.length);
      stoppedExecutions += stopped.length;
    }
    // The recorded outcome is the one execution that completed, on the worker the job names.
    for (const job of jobs.filter((j) => j.state === 'SUCCEEDED')) {
      const done = byAttempt
        .get(`acme/${job.job_id}/${job.attempt}`)
        ?.filter((x) => x.event === 'complete' && x.worker_id === job.worker_id);
      expect(done, `${job.job_id} attempt ${job.attempt}`).toHaveLength(1);
    }
    // The faults did bite: late accepts happened (slow workers ran jobs), and Coretex crashed 3 times.
    expect(log.some((x) => x.event === 'start' && String(x.worker_id).startsWith('amo-slow'))).toBe(true);
    expect(crashes).toBe(3);
    console.log(
      `at-most-once: ${accepted.length} jobs accepted, ${byAttempt.size} attempts executed, ` +
        `${stoppedExecutions} executions stopped, states ${JSON.stringify(countBy(jobs.map((j) => j.state)))}`,
    );
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
