/**
 * Issue 4's proof: the `jobs` and `dlq` read models built live from a random history — generated job
 * lifecycles including the race shapes (results before the hand-off is recorded, old attempts,
 * non-holders, cancel while scheduled, timeouts then late results, worker-reported CANCELLED), played
 * against the real decider — by two runner processes competing for the lease, with redeliveries
 * injected and one runner killed mid-batch, are identical key by key to a rebuild from scratch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import { rebuildProjection } from '../../src/app/projections/rebuild.ts';
import { decideDlq } from '../../src/domain/dlq/decide.ts';
import { deadLetterFor } from '../../src/domain/dlq/reason.ts';
import { NO_DLQ_ENTRY } from '../../src/domain/dlq/state.ts';
import type { JobEvent } from '../../src/domain/job/events.ts';
import { isTerminal } from '../../src/domain/job/events.ts';
import { evolve } from '../../src/domain/job/evolve.ts';
import { NO_JOB, type JobState } from '../../src/domain/job/state.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { dlqProjection } from '../../src/projections/dlq/projection.ts';
import { jobsProjection } from '../../src/projections/jobs/projection.ts';
import { JOB_ID, TENANT } from '../support/job-fixtures.ts';
import { arbRun } from '../support/job-runs.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { openTestEventStore } from '../support/jetstream-events.ts';
import { waitFor } from '../harness/wait-for.ts';

const natsUrl = inject('natsUrl');
const redisUrl = inject('redisUrl');
const SCRIPT = join(import.meta.dirname, 'support/projector-process.ts');
const JOBS = 400;
/** Every runner process started, killed after the suite even when a test times out midway. */
const spawned: ChildProcess[] = [];

function runner(
  prefix: string,
  owner: string,
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [SCRIPT, natsUrl, redisUrl, prefix, owner, 'jobs,dlq'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CORETEX_CRASH_AT: '', ...env },
  });
  spawned.push(child);
  return {
    child,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal === null ? code : -1))),
  };
}

describe('read models built live under faults equal a rebuild from scratch', () => {
  let nc: NatsConnection;
  let redis: Redis;
  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const child of spawned) child.kill('SIGKILL');
    await nc.close();
    redis.disconnect();
  });

  it('jobs and dlq, key by key', { timeout: 120_000 }, async () => {
    const prefix = uniquePrefix('eq');
    const seed = Date.now() % 1_000_000;
    const events = await openTestEventStore(nc, prefix);
    const store = new RedisReadModelStore(redis, prefix);
    // Generated lifecycles, each under its own job id, with the DLQ entry a terminal failure gets.
    const runs = fc.sample(arbRun, { numRuns: JOBS, seed });
    const histories = runs.map(
      (run, i) => JSON.parse(JSON.stringify(run.history).replaceAll(`"${JOB_ID}"`, `"j${i}"`)) as JobEvent[],
    );
    const cursors: { next: number; position: number; first: number; state: JobState }[] = histories.map(() => ({
      next: 0,
      position: 0,
      first: 0,
      state: NO_JOB,
    }));
    let dlqEntries = 0;
    const appendRound = async (perJob: number) => {
      // Interleave the jobs, as concurrent work would.
      await Promise.all(
        histories.map(async (history, i) => {
          const cursor = cursors[i] as (typeof cursors)[number];
          for (let k = 0; k < perJob && cursor.next < history.length; k++) {
            const event = history[cursor.next++] as JobEvent;
            const stream = streamId('job', TENANT, `j${i}`);
            const appended = await events.append(
              stream,
              {
                type: event.type,
                data: event.data,
                actor: 'gen',
                time: new Date(1_700_000_000_000 + cursor.next * 1000).toISOString(),
              },
              {
                expectedPosition: cursor.position,
                firstPosition: event.type === 'JobSnapshot' || cursor.position === 0 ? 0 : cursor.first,
              },
            );
            if (cursor.position === 0 || event.type === 'JobSnapshot') cursor.first = appended.position;
            cursor.position = appended.position;
            const before = cursor.state;
            cursor.state = evolve(cursor.state, event);
            if (
              before.status !== cursor.state.status &&
              cursor.state.status !== 'NONE' &&
              isTerminal(cursor.state.status)
            ) {
              const add = deadLetterFor(cursor.state, event, 1_700_000_000_000 + cursor.next);
              if (add === null) continue;
              const decision = decideDlq(add, NO_DLQ_ENTRY);
              if (decision instanceof Error || decision.events.length === 0) continue;
              const [dlqEvent] = decision.events;
              if (dlqEvent === undefined) continue;
              await events.append(
                streamId('dlq', TENANT, `j${i}`),
                { type: dlqEvent.type, data: dlqEvent.data, actor: 'gen', time: new Date().toISOString() },
                { expectedPosition: 0, firstPosition: 0 },
              );
              dlqEntries++;
            }
          }
        }),
      );
    };
    await appendRound(5);

    // Two runners compete for each projection's lease, both with redeliveries injected. Whichever
    // holds a lease is killed mid-batch a few commits in (either may win the race for the lease, so
    // both carry a crash point); a third runner then joins the survivor.
    const killedAt = 2 + (seed % 5);
    const crashAt = (n: number) => ({ REDELIVER: '1', CORETEX_CRASH_AT: `projector.before_commit@${n}` });
    const first = runner(prefix, 'first', crashAt(killedAt));
    const second = runner(prefix, 'second', crashAt(killedAt + 3));
    let crashed: number | null | undefined;
    void Promise.race([first.exited, second.exited]).then((code) => (crashed = code));
    const remaining = () => cursors.some((cursor, i) => cursor.next < (histories[i] as JobEvent[]).length);
    while (crashed === undefined && remaining()) await appendRound(1);
    expect(await waitFor('a runner killed at its crash point', () => crashed !== undefined && crashed)).toBe(-1);
    const third = runner(prefix, 'third', { REDELIVER: '1' });
    await appendRound(1_000);
    try {
      const jobHead = await events.headPosition('job');
      const dlqHead = await events.headPosition('dlq');
      await waitFor(
        'both read models at the heads',
        async () => {
          const jobs = await store.activeVersion('jobs');
          const dlq = await store.activeVersion('dlq');
          if (jobs === null || dlq === null) return false;
          return (
            (await store.checkpoint({ projection: 'jobs', version: jobs.version }, 'job')) === jobHead &&
            (dlqHead === 0 || (await store.checkpoint({ projection: 'dlq', version: dlq.version }, 'dlq')) === dlqHead)
          );
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
    } finally {
      for (const survivor of [first, second, third]) survivor.child.kill('SIGKILL');
      await Promise.all([first.exited, second.exited, third.exited]);
    }

    for (const projection of [jobsProjection, dlqProjection]) {
      const active = await store.activeVersion(projection.name);
      if (active === null) throw new Error(`${projection.name} was never built`);
      const live = await store.dump({ projection: projection.name, version: active.version });
      const rebuilt = await rebuildProjection({ events, store }, projection, { dropOldAfterMs: 0 });
      const fresh = await store.dump({ projection: projection.name, version: rebuilt.version });
      expect(Object.keys(fresh).length, `${projection.name}: keys (seed ${seed})`).toBe(Object.keys(live).length);
      expect(fresh, `${projection.name} (seed ${seed})`).toEqual(live);
    }
    expect(dlqEntries).toBeGreaterThan(0);
    await events.close();
  });
});
