import { describe, expect, it } from 'vitest';
import { type ChooseTargetInput, chooseTarget, waitQueueFor } from '../../../../src/domain/dispatch/choose-target.ts';
import { recordAssignment, type WorkerRegistry } from '../../../../src/domain/dispatch/registry.ts';
import type { RoutingSettings } from '../../../../src/domain/dispatch/routing.ts';
import { heartbeat, registryOf, routing } from './workers.ts';

const NOW = 100_000;

function choose(
  registry: WorkerRegistry,
  job: Partial<ChooseTargetInput['job']> = {},
  settings: RoutingSettings = routing(),
  tieBreak = 0,
) {
  return chooseTarget({
    job: { topic: 'job.default', requires: [], labels: {}, ...job },
    registry,
    routing: settings,
    now: NOW,
    tieBreak,
  });
}

const gpuRouting = routing({
  topics: { 'job.default': ['default'], 'job.render': ['gpu', 'default'] },
  pools: { default: { requires: [] }, gpu: { requires: ['cuda'] } },
});

describe('chooseTarget: routing', () => {
  it('waits on a paused topic, even one without a pool', () => {
    const settings = routing({ paused_topics: ['job.video.>'] });
    expect(choose(registryOf([heartbeat('w1')], NOW), { topic: 'job.video.hd' }, settings)).toEqual({
      kind: 'wait',
      reason: 'paused',
    });
  });

  it('fails a topic no pool serves', () => {
    expect(choose(registryOf([heartbeat('w1')], NOW), { topic: 'job.unknown' })).toEqual({
      kind: 'fail',
      reason: 'no_pool_mapping',
    });
  });

  it('fails when no mapped pool offers what the job requires', () => {
    expect(choose(registryOf([], NOW), { requires: ['cuda'] }, gpuRouting)).toEqual({
      kind: 'fail',
      reason: 'no_pool_mapping',
    });
  });

  it('keeps only the pools whose requires cover the job’s', () => {
    const registry = registryOf([heartbeat('cpu-1'), heartbeat('gpu-1', { pool: 'gpu', capabilities: ['cuda'] })], NOW);
    expect(choose(registry, { topic: 'job.render', requires: ['cuda'] }, gpuRouting)).toEqual({
      kind: 'worker',
      worker_id: 'gpu-1',
      pool: 'gpu',
    });
  });
});

describe('chooseTarget: topic queue fallback', () => {
  it('uses the first eligible pool’s topic queue when no worker heartbeats', () => {
    expect(choose(registryOf([], NOW), { topic: 'job.render' }, gpuRouting)).toEqual({ kind: 'queue', pool: 'gpu' });
  });

  it('honours preferred_pool for the queue when it is eligible', () => {
    const labels = { preferred_pool: 'default' };
    expect(choose(registryOf([], NOW), { topic: 'job.render', labels }, gpuRouting)).toEqual({
      kind: 'queue',
      pool: 'default',
    });
    expect(
      choose(registryOf([], NOW), { topic: 'job.render', labels: { preferred_pool: 'nope' } }, gpuRouting),
    ).toEqual({ kind: 'queue', pool: 'gpu' });
  });

  it('treats expired workers as absent', () => {
    expect(choose(registryOf([heartbeat('w1')], NOW - 30_000))).toEqual({ kind: 'queue', pool: 'default' });
  });

  it('treats workers of other pools, other topics or lacking a capability as absent', () => {
    const registry = registryOf(
      [
        heartbeat('other-pool', { pool: 'batch' }),
        heartbeat('other-topic', { topics: ['job.email'] }),
        heartbeat('no-cuda', { pool: 'gpu' }),
      ],
      NOW,
    );
    expect(choose(registry)).toEqual({ kind: 'queue', pool: 'default' });
    expect(choose(registry, { topic: 'job.render', requires: ['cuda'] }, gpuRouting)).toEqual({
      kind: 'queue',
      pool: 'gpu',
    });
  });
});

describe('chooseTarget: waiting for capacity', () => {
  it('waits when every present worker is overloaded', () => {
    const registry = registryOf(
      [heartbeat('busy', { active_jobs: 9, max_parallel_jobs: 10 }), heartbeat('hot', { cpu_load: 95 })],
      NOW,
    );
    expect(choose(registry)).toEqual({ kind: 'wait', reason: 'all_overloaded' });
  });

  it('counts assignments since the last heartbeat toward overload', () => {
    let registry = registryOf([heartbeat('w1', { active_jobs: 0, max_parallel_jobs: 1 })], NOW);
    expect(choose(registry)).toMatchObject({ kind: 'worker', worker_id: 'w1' });
    registry = recordAssignment(registry, 'w1');
    expect(choose(registry)).toEqual({ kind: 'wait', reason: 'all_overloaded' });
  });

  it('waits rather than use the topic queue when the only present workers are cordoned', () => {
    const registry = registryOf([heartbeat('w1')], NOW);
    expect(choose(registry, {}, routing({ cordoned_workers: ['w1'] }))).toEqual({
      kind: 'wait',
      reason: 'all_overloaded',
    });
  });

  it('waits when no present worker matches the placement labels', () => {
    const registry = registryOf([heartbeat('us-1', { region: 'us' })], NOW);
    expect(choose(registry, { labels: { region: 'eu' } })).toEqual({ kind: 'wait', reason: 'all_overloaded' });
  });
});

describe('chooseTarget: least loaded', () => {
  it('picks the lowest active/max + cpu/100 + gpu/100', () => {
    const registry = registryOf(
      [
        heartbeat('a', { active_jobs: 5, max_parallel_jobs: 10 }), // 0.5
        heartbeat('b', { active_jobs: 1, max_parallel_jobs: 10, cpu_load: 30 }), // 0.4
        heartbeat('c', { active_jobs: 0, max_parallel_jobs: 10, cpu_load: 10, gpu_utilization: 40 }), // 0.5
      ],
      NOW,
    );
    expect(choose(registry)).toEqual({ kind: 'worker', worker_id: 'b', pool: 'default' });
  });

  it('spreads a burst: assignments since the heartbeat move the choice', () => {
    let registry = registryOf([heartbeat('a', { active_jobs: 1 }), heartbeat('b', { active_jobs: 2 })], NOW);
    expect(choose(registry)).toMatchObject({ worker_id: 'a' });
    registry = recordAssignment(recordAssignment(registry, 'a'), 'a');
    expect(choose(registry)).toMatchObject({ worker_id: 'b' });
  });

  it('skips cordoned workers', () => {
    const registry = registryOf([heartbeat('idle'), heartbeat('busy', { active_jobs: 5 })], NOW);
    expect(choose(registry, {}, routing({ cordoned_workers: ['idle'] }))).toMatchObject({ worker_id: 'busy' });
  });

  it('breaks ties with the value passed in, over workers ordered by id', () => {
    const registry = registryOf([heartbeat('c'), heartbeat('a'), heartbeat('b')], NOW);
    expect(choose(registry, {}, routing(), 0)).toMatchObject({ worker_id: 'a' });
    expect(choose(registry, {}, routing(), 0.5)).toMatchObject({ worker_id: 'b' });
    expect(choose(registry, {}, routing(), 0.99)).toMatchObject({ worker_id: 'c' });
  });

  it('serves workers whose topic globs match', () => {
    const registry = registryOf([heartbeat('w1', { topics: ['job.*'] })], NOW);
    expect(choose(registry)).toMatchObject({ kind: 'worker', worker_id: 'w1' });
  });

  it('serves workers with any one of their topic globs matching', () => {
    const registry = registryOf([heartbeat('w1', { topics: ['job.email', 'job.default'] })], NOW);
    expect(choose(registry)).toMatchObject({ kind: 'worker', worker_id: 'w1' });
  });

  it('clamps a tie-break outside [0, 1) to the first or last tied worker', () => {
    const registry = registryOf([heartbeat('b'), heartbeat('a')], NOW);
    expect(choose(registry, {}, routing(), 1)).toMatchObject({ worker_id: 'b' });
    expect(choose(registry, {}, routing(), 7)).toMatchObject({ worker_id: 'b' });
    expect(choose(registry, {}, routing(), -0.5)).toMatchObject({ worker_id: 'a' });
  });
});

describe('chooseTarget: placement labels', () => {
  it('matches region against the heartbeat’s region or a region label', () => {
    const registry = registryOf(
      [heartbeat('us-1', { region: 'us' }), heartbeat('eu-1', { region: 'eu', active_jobs: 5 })],
      NOW,
    );
    expect(choose(registry, { labels: { region: 'eu' } })).toMatchObject({ worker_id: 'eu-1' });
    const labelled = registryOf([heartbeat('x', { labels: { region: 'ap' } })], NOW);
    expect(choose(labelled, { labels: { region: 'ap' } })).toMatchObject({ worker_id: 'x' });
  });

  it('matches zone, gpu and placement.* labels; placement.<name> also reads the plain label', () => {
    const registry = registryOf(
      [
        heartbeat('w1', { labels: { zone: 'a', gpu: 'a100', rack: 'r1' } }),
        heartbeat('w2', { labels: { zone: 'b', gpu: 'a100', rack: 'r1' } }),
        heartbeat('w3', { labels: { zone: 'a', gpu: 't4', 'placement.rack': 'r2' } }),
      ],
      NOW,
    );
    expect(choose(registry, { labels: { zone: 'a', gpu: 'a100' } })).toMatchObject({ worker_id: 'w1' });
    expect(choose(registry, { labels: { 'placement.rack': 'r2' } })).toMatchObject({ worker_id: 'w3' });
    expect(choose(registry, { labels: { 'placement.rack': 'r1', zone: 'b' } })).toMatchObject({ worker_id: 'w2' });
  });

  it('ignores labels outside the allow-list', () => {
    const registry = registryOf([heartbeat('w1', { labels: { env: 'prod' } })], NOW);
    expect(choose(registry, { labels: { env: 'staging', team: 'x', placement: 'y' } })).toMatchObject({
      worker_id: 'w1',
    });
  });
});

describe('chooseTarget: preferred hints fall back, never block', () => {
  const registry = registryOf(
    [
      heartbeat('idle'),
      heartbeat('busy', { active_jobs: 5 }),
      heartbeat('full', { active_jobs: 10 }),
      heartbeat('gpu-1', { pool: 'gpu', active_jobs: 3, capabilities: ['cuda'] }),
    ],
    NOW,
  );
  const render = { topic: 'job.render' };

  it('prefers the named worker over a less loaded one', () => {
    expect(choose(registry, { labels: { preferred_worker_id: 'busy' } })).toMatchObject({ worker_id: 'busy' });
  });

  it('falls back when the preferred worker is overloaded, cordoned, unknown or expired', () => {
    expect(choose(registry, { labels: { preferred_worker_id: 'full' } })).toMatchObject({ worker_id: 'idle' });
    expect(choose(registry, { labels: { preferred_worker_id: 'ghost' } })).toMatchObject({ worker_id: 'idle' });
    expect(
      choose(registry, { labels: { preferred_worker_id: 'busy' } }, routing({ cordoned_workers: ['busy'] })),
    ).toMatchObject({ worker_id: 'idle' });
  });

  it('narrows to the preferred pool when it has a candidate, else falls back', () => {
    expect(choose(registry, { ...render, labels: { preferred_pool: 'gpu' } }, gpuRouting)).toMatchObject({
      worker_id: 'gpu-1',
    });
    expect(choose(registry, { ...render, labels: { preferred_pool: 'default' } }, gpuRouting)).toMatchObject({
      worker_id: 'idle',
    });
    expect(choose(registry, { ...render, labels: { preferred_pool: 'elsewhere' } }, gpuRouting)).toMatchObject({
      worker_id: 'idle',
    });
  });

  it('lets the preferred worker win over the preferred pool', () => {
    const labels = { preferred_pool: 'gpu', preferred_worker_id: 'busy' };
    expect(choose(registry, { ...render, labels }, gpuRouting)).toMatchObject({ worker_id: 'busy' });
  });
});

describe('waitQueueFor', () => {
  it('maps each wait reason to its queue', () => {
    expect(waitQueueFor('all_overloaded')).toBe('capacity');
    expect(waitQueueFor('paused')).toBe('paused');
    expect(waitQueueFor('tenant_limit')).toBe('tenant_limit');
  });
});
