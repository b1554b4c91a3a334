/**
 * The `runs` and `workflows` read models and their queries (SPEC 2.2, paginated as 1.11), on Redis
 * and in memory, fed with events the real deciders decided: every supported filter pages through
 * exactly its matches, newest first, with `next_cursor: null` on the last page; unsupported
 * combinations name the supported ones; `runs_due` holds exactly the live runs.
 */
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MemoryReadModelStore } from '../../../src/adapters/embedded/read-model-store.ts';
import { RedisReadModelStore } from '../../../src/adapters/redis/read-model-store.ts';
import type { ReadModelStore } from '../../../src/app/ports.ts';
import { ValidationError } from '../../../src/domain/shared/errors.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import type { AggregateType } from '../../../src/domain/shared/stream.ts';
import type { Projection, ReadModelNamespace } from '../../../src/projections/projection.ts';
import { RUNS_DUE_KEY, runsDueProjection } from '../../../src/projections/runs-due/projection.ts';
import { runsProjection } from '../../../src/projections/runs/projection.ts';
import { getRunSummary, listRuns, type RunListFilter } from '../../../src/projections/runs/queries.ts';
import { workflowsProjection } from '../../../src/projections/workflows/projection.ts';
import { getWorkflowDocument, listWorkflows } from '../../../src/projections/workflows/queries.ts';
import { uniquePrefix } from '../../harness/prefix.ts';
import {
  REACHABLE_RUN_STATUSES,
  runHistory,
  type RunSpec,
  StreamPositions,
  workflowHistory,
} from '../../support/run-histories.ts';

const WORKFLOWS = ['nightly', 'deploy'];
const TEAMS = ['red', 'blue', null];

async function build(store: ReadModelStore, projection: Projection, stream: AggregateType, events: StoredEvent[]) {
  const ns: ReadModelNamespace = { projection: uniquePrefix(projection.name), version: 1 };
  const writes = events.flatMap((event) => projection.evolve(event));
  const last = events.at(-1)?.position ?? 0;
  expect(await store.commit(ns, stream, { expect: 0, checkpoint: last, writes })).toEqual({ ok: true });
  return ns;
}

function matches(spec: RunSpec, tenant: string, filter: RunListFilter): boolean {
  return (
    (tenant === '*' || spec.tenant === tenant) &&
    (filter.status === undefined || spec.status === filter.status) &&
    (filter.workflow_id === undefined || spec.workflow_id === filter.workflow_id) &&
    (filter.team_id === undefined || spec.team_id === filter.team_id)
  );
}

const filterArb: fc.Arbitrary<RunListFilter> = fc.oneof(
  fc.constant({}),
  fc.record({ status: fc.constantFrom(...REACHABLE_RUN_STATUSES) }),
  fc.record({ workflow_id: fc.constantFrom(...WORKFLOWS) }),
  fc.record({ workflow_id: fc.constantFrom(...WORKFLOWS), status: fc.constantFrom(...REACHABLE_RUN_STATUSES) }),
  fc.record({ team_id: fc.constantFrom('red', 'blue') }),
  fc.record({ team_id: fc.constantFrom('red', 'blue'), status: fc.constantFrom(...REACHABLE_RUN_STATUSES) }),
);

function suite(name: string, makeStore: () => ReadModelStore) {
  describe(`runs and workflows read models: ${name}`, () => {
    it('property: the pages of a filter give exactly its matches, newest first, the last with next_cursor null', async () => {
      const store = makeStore();
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 1_000, max: 1_200 }), { maxLength: 40 }),
          fc.array(
            fc.record({
              tenant: fc.constantFrom('acme', 'globex'),
              workflow_id: fc.constantFrom(...WORKFLOWS),
              team_id: fc.constantFrom(...TEAMS),
              status: fc.constantFrom(...REACHABLE_RUN_STATUSES),
            }),
            { minLength: 40, maxLength: 40 },
          ),
          filterArb,
          fc.integer({ min: 1, max: 9 }),
          fc.boolean(),
          async (times, shapes, filter, limit, global) => {
            const positions = new StreamPositions();
            const specs: RunSpec[] = times.map((created_at, i) => ({
              ...(shapes[i] as Omit<RunSpec, 'run_id' | 'created_at'>),
              run_id: `r${i}`,
              created_at,
            }));
            const ns = await build(
              store,
              runsProjection,
              'run',
              specs.flatMap((s) => runHistory(positions, s)),
            );
            const tenant = global ? '*' : 'acme';
            const query = global ? { status: filter.status } : filter;
            const cleanFilter = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
            const expected = specs
              .filter((spec) => matches(spec, tenant, cleanFilter))
              .sort((a, b) => b.created_at - a.created_at)
              .map((spec) => `${spec.tenant}/${spec.run_id}`);
            const seen: string[] = [];
            let cursor: string | undefined;
            for (let page = 0; page < 100; page++) {
              const result = await listRuns(store, ns, {
                tenant,
                filter: cleanFilter,
                limit,
                ...(cursor === undefined ? {} : { cursor }),
              });
              if (result.next_cursor !== null) expect(result.items).toHaveLength(limit);
              seen.push(...result.items.map((item) => `${item.tenant}/${item.run_id}`));
              if (result.next_cursor === null) break;
              cursor = result.next_cursor;
            }
            expect(seen).toEqual(expected);
            await store.dropNamespace(ns);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('keeps a document per run with its steps, and names the supported filters otherwise', async () => {
      const store = makeStore();
      const positions = new StreamPositions();
      const base = { tenant: 'acme', workflow_id: 'nightly', team_id: 'red' };
      const events = [
        ...runHistory(positions, { ...base, run_id: 'ok', created_at: 1_000, status: 'SUCCEEDED' }),
        ...runHistory(positions, { ...base, run_id: 'bad', created_at: 1_001, status: 'FAILED' }),
        ...runHistory(positions, { ...base, run_id: 'live', created_at: 1_002, status: 'RUNNING' }),
        ...runHistory(positions, { ...base, run_id: 'new', created_at: 1_003, status: 'PENDING' }),
      ];
      const ns = await build(store, runsProjection, 'run', events);
      expect(await getRunSummary(store, ns, 'acme', 'bad')).toMatchObject({
        run_id: 'bad',
        workflow_id: 'nightly',
        workflow_version: 1,
        team_id: 'red',
        status: 'FAILED',
        created_at: 1_000 + 1,
        ended_at: 1_003,
        error: { code: 'step_failed', step_id: 'work' },
        steps: { work: 'FAILED' },
      });
      expect((await getRunSummary(store, ns, 'acme', 'live'))?.steps).toEqual({ work: 'RUNNING' });
      expect(await getRunSummary(store, ns, 'globex', 'bad')).toBeNull();
      const ranged = await listRuns(store, ns, { tenant: 'acme', filter: {}, from: 1_001, to: 1_002, limit: 10 });
      expect(ranged).toEqual({
        items: [expect.objectContaining({ run_id: 'live' }), expect.objectContaining({ run_id: 'bad' })],
        next_cursor: null,
      });

      await expect(
        listRuns(store, ns, { tenant: 'acme', filter: { workflow_id: 'nightly', team_id: 'red' }, limit: 5 }),
      ).rejects.toThrow(/cannot be combined; supported: status; one of workflow_id, team_id/);
      await expect(listRuns(store, ns, { tenant: '*', filter: { team_id: 'red' }, limit: 5 })).rejects.toMatchObject({
        name: 'ValidationError',
        field: 'team_id',
        code: 'unsupported_filter',
      });
      await expect(
        listRuns(store, ns, { tenant: 'acme', filter: { status: 'DONE' as never }, limit: 5 }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(listRuns(store, ns, { tenant: 'acme', filter: {}, limit: 0 })).rejects.toMatchObject({
        field: 'limit',
      });
      await expect(
        listRuns(store, ns, { tenant: 'acme', filter: {}, limit: 5, cursor: 'garbage' }),
      ).rejects.toMatchObject({ field: 'cursor' });

      const due = await build(store, runsDueProjection, 'run', events);
      const live = await store.range(due, RUNS_DUE_KEY, { order: 'asc', limit: 10 });
      expect(live.map((entry) => entry.member).sort()).toEqual(['acme/live', 'acme/new']);
    });

    it('lists workflows by creation time, live ones unless deleted ones are asked for', async () => {
      const store = makeStore();
      const positions = new StreamPositions();
      const define = (id: string, now: number) => ({
        type: 'CreateWorkflow' as const,
        workflow_id: id,
        org_id: 'acme',
        now,
        by: 'alice',
        definition: { name: `the ${id}`, steps: { a: {} } },
      });
      const events = [
        ...workflowHistory(positions, 'acme', [
          define('one', 1_000),
          {
            type: 'UpdateWorkflow',
            workflow_id: 'one',
            org_id: 'acme',
            now: 1_500,
            by: 'bob',
            expected_version: 1,
            definition: { steps: { a: {}, b: { depends_on: ['a'] } } },
          },
        ]),
        ...workflowHistory(positions, 'acme', [
          define('two', 1_100),
          { type: 'DeleteWorkflow', workflow_id: 'two', org_id: 'acme', now: 1_600, by: 'bob', expected_version: 1 },
        ]),
        ...workflowHistory(positions, 'acme', [define('three', 1_200)]),
      ];
      const ns = await build(store, workflowsProjection, 'workflow', events);
      const live = await listWorkflows(store, ns, { tenant: 'acme', limit: 1 });
      expect(live.items.map((w) => w.workflow_id)).toEqual(['three']);
      const rest = await listWorkflows(store, ns, { tenant: 'acme', limit: 5, cursor: live.next_cursor ?? '' });
      expect(rest).toEqual({ items: [expect.objectContaining({ workflow_id: 'one', version: 2 })], next_cursor: null });
      const all = await listWorkflows(store, ns, { tenant: 'acme', include_deleted: true, limit: 10 });
      expect(all.items.map((w) => [w.workflow_id, w.deleted])).toEqual([
        ['three', false],
        ['two', true],
        ['one', false],
      ]);
      expect((await listWorkflows(store, ns, { tenant: '*', limit: 10 })).items).toHaveLength(2);
      const one = await getWorkflowDocument(store, ns, 'acme', 'one');
      expect(one).toMatchObject({ name: 'one', version: 2, steps: 2, updated_by: 'bob', created_at: 1_000 });
      expect(Object.keys(one?.definition?.steps ?? {})).toEqual(['a', 'b']);
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
