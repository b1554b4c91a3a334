/**
 * The `jobs` read model and its queries (SPEC 1.11), on Redis and in memory: every supported filter
 * pages through exactly its matches, newest first, and paging while other jobs are written never
 * repeats or skips an item whose sort key did not change. Unsupported combinations name the supported.
 */
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MemoryReadModelStore } from '../../src/adapters/embedded/read-model-store.ts';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import type { ReadModelStore } from '../../src/app/ports.ts';
import type { JobEvent, JobStatus } from '../../src/domain/job/events.ts';
import type { JobKeys } from '../../src/domain/job/request.ts';
import { ValidationError } from '../../src/domain/shared/errors.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { jobsProjection } from '../../src/projections/jobs/projection.ts';
import { type JobListFilter, listJobs } from '../../src/projections/jobs/queries.ts';
import type { ReadModelNamespace } from '../../src/projections/projection.ts';
import { syntheticRequest } from '../../bench/lib/synthetic-jobs.ts';
import { uniquePrefix } from '../harness/prefix.ts';

const STATES: JobStatus[] = ['PENDING', 'SCHEDULED', 'RUNNING', 'SUCCEEDED', 'FAILED'];
const TOPICS = ['job.a', 'job.b', 'job.c'];
const TEAMS = ['red', 'blue', null];
const TRACES = ['t1', 't2'];

interface Job {
  readonly tenant: string;
  readonly keys: JobKeys;
  state: JobStatus;
  position: number;
}

function stored(job: Job, event: JobEvent, time: number): StoredEvent {
  return {
    ...event,
    id: `e${job.keys.job_id}${job.position}`,
    schema_version: 1,
    stream_id: `job:${job.tenant}:${job.keys.job_id}`,
    time: new Date(time).toISOString(),
    trace_id: null,
    causation_id: null,
    correlation_id: null,
    actor: 't',
    tenant: job.tenant,
    first_position: 0,
    position: ++job.position,
  };
}

/** A tiny writer that folds synthetic job events through the real projection into a store. */
function writer(store: ReadModelStore, ns: ReadModelNamespace) {
  let checkpoint = 0;
  const jobs: Job[] = [];
  const commit = async (events: StoredEvent[]) => {
    const writes = events.flatMap((e) => jobsProjection.evolve(e));
    const r = await store.commit(ns, 'job', { expect: checkpoint, checkpoint: checkpoint + 1, writes });
    expect(r.ok).toBe(true);
    checkpoint++;
  };
  return {
    jobs,
    async submit(
      specs: {
        tenant: string;
        topic: string;
        team: string | null;
        trace: string;
        createdAt: number;
        state: JobStatus;
      }[],
    ) {
      const events: StoredEvent[] = [];
      for (const spec of specs) {
        const request = {
          ...syntheticRequest(jobs.length, spec.tenant),
          topic: spec.topic,
          team: spec.team,
          trace_id: spec.trace,
        };
        const keys: JobKeys = {
          job_id: `${request.job_id}-${spec.tenant}`,
          topic: spec.topic,
          team: spec.team,
          trace_id: spec.trace,
          workflow_id: null,
          run_id: null,
          priority: 'batch',
          created_at: spec.createdAt,
        };
        const job: Job = { tenant: spec.tenant, keys, state: 'PENDING', position: 0 };
        jobs.push(job);
        const t = { keys, deadline_at: null };
        events.push(
          stored(
            job,
            {
              type: 'JobSubmitted',
              data: {
                ...t,
                status_before: null,
                status_after: 'PENDING',
                due_at: spec.createdAt,
                request: { ...request, job_id: keys.job_id },
              },
            },
            spec.createdAt,
          ),
        );
        if (spec.state !== 'PENDING') events.push(this.moveEvent(job, spec.state, spec.createdAt + 1));
      }
      await commit(events);
    },
    moveEvent(job: Job, to: JobStatus, time: number): StoredEvent {
      const from = job.state;
      job.state = to;
      return stored(
        job,
        {
          type: 'JobCancelled',
          data: {
            keys: job.keys,
            deadline_at: null,
            status_before: from,
            status_after: to,
            due_at: null,
            by: 't',
            reason: null,
            stop: null,
          },
        },
        time,
      );
    },
    async move(job: Job, to: JobStatus, time: number) {
      await commit([this.moveEvent(job, to, time)]);
    },
  };
}

const filterArb = fc.oneof(
  fc.record({}, { requiredKeys: [] }),
  fc.record({ state: fc.constantFrom(...STATES) }),
  fc.record({ topic: fc.constantFrom(...TOPICS) }, { requiredKeys: ['topic'] }),
  fc.record({ topic: fc.constantFrom(...TOPICS), state: fc.constantFrom(...STATES) }),
  fc.record({ team: fc.constantFrom('red', 'blue') }),
  fc.record({ team: fc.constantFrom('red', 'blue'), state: fc.constantFrom(...STATES) }),
  fc.record({ trace_id: fc.constantFrom(...TRACES), state: fc.constantFrom(...STATES) }),
);

function matches(job: Job, tenant: string, filter: JobListFilter): boolean {
  return (
    job.tenant === tenant &&
    (filter.state === undefined || job.state === filter.state) &&
    (filter.topic === undefined || job.keys.topic === filter.topic) &&
    (filter.team === undefined || job.keys.team === filter.team) &&
    (filter.trace_id === undefined || job.keys.trace_id === filter.trace_id)
  );
}

function suite(name: string, makeStore: () => ReadModelStore) {
  describe(`jobs read model: ${name}`, () => {
    it('property: all pages of a filter give exactly its matches, in order, while other jobs change', async () => {
      const store = makeStore();
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              tenant: fc.constantFrom('acme', 'globex'),
              topic: fc.constantFrom(...TOPICS),
              team: fc.constantFrom(...TEAMS),
              trace: fc.constantFrom(...TRACES),
              createdAt: fc.integer({ min: 1_000, max: 1_060 }),
              state: fc.constantFrom(...STATES),
            }),
            { maxLength: 70 },
          ),
          filterArb,
          fc.integer({ min: 1, max: 9 }),
          fc.array(fc.record({ pick: fc.nat(), to: fc.constantFrom(...STATES), add: fc.boolean() }), { maxLength: 30 }),
          async (specs, filter, limit, churn) => {
            const ns = { projection: uniquePrefix('jobs'), version: 1 };
            const w = writer(store, ns);
            await w.submit(specs);
            const initial = w.jobs.filter((j) => matches(j, 'acme', filter)).map((j) => j.keys.job_id);
            const touched = new Set<string>();
            const seen: string[] = [];
            let cursor: string | undefined;
            for (let page = 0; page < 100; page++) {
              const result = await listJobs(store, ns, {
                tenant: 'acme',
                filter,
                sort: 'created',
                limit,
                ...(cursor === undefined ? {} : { cursor }),
              });
              expect(result.items.length).toBeLessThanOrEqual(limit);
              if (result.next_cursor !== null) expect(result.items).toHaveLength(limit);
              seen.push(...result.items.map((i) => i.job_id));
              // Between pages: another job changes state, or a new one arrives.
              for (const c of churn.slice(page * 2, page * 2 + 2)) {
                if (c.add || w.jobs.length === 0) {
                  await w.submit([
                    {
                      tenant: 'acme',
                      topic: 'job.a',
                      team: 'red',
                      trace: 't1',
                      createdAt: 1_000 + (c.pick % 60),
                      state: c.to,
                    },
                  ]);
                  touched.add((w.jobs.at(-1) as Job).keys.job_id);
                } else {
                  const job = w.jobs[c.pick % w.jobs.length] as Job;
                  touched.add(job.keys.job_id);
                  await w.move(job, c.to, 2_000 + page);
                }
              }
              if (result.next_cursor === null) break;
              cursor = result.next_cursor;
            }
            expect(new Set(seen).size).toBe(seen.length);
            const stable = initial.filter((id) => !touched.has(id));
            expect(seen.filter((id) => stable.includes(id)).sort()).toEqual([...stable].sort());
            // Order: newest first by (created_at, id).
            const order = seen.map((id) => w.jobs.find((j) => j.keys.job_id === id) as Job);
            for (let i = 1; i < order.length; i++) {
              const a = order[i - 1] as Job;
              const b = order[i] as Job;
              expect(
                a.keys.created_at > b.keys.created_at ||
                  (a.keys.created_at === b.keys.created_at && a.keys.job_id > b.keys.job_id),
              ).toBe(true);
            }
            // Every item shown matches the filter as the read model had it, and never another tenant's.
            for (const job of order) expect(job.tenant).toBe('acme');
            await store.dropNamespace(ns);
          },
        ),
        { numRuns: 80 },
      );
    });

    it('lists with a time range, returns full documents, and names the supported filters otherwise', async () => {
      const store = makeStore();
      const ns = { projection: uniquePrefix('jobs'), version: 1 };
      const w = writer(store, ns);
      await w.submit(
        Array.from({ length: 20 }, (_, i) => ({
          tenant: 'acme',
          topic: 'job.a',
          team: 'red',
          trace: 't1',
          createdAt: 1_000 + i,
          state: 'PENDING' as const,
        })),
      );
      const page = await listJobs(store, ns, {
        tenant: 'acme',
        filter: {},
        sort: 'created',
        from: 1_005,
        to: 1_009,
        limit: 50,
      });
      expect(page.items.map((i) => i.created_at)).toEqual([1_009, 1_008, 1_007, 1_006, 1_005]);
      expect(page.next_cursor).toBeNull();
      expect(page.items[0]).toMatchObject({
        tenant: 'acme',
        topic: 'job.a',
        state: 'PENDING',
        team: 'red',
        attempt: 0,
        max_attempts: 3,
      });
      const all = await listJobs(store, ns, { tenant: '*', filter: { state: 'PENDING' }, sort: 'created', limit: 50 });
      expect(all.items).toHaveLength(20);
      await expect(
        listJobs(store, ns, { tenant: 'acme', filter: { topic: 'job.a', team: 'red' }, sort: 'created', limit: 5 }),
      ).rejects.toThrow(/cannot be combined; supported: state; one of topic, team/);
      await expect(
        listJobs(store, ns, { tenant: '*', filter: { topic: 'job.a' }, sort: 'created', limit: 5 }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        listJobs(store, ns, { tenant: 'acme', filter: { state: 'PENDING' }, sort: 'updated', limit: 5 }),
      ).rejects.toThrow(/sort=updated/);
      await expect(
        listJobs(store, ns, { tenant: 'acme', filter: {}, sort: 'created', limit: 5, cursor: 'garbage' }),
      ).rejects.toMatchObject({
        field: 'cursor',
      });
    });
  });
}

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => {
  redis.disconnect();
});

suite('memory', () => new MemoryReadModelStore());
suite('redis', () => new RedisReadModelStore(redis, uniquePrefix('rm')));
