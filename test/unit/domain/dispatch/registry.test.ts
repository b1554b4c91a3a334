import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeJobs, isOverloaded, loadScore } from '../../../../src/domain/dispatch/load.ts';
import {
  EMPTY_REGISTRY,
  isLive,
  liveWorkers,
  parseHeartbeat,
  pruneExpired,
  recordAssignment,
  recordCompletion,
  recordHeartbeat,
  releaseAssignment,
  removeWorker,
} from '../../../../src/domain/dispatch/registry.ts';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';
import { heartbeat, registryOf } from './workers.ts';

const TTL = 30_000;

describe('worker registry', () => {
  it('records a heartbeat with its time', () => {
    const registry = recordHeartbeat(EMPTY_REGISTRY, heartbeat('w1'), 1000);
    expect(registry.workers.get('w1')).toEqual({
      heartbeat: heartbeat('w1'),
      heartbeat_at: 1000,
      assigned_since_heartbeat: 0,
      finished_since_heartbeat: 0,
    });
    expect(EMPTY_REGISTRY.workers.size).toBe(0);
  });

  it('expires a worker at exactly the TTL after its last heartbeat', () => {
    const entry = recordHeartbeat(EMPTY_REGISTRY, heartbeat('w1'), 1000).workers.get('w1');
    if (entry === undefined) throw new Error('missing');
    expect(isLive(entry, 1000 + TTL - 1, TTL)).toBe(true);
    expect(isLive(entry, 1000 + TTL, TTL)).toBe(false);
  });

  it('lists live workers and prunes expired ones', () => {
    let registry = registryOf([heartbeat('old')], 0);
    registry = recordHeartbeat(registry, heartbeat('new'), 20_000);
    expect(liveWorkers(registry, 35_000, TTL).map((entry) => entry.heartbeat.worker_id)).toEqual(['new']);
    expect([...pruneExpired(registry, 35_000, TTL).workers.keys()]).toEqual(['new']);
    expect(pruneExpired(registry, 1000, TTL)).toBe(registry);
  });

  it('counts assignments since the last heartbeat, and a newer heartbeat resets the count', () => {
    let registry = registryOf([heartbeat('w1', { active_jobs: 2 })], 0);
    registry = recordAssignment(recordAssignment(registry, 'w1'), 'w1');
    const entry = registry.workers.get('w1');
    expect(entry?.assigned_since_heartbeat).toBe(2);
    expect(entry === undefined ? null : activeJobs(entry)).toBe(4);
    registry = recordHeartbeat(registry, heartbeat('w1', { active_jobs: 4 }), 5000);
    expect(registry.workers.get('w1')?.assigned_since_heartbeat).toBe(0);
  });

  it('ignores an assignment to an unknown worker and a heartbeat older than the one held', () => {
    const registry = registryOf([heartbeat('w1', { active_jobs: 1 })], 5000);
    expect(recordAssignment(registry, 'ghost')).toBe(registry);
    expect(recordHeartbeat(registry, heartbeat('w1', { active_jobs: 9 }), 4000)).toBe(registry);
  });

  it('records a heartbeat as recent as the one held, resetting the assignment count', () => {
    let registry = recordAssignment(registryOf([heartbeat('w1')], 1000), 'w1');
    registry = recordHeartbeat(registry, heartbeat('w1', { active_jobs: 1 }), 1000);
    expect(registry.workers.get('w1')).toEqual({
      heartbeat: heartbeat('w1', { active_jobs: 1 }),
      heartbeat_at: 1000,
      assigned_since_heartbeat: 0,
      finished_since_heartbeat: 0,
    });
  });

  it('takes back an assignment not made, never below zero', () => {
    const registry = registryOf([heartbeat('w1')]);
    const once = recordAssignment(registry, 'w1');
    expect(releaseAssignment(once, 'w1').workers.get('w1')?.assigned_since_heartbeat).toBe(0);
    expect(releaseAssignment(registry, 'w1')).toBe(registry);
    expect(releaseAssignment(registry, 'ghost')).toBe(registry);
  });

  it('counts the assignments made minus those taken back, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 50 }), (steps) => {
        let registry = registryOf([heartbeat('w1')]);
        let expected = 0;
        for (const assign of steps) {
          registry = assign ? recordAssignment(registry, 'w1') : releaseAssignment(registry, 'w1');
          expected = assign ? expected + 1 : Math.max(0, expected - 1);
        }
        expect(registry.workers.get('w1')?.assigned_since_heartbeat).toBe(expected);
      }),
    );
  });

  it('counts results the worker sent after its heartbeat, not before it, and a heartbeat resets them', () => {
    let registry = registryOf([heartbeat('w1', { active_jobs: 5, max_parallel_jobs: 10, sent_at: 1000 })], 7);
    registry = recordCompletion(registry, 'w1', 1000); // sent with the heartbeat: already out of active_jobs
    expect(registry.workers.get('w1')?.finished_since_heartbeat).toBe(0);
    registry = recordCompletion(recordCompletion(registry, 'w1', 1001), 'w1', 1002);
    registry = recordAssignment(registry, 'w1');
    const entry = registry.workers.get('w1');
    expect(entry?.finished_since_heartbeat).toBe(2);
    expect(entry === undefined ? null : activeJobs(entry)).toBe(5 + 1 - 2);
    expect(recordCompletion(registry, 'ghost', 2000)).toBe(registry);
    registry = recordHeartbeat(registry, heartbeat('w1', { active_jobs: 4, sent_at: 3000 }), 8);
    expect(registry.workers.get('w1')?.finished_since_heartbeat).toBe(0);
  });

  it('counts no result when the worker or the result does not say when it was sent', () => {
    const silent = registryOf([heartbeat('w1', { active_jobs: 3 })]);
    expect(recordCompletion(silent, 'w1', 5000)).toBe(silent);
    const timed = registryOf([heartbeat('w1', { active_jobs: 3, sent_at: 10 })]);
    expect(recordCompletion(timed, 'w1', null)).toBe(timed);
  });

  it('a busy worker whose results keep coming never looks fuller than its heartbeat plus what is unfinished', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20 }),
        fc.array(fc.constantFrom('assign', 'finish', 'finish-old'), { maxLength: 80 }),
        (active, steps) => {
          let registry = registryOf([heartbeat('w1', { active_jobs: active, max_parallel_jobs: 64, sent_at: 1000 })]);
          let unfinished = active;
          for (const step of steps) {
            if (step === 'assign') {
              registry = recordAssignment(registry, 'w1');
              unfinished++;
            } else if (step === 'finish' && unfinished > 0) {
              registry = recordCompletion(registry, 'w1', 2000);
              unfinished--;
            } else if (step === 'finish-old') {
              // A result sent before the heartbeat but recorded after it: the heartbeat counted it out.
              registry = recordCompletion(registry, 'w1', 500);
            }
          }
          const entry = registry.workers.get('w1');
          expect(entry === undefined ? null : activeJobs(entry)).toBe(unfinished);
        },
      ),
    );
  });

  it('never counts a negative load, even for more results than it knew of', () => {
    let registry = registryOf([heartbeat('w1', { active_jobs: 1, sent_at: 0 })]);
    for (let i = 0; i < 3; i++) registry = recordCompletion(registry, 'w1', 10 + i);
    const entry = registry.workers.get('w1');
    expect(entry === undefined ? null : activeJobs(entry)).toBe(0);
  });

  it('removes a worker whose key was deleted', () => {
    const registry = registryOf([heartbeat('w1'), heartbeat('w2')]);
    expect([...removeWorker(registry, 'w1').workers.keys()]).toEqual(['w2']);
    expect(removeWorker(registry, 'ghost')).toBe(registry);
  });
});

describe('load', () => {
  const entry = (overrides: Parameters<typeof heartbeat>[1], assigned = 0) => ({
    heartbeat: heartbeat('w', overrides),
    heartbeat_at: 0,
    assigned_since_heartbeat: assigned,
    finished_since_heartbeat: 0,
  });

  it('scores active/max + cpu/100 + gpu/100, counting assignments', () => {
    expect(loadScore(entry({ active_jobs: 2, max_parallel_jobs: 10, cpu_load: 30, gpu_utilization: 50 }))).toBeCloseTo(
      1.0,
    );
    expect(loadScore(entry({ active_jobs: 2, max_parallel_jobs: 10 }, 3))).toBeCloseTo(0.5);
  });

  it.each([
    ['slots at 90%', { active_jobs: 9, max_parallel_jobs: 10 }, 0, true],
    ['slots just under', { active_jobs: 8, max_parallel_jobs: 10 }, 0, false],
    ['slots filled by assignments', { active_jobs: 8, max_parallel_jobs: 10 }, 1, true],
    ['cpu at 90', { cpu_load: 90 }, 0, true],
    ['cpu at 89.9', { cpu_load: 89.9 }, 0, false],
    ['gpu at 90', { gpu_utilization: 90 }, 0, true],
    ['no gpu', { gpu_utilization: null }, 0, false],
  ] as const)('overloaded: %s', (_, overrides, assigned, expected) => {
    expect(isOverloaded(entry(overrides, assigned))).toBe(expected);
  });
});

describe('parseHeartbeat', () => {
  it('reads a full heartbeat and fills optional fields', () => {
    expect(
      parseHeartbeat({ worker_id: 'w-1', pool: 'gpu', max_parallel_jobs: 4, gpu_utilization: 12, extra: 'ignored' }),
    ).toEqual({
      worker_id: 'w-1',
      pool: 'gpu',
      topics: [],
      active_jobs: 0,
      max_parallel_jobs: 4,
      capabilities: [],
      labels: {},
      cpu_load: 0,
      gpu_utilization: 12,
      region: null,
      version: null,
      sent_at: null,
    });
  });

  it.each([
    ['worker_id', { worker_id: 'w.1', pool: 'p', max_parallel_jobs: 1 }],
    ['pool', { worker_id: 'w', pool: 'a b', max_parallel_jobs: 1 }],
    ['max_parallel_jobs', { worker_id: 'w', pool: 'p', max_parallel_jobs: 0 }],
    ['active_jobs', { worker_id: 'w', pool: 'p', max_parallel_jobs: 1, active_jobs: -1 }],
    ['cpu_load', { worker_id: 'w', pool: 'p', max_parallel_jobs: 1, cpu_load: 'high' }],
    ['labels', { worker_id: 'w', pool: 'p', max_parallel_jobs: 1, labels: { a: 1 } }],
    ['topics', { worker_id: 'w', pool: 'p', max_parallel_jobs: 1, topics: 'job.a' }],
    ['heartbeat', null],
  ])('names %s when it is invalid', (field, value) => {
    const result = parseHeartbeat(value);
    expect(result).toBeInstanceOf(ValidationError);
    expect((result as ValidationError).field).toBe(field);
  });

  const valid = { worker_id: 'w', pool: 'p', max_parallel_jobs: 1 };

  it.each([
    ['worker_id', { ...valid, worker_id: 42 }, 'worker_id must match /^[A-Za-z0-9_-]{1,64}$/'],
    ['pool', { ...valid, pool: 7 }, 'pool must match /^[A-Za-z0-9_-]{1,64}$/'],
    ['topics', { ...valid, topics: ['job.a', 1] }, 'topics must be a list of strings'],
    ['capabilities', { ...valid, capabilities: 'cuda' }, 'capabilities must be a list of strings'],
    ['capabilities', { ...valid, capabilities: ['cuda', null] }, 'capabilities must be a list of strings'],
    ['active_jobs', { ...valid, active_jobs: 1.5 }, 'active_jobs must be an integer ≥ 0'],
    ['active_jobs', { ...valid, active_jobs: '3' }, 'active_jobs must be an integer ≥ 0'],
    ['max_parallel_jobs', { ...valid, max_parallel_jobs: '4' }, 'max_parallel_jobs must be an integer ≥ 1'],
    ['max_parallel_jobs', { ...valid, max_parallel_jobs: 2 ** 53 }, 'max_parallel_jobs must be an integer ≥ 1'],
    ['cpu_load', { ...valid, cpu_load: -1 }, 'cpu_load must be a number ≥ 0'],
    ['cpu_load', { ...valid, cpu_load: Number.POSITIVE_INFINITY }, 'cpu_load must be a number ≥ 0'],
    ['gpu_utilization', { ...valid, gpu_utilization: '50' }, 'gpu_utilization must be a number ≥ 0'],
    ['gpu_utilization', { ...valid, gpu_utilization: Number.NaN }, 'gpu_utilization must be a number ≥ 0'],
    ['labels', { ...valid, labels: 5 }, 'labels must be a map of strings'],
    ['labels', { ...valid, labels: ['a'] }, 'labels must be a map of strings'],
    ['labels', { ...valid, labels: 'zone=a' }, 'labels must be a map of strings'],
    ['region', { ...valid, region: 1 }, 'region must be a string'],
    ['version', { ...valid, version: 2 }, 'version must be a string'],
    ['heartbeat', 'w', 'a heartbeat is a JSON object'],
    ['heartbeat', [valid], 'a heartbeat is a JSON object'],
  ])('rejects a bad %s and says what is wrong: %j', (field, value, message) => {
    const result = parseHeartbeat(value);
    expect(result).toBeInstanceOf(ValidationError);
    expect(result).toMatchObject({ field, message });
  });

  it('accepts the boundary values and keeps the optional fields it is given', () => {
    expect(
      parseHeartbeat({
        ...valid,
        topics: ['job.a'],
        capabilities: ['cuda'],
        active_jobs: 0,
        cpu_load: 0,
        gpu_utilization: 0,
        labels: { zone: 'a' },
        region: 'eu',
        version: '2.0.0',
        sent_at: 0,
      }),
    ).toEqual({
      worker_id: 'w',
      pool: 'p',
      topics: ['job.a'],
      active_jobs: 0,
      max_parallel_jobs: 1,
      capabilities: ['cuda'],
      labels: { zone: 'a' },
      cpu_load: 0,
      gpu_utilization: 0,
      region: 'eu',
      version: '2.0.0',
      sent_at: 0,
    });
  });

  it('refuses a sent_at that is not a time', () => {
    for (const sentAt of [-1, 'now', Number.NaN]) {
      expect(parseHeartbeat({ ...valid, sent_at: sentAt })).toMatchObject({ field: 'sent_at' });
    }
  });

  it('reads an empty region as no region', () => {
    expect(parseHeartbeat({ ...valid, region: '' })).toMatchObject({ region: null });
  });
});
