import { describe, expect, it } from 'vitest';
import { isPlacementKey, matchesPlacement, placementOf } from '../../../../src/domain/dispatch/placement.ts';
import { recordAssignment } from '../../../../src/domain/dispatch/registry.ts';
import { workerStatuses } from '../../../../src/domain/dispatch/worker-status.ts';
import { heartbeat, registryOf, routing } from './workers.ts';

describe('placement labels', () => {
  it('keeps only allow-listed keys as constraints and reads the hints apart', () => {
    expect(
      placementOf({
        region: 'eu',
        zone: 'a',
        gpu: 'a100',
        'placement.rack': 'r1',
        team: 'x',
        placement: 'y',
        'placement.': 'z',
        preferred_worker_id: 'w1',
        preferred_pool: '',
      }),
    ).toEqual({
      constraints: { region: 'eu', zone: 'a', gpu: 'a100', 'placement.rack': 'r1' },
      preferred_worker_id: 'w1',
      preferred_pool: null,
    });
    expect(isPlacementKey('preferred_pool')).toBe(false);
  });

  it('has no hints and no constraints for a job without labels', () => {
    expect(placementOf({})).toEqual({ constraints: {}, preferred_worker_id: null, preferred_pool: null });
  });

  it('matches every constraint or none', () => {
    const worker = heartbeat('w', { region: 'eu', labels: { zone: 'a' } });
    expect(matchesPlacement(worker, placementOf({ region: 'eu', zone: 'a' }))).toBe(true);
    expect(matchesPlacement(worker, placementOf({ region: 'eu', zone: 'b' }))).toBe(false);
    expect(matchesPlacement(worker, placementOf({ gpu: 'a100' }))).toBe(false);
    expect(matchesPlacement(worker, placementOf({}))).toBe(true);
  });
});

describe('workerStatuses', () => {
  it('lists live workers by id with their load, overload and cordon', () => {
    let registry = registryOf([heartbeat('b', { active_jobs: 8 }), heartbeat('a', { cpu_load: 50 })], 1000);
    registry = recordAssignment(registry, 'b');
    const statuses = workerStatuses(registry, 2000, routing({ cordoned_workers: ['a'] }));
    expect(statuses.map((s) => [s.heartbeat.worker_id, s.active_jobs, s.overloaded, s.cordoned])).toEqual([
      ['a', 0, false, true],
      ['b', 9, true, false],
    ]);
    expect(statuses[0]?.expires_at).toBe(31_000);
    expect(statuses[0]?.load_score).toBeCloseTo(0.5);
    expect(workerStatuses(registry, 31_000, routing())).toEqual([]);
  });

  it('orders by id whatever order the heartbeats arrived in', () => {
    const registry = registryOf(
      ['m', 'z', 'a', 'q', 'b'].map((id) => heartbeat(id)),
      1000,
    );
    expect(workerStatuses(registry, 2000, routing()).map((s) => s.heartbeat.worker_id)).toEqual([
      'a',
      'b',
      'm',
      'q',
      'z',
    ]);
  });
});
