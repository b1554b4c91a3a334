/**
 * The safety gate in front of a remote kernel: while its breaker is open every job is deferred and
 * nothing calls the kernel, so the gate itself must say when a probe may go (the open period is over,
 * or a half-open probe succeeded short of closing it); otherwise deferred jobs would wait forever.
 */
import { describe, expect, it } from 'vitest';
import { nodeHasher } from '../../../src/adapters/node/entropy.ts';
import type { ResolvedConfig } from '../../../src/app/config/job-config.ts';
import { SafetyGate } from '../../../src/app/jobs/safety-gate.ts';
import { silentLogger } from '../../../src/app/ports.ts';
import { DEFAULT_SETTINGS } from '../../../src/domain/config/settings.ts';
import type { SafetyDecision } from '../../../src/domain/job/events.ts';
import { failedJob } from '../../support/dlq-fixtures.ts';
import { waitFor } from '../../harness/wait-for.ts';

const OPEN_MS = 40;
const CONFIG: ResolvedConfig = {
  effective: { data: {}, version: 'system:1', hash: 'h' },
  json: '{}',
  settings: {
    ...DEFAULT_SETTINGS,
    safety: {
      ...DEFAULT_SETTINGS.safety,
      remote: { url: 'http://kernel.invalid/decide', timeout_ms: 100 },
      breaker: { failure_threshold: 1, open_ms: OPEN_MS, half_open_max_probes: 2, success_threshold: 2 },
    },
  },
};
const ALLOW: SafetyDecision = {
  decision: 'ALLOW',
  reason: null,
  source: 'remote',
  policy_version: 'kernel-1',
  constraints: null,
  retry_after_ms: null,
};

function gate() {
  let now = 1_000;
  let healthy = false;
  let calls = 0;
  const safety = new SafetyGate({
    remote: {
      evaluate: () => {
        calls++;
        return healthy ? Promise.resolve(ALLOW) : Promise.reject(new Error('kernel down'));
      },
    },
    clock: { now: () => now },
    hasher: nodeHasher,
    log: silentLogger,
  });
  const probes: number[] = [];
  let closed = 0;
  safety.onProbeDue((n) => probes.push(n));
  safety.onClosed(() => closed++);
  return {
    safety,
    probes,
    closed: () => closed,
    calls: () => calls,
    advance: (ms: number) => (now += ms),
    heal: () => (healthy = true),
  };
}

describe('safety gate with a remote kernel', () => {
  const request = failedJob().request;

  it('defers without calling the kernel while open, then says when probes may go, then closes', async () => {
    const g = gate();
    expect(await g.safety.check(request, CONFIG)).toMatchObject({ kind: 'unavailable', on_unavailable: 'defer' });
    expect(g.safety.status()).toBe('open');
    expect(await g.safety.check(request, CONFIG)).toMatchObject({ kind: 'unavailable' });
    expect(g.calls()).toBe(1);
    expect(g.probes).toEqual([]);

    // The open period ends: as many probes as the breaker admits are due.
    expect(await waitFor('probes due', () => g.probes.length > 0 && g.probes)).toEqual([2]);
    g.advance(OPEN_MS);
    g.heal();
    expect(await g.safety.check(request, CONFIG)).toEqual({ kind: 'decided', decision: ALLOW });
    // One success of the two needed: one more probe is due at once; the breaker is not closed yet.
    expect(g.probes).toEqual([2, 1]);
    expect(g.closed()).toBe(0);
    expect(await g.safety.check(request, CONFIG)).toEqual({ kind: 'decided', decision: ALLOW });
    expect(g.safety.status()).toBe('closed');
    expect(g.closed()).toBe(1);
    expect(g.probes).toEqual([2, 1]);
  });

  it('a failed probe reopens the breaker and schedules the next probe time', async () => {
    const g = gate();
    await g.safety.check(request, CONFIG);
    await waitFor('first probe due', () => g.probes.length === 1);
    g.advance(OPEN_MS);
    expect(await g.safety.check(request, CONFIG)).toMatchObject({ kind: 'unavailable' });
    expect(g.safety.status()).toBe('open');
    expect(await waitFor('second probe due', () => g.probes.length === 2 && g.probes)).toEqual([2, 2]);
    expect(g.closed()).toBe(0);
  });

  it('a failure below the threshold defers its job with the breaker closed; a probe follows, and the kernel answering again wakes the deferred', async () => {
    let healthy = false;
    const safety = new SafetyGate({
      remote: { evaluate: () => (healthy ? Promise.resolve(ALLOW) : Promise.reject(new Error('kernel timeout'))) },
      clock: { now: () => Date.now() },
      hasher: nodeHasher,
      log: silentLogger,
    });
    const tolerant: ResolvedConfig = {
      ...CONFIG,
      settings: {
        ...CONFIG.settings,
        safety: {
          ...CONFIG.settings.safety,
          breaker: { failure_threshold: 3, open_ms: OPEN_MS, half_open_max_probes: 1, success_threshold: 1 },
        },
      },
    };
    const probes: number[] = [];
    let woken = 0;
    safety.onProbeDue((n) => probes.push(n));
    safety.onClosed(() => woken++);
    expect(await safety.check(request, tolerant)).toMatchObject({ kind: 'unavailable', on_unavailable: 'defer' });
    expect(safety.status()).toBe('closed');
    // No other job may come: the gate itself says when to look again.
    expect(await waitFor('a probe due', () => probes.length > 0 && probes)).toEqual([1]);
    healthy = true;
    expect(await safety.check(request, tolerant)).toEqual({ kind: 'decided', decision: ALLOW });
    expect(woken).toBe(1);
    // Later successes wake nothing more.
    await safety.check(request, tolerant);
    expect(woken).toBe(1);
  });
});
