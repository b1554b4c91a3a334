/**
 * The `jobs` read model's counts by state (`/metrics`) when a rebuild meets jobs in the middle of their
 * history: with a hot window, a job's oldest events age out of the stream — before its latest snapshot
 * (a live job) or anywhere before its `JobArchived` (a finished one). A rebuild from what is left must
 * count exactly the live jobs by their state, like the read model built live, never lowering a count
 * it did not raise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryReadModelStore } from '../../../src/adapters/embedded/read-model-store.ts';
import type { JobCommand } from '../../../src/domain/job/commands.ts';
import { decide } from '../../../src/domain/job/decide.ts';
import { evolve } from '../../../src/domain/job/evolve.ts';
import { NO_JOB, type JobState } from '../../../src/domain/job/state.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import { writesOfBatch } from '../../../src/projections/coalesce.ts';
import { docKey } from '../../../src/projections/jobs/keys.ts';
import { jobsProjection, STATS_KEY } from '../../../src/projections/jobs/projection.ts';
import type { ReadModelNamespace } from '../../../src/projections/projection.ts';
import { accepted, archive, report, schedule, submit, T0, TENANT, takeSnapshot } from '../../support/job-fixtures.ts';

const NS: ReadModelNamespace = { projection: 'jobs', version: 1 };

/** Scripts of a job's life; `snapshot` steps are where the reconciler took one. */
const SCRIPTS: Record<string, readonly (JobCommand | 'snapshot')[]> = {
  archived: [submit(), schedule(), accepted('w1', T0 + 6), report(), archive()],
  running: [submit(), 'snapshot', schedule(), accepted('w1', T0 + 6)],
  queuedThenRunning: [
    submit(),
    schedule({ placement: { kind: 'wait', reason: 'all_overloaded' } }),
    'snapshot',
    schedule({ now: T0 + 50, safety: { kind: 'recorded' } }),
    accepted('w1', T0 + 60, { now: T0 + 60 }),
  ],
  snapshotThenArchived: [submit(), 'snapshot', schedule(), accepted('w1', T0 + 6), report(), archive()],
  waiting: [submit({ run_at: T0 + 86_400_000 }), 'snapshot', 'snapshot'],
};

interface History {
  readonly events: StoredEvent[];
  readonly final: JobState;
  /** Index of the earliest event a rebuild may still find (oldest first: what may have aged out). */
  readonly earliestKeepable: number;
}

function historyOf(jobId: string, script: readonly (JobCommand | 'snapshot')[]): History {
  let state: JobState = NO_JOB;
  let firstPosition = 0;
  const events: StoredEvent[] = [];
  for (const step of script) {
    const command: JobCommand =
      step === 'snapshot' ? takeSnapshot() : { ...step, ...(step.type === 'SubmitJob' ? { job_id: jobId } : {}) };
    const result = decide(command, state);
    if (result instanceof Error || result.events.length === 0) throw new Error(`${command.type} did nothing`);
    const event = result.events[0];
    const position = events.length + 1;
    const startsHistory = events.length === 0 || event.type === 'JobSnapshot';
    events.push({
      ...event,
      id: `${jobId}-${position}`,
      schema_version: 1,
      stream_id: `job:${TENANT}:${jobId}`,
      time: new Date(T0 + position).toISOString(),
      trace_id: null,
      causation_id: null,
      correlation_id: null,
      actor: 'test',
      tenant: TENANT,
      first_position: startsHistory ? 0 : firstPosition,
      position,
    });
    if (startsHistory) firstPosition = position;
    state = evolve(state, event);
  }
  // A finished job may lose anything but its JobArchived; a live one anything before its last snapshot.
  const lastSnapshot = events.findLastIndex((e) => e.type === 'JobSnapshot');
  const archived = events.at(-1)?.type === 'JobArchived';
  return { events, final: state, earliestKeepable: archived ? events.length - 1 : Math.max(0, lastSnapshot) };
}

async function fold(events: readonly StoredEvent[]): Promise<MemoryReadModelStore> {
  const store = new MemoryReadModelStore();
  let checkpoint = 0;
  for (const event of events) {
    const result = await store.commit(NS, 'job', {
      expect: checkpoint,
      checkpoint: checkpoint + 1,
      writes: jobsProjection.evolve(event),
    });
    expect(result.ok).toBe(true);
    checkpoint++;
  }
  return store;
}

async function counts(store: MemoryReadModelStore): Promise<Record<string, number>> {
  const stats = (await store.hgetall(NS, STATS_KEY)) ?? {};
  return Object.fromEntries(
    Object.entries(stats)
      .filter(([, n]) => Number(n) !== 0)
      .map(([k, n]) => [k, Number(n)]),
  );
}

const jobsArb = fc.array(fc.record({ script: fc.constantFrom(...Object.keys(SCRIPTS)), cut: fc.nat(10) }), {
  minLength: 1,
  maxLength: 6,
});

describe('jobs read model counts when first events have aged out', () => {
  it('a rebuild from what is left counts the live jobs by state, as the live read model does', async () => {
    await fc.assert(
      fc.asyncProperty(jobsArb, fc.nat(), async (jobs, seed) => {
        const histories = jobs.map((job, i) => ({ ...historyOf(`job-${i}`, SCRIPTS[job.script] ?? []), cut: job.cut }));
        // Live: every event, the jobs interleaved (each in its own order).
        const live = await fold(
          interleave(
            histories.map((h) => h.events),
            seed,
          ),
        );
        // Rebuild: each job's oldest events gone, as far as retention allows.
        const left = histories.map((h) => h.events.slice(Math.min(h.cut, h.earliestKeepable)));
        const rebuilt = await fold(interleave(left, seed + 1));

        const expected: Record<string, number> = {};
        for (const h of histories) {
          if (h.events.at(-1)?.type === 'JobArchived' || h.final.status === 'NONE') continue;
          const field = `${h.final.status}|job.default`;
          expected[field] = (expected[field] ?? 0) + 1;
        }
        expect(await counts(live)).toEqual(expected);
        expect(await counts(rebuilt)).toEqual(expected);
        for (const [i, h] of histories.entries()) {
          const doc = await rebuilt.hgetall(NS, docKey(TENANT, `job-${i}`));
          if (h.events.at(-1)?.type === 'JobArchived') expect(doc).toBeNull();
          else expect(doc?.state).toBe(h.final.status);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('committed in batches of any size, each coalesced, it is the read model built event by event', async () => {
    await fc.assert(
      fc.asyncProperty(jobsArb, fc.nat(), fc.integer({ min: 1, max: 12 }), async (jobs, seed, batchSize) => {
        const histories = jobs.map((job, i) => ({ ...historyOf(`job-${i}`, SCRIPTS[job.script] ?? []), cut: job.cut }));
        for (const events of [
          interleave(
            histories.map((h) => h.events),
            seed,
          ),
          interleave(
            histories.map((h) => h.events.slice(Math.min(h.cut, h.earliestKeepable))),
            seed + 1,
          ),
        ]) {
          const batched = new MemoryReadModelStore();
          for (let at = 0; at < events.length; at += batchSize) {
            const batch = events.slice(at, at + batchSize);
            const writes = writesOfBatch(jobsProjection, batch);
            await batched.commit(NS, 'job', { expect: at, checkpoint: at + batch.length, writes });
          }
          expect(await batched.dump(NS)).toEqual(await (await fold(events)).dump(NS));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Merges per-job event lists in a seeded order, keeping each list's own order. */
function interleave(lists: readonly (readonly StoredEvent[])[], seed: number): StoredEvent[] {
  const queues = lists.map((list) => [...list]);
  const out: StoredEvent[] = [];
  let x = seed || 1;
  while (queues.some((q) => q.length > 0)) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const open = queues.filter((q) => q.length > 0);
    out.push((open[x % open.length] as StoredEvent[]).shift() as StoredEvent);
  }
  return out;
}
