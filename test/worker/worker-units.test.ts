/** The worker runtime's small parts: attempt memory, outcome mapping, options, report ids and retries. */
import { describe, expect, it } from 'vitest';
import type { HeartbeatMessage, ReportMessage } from '../../src/domain/protocol/messages.ts';
import { ExpiringMemory } from '../../src/worker/expiring-memory.ts';
import { resolveOptions } from '../../src/worker/options.ts';
import { fromAbort, fromReturn, fromThrow, JobError, outcome } from '../../src/worker/outcome.ts';
import { DurableReporter, reportId } from '../../src/worker/reporter.ts';
import { RegistryPresence } from '../../src/worker/registry-presence.ts';
import type { WorkerRegistryBucket, WorkerTransport } from '../../src/worker/transport.ts';
import { waitFor } from '../harness/wait-for.ts';

describe('ExpiringMemory', () => {
  it('forgets entries after the TTL, and the oldest first beyond its size', () => {
    let now = 1000;
    const memory = new ExpiringMemory<number>({ ttlMs: 100, maxEntries: 2, now: () => now });
    memory.set('a', 1);
    now += 50;
    memory.set('b', 2);
    expect([memory.get('a'), memory.get('b')]).toEqual([1, 2]);
    now += 30;
    memory.set('c', 3);
    expect([memory.has('a'), memory.get('b'), memory.get('c')]).toEqual([false, 2, 3]);
    now += 75; // b is 105 ms old, c 75 ms
    expect([memory.has('b'), memory.get('c'), memory.size]).toEqual([false, 3, 1]);
    memory.set('c', 4); // rewriting renews the entry
    now += 85;
    expect(memory.get('c')).toBe(4);
  });
});

describe('outcome mapping', () => {
  it('maps a return value to SUCCEEDED, undefined to a null result', () => {
    expect(fromReturn({ a: 1 })).toEqual({ status: 'SUCCEEDED', result: { a: 1 } });
    expect(fromReturn(undefined)).toEqual({ status: 'SUCCEEDED', result: null });
    expect(fromReturn(outcome({ status: 'COMPLETED' }))).toEqual({ status: 'COMPLETED' });
  });

  it('fails, not retryable, a result that cannot be serialized', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(fromReturn(circular)).toMatchObject({
      status: 'FAILED',
      error_code: 'result_not_serializable',
      retryable: false,
    });
    expect(fromReturn(10n)).toMatchObject({ error_code: 'result_not_serializable' });
  });

  it('maps throws: the error code and retryable, defaults, non-errors, long messages clipped', () => {
    expect(fromThrow(new JobError('quota', 'over quota', { retryable: false }))).toEqual({
      status: 'FAILED',
      error_code: 'quota',
      error_message: 'over quota',
      retryable: false,
    });
    expect(fromThrow(Object.assign(new Error('io'), { code: 'ECONNRESET' }))).toMatchObject({
      error_code: 'ECONNRESET',
      retryable: true,
    });
    expect(fromThrow('a string')).toEqual({
      status: 'FAILED',
      error_code: 'handler_error',
      error_message: 'a string',
      retryable: true,
    });
    expect(fromThrow(new Error('x'.repeat(20_000))).error_message).toHaveLength(10_000);
  });

  it('maps aborts: stop → CANCELLED, deadline → TIMEOUT, drain → FAILED retryable worker_draining', () => {
    expect(fromAbort('stopped', 'why').status).toBe('CANCELLED');
    expect(fromAbort('deadline', 'why').status).toBe('TIMEOUT');
    expect(fromAbort('draining', 'why')).toMatchObject({
      status: 'FAILED',
      error_code: 'worker_draining',
      retryable: true,
    });
  });
});

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveOptions({ servers: 'nats://x', worker_id: 'w-1' }, '1.2.3');
    expect(resolved).toMatchObject({
      prefix: 'ctx',
      pool: 'default',
      topics: [],
      maxParallel: 1,
      heartbeatIntervalMs: 5000,
      registryTtlMs: 30_000,
      startedReportGraceMs: 500,
      largeResultBytes: 256 * 1024,
      version: '1.2.3',
      acceptDelayMs: 0,
    });
  });

  it('names every problem at once', () => {
    expect(() =>
      resolveOptions(
        { worker_id: 'has.dot', pool: 'Upper', topics: ['job..x'], max_parallel: 1.5, heartbeatIntervalMs: 40_000 },
        '0',
      ),
    ).toThrow(
      /worker_id "has\.dot".*pool "Upper".*topic "job\.\.x".*give servers or a transport.*max_parallel must be an integer.*heartbeatIntervalMs must be shorter/,
    );
  });
});

describe('reports', () => {
  const base: ReportMessage = {
    type: 'result',
    job_id: 'j',
    tenant: 't',
    attempt: 1,
    token: 'k',
    worker_id: 'w',
    status: 'SUCCEEDED',
    sent_at: 1,
  };

  it('have an id that is the same for the same report and differs by any identity field', () => {
    const resent: ReportMessage = { ...base, sent_at: 2, status: 'FAILED' };
    expect(reportId(base)).toBe(reportId(resent));
    const others = [{ type: 'started' as const }, { job_id: 'j2' }, { tenant: 't2' }, { attempt: 2 }, { token: 'k2' }];
    const ids = new Set([base, ...others.map((o) => ({ ...base, ...o }))].map(reportId));
    expect(ids.size).toBe(6);
  });

  function flakyTransport(failures: number) {
    const published: { subject: string; data: unknown; id: string }[] = [];
    const stored: string[] = [];
    let calls = 0;
    const transport: Partial<WorkerTransport> = {
      async publishDurable(subject, data, id) {
        calls += 1;
        if (calls <= failures) throw new Error(`outage ${calls}`);
        published.push({ subject, data, id });
      },
      async storeLargeResult(name) {
        stored.push(name);
        return `ptr:${name}`;
      },
    };
    return { transport: transport as WorkerTransport, published, stored, calls: () => calls };
  }

  function reporter(transport: WorkerTransport, errors: string[]) {
    return new DurableReporter({
      transport,
      largeResultBytes: 10,
      resultTtlMs: 1000,
      retryInitialMs: 1,
      retryMaxMs: 4,
      onError: (_e, context) => errors.push(context),
    });
  }

  it('are retried with the same id until acknowledged; a large result is stored once', async () => {
    const fake = flakyTransport(3);
    const errors: string[] = [];
    const r = reporter(fake.transport, errors);
    r.send('subj', { ...base, result: 'a result longer than ten bytes' });
    await waitFor('the report', () => fake.published.length === 1);
    expect(fake.calls()).toBe(4);
    expect(fake.stored).toEqual([reportId(base)]);
    expect(fake.published[0]).toEqual({
      subject: 'subj',
      id: reportId(base),
      data: { ...base, result_ptr: `ptr:${reportId(base)}` },
    });
    expect(errors).toHaveLength(3);
    expect(await r.flush(1000)).toBe(0);
  });

  it('are given up at flush after the timeout, loudly', async () => {
    const fake = flakyTransport(Number.POSITIVE_INFINITY);
    const errors: string[] = [];
    const r = reporter(fake.transport, errors);
    r.send('subj', base);
    expect(await r.flush(50)).toBe(1);
    expect(r.pending).toBe(0);
    expect(errors.at(-1)).toMatch(/result t\/j#1 given up after \d+ tries/);
  });
});

describe('RegistryPresence.beatNow', () => {
  const heartbeatOf = (workerId: string): HeartbeatMessage => ({
    worker_id: workerId,
    instance: 'i1',
    pool: 'default',
    topics: [],
    active_jobs: 0,
    max_parallel_jobs: 64,
    capabilities: [],
    labels: {},
    cpu_load: 0,
    region: null,
    version: '1',
    started_at: 0,
    sent_at: Date.now(),
  });

  function countingBucket() {
    const written: number[] = [];
    const bucket: WorkerRegistryBucket<HeartbeatMessage> = {
      get: async () => null,
      create: async () => 1,
      update: async () => 1,
      put: async (_key, value) => {
        written.push(value.active_jobs);
        return written.length;
      },
      delete: async () => true,
    };
    return { bucket, written };
  }

  it('folds beats asked for within the gap into one, written after the gap with the latest load', async () => {
    const { bucket, written } = countingBucket();
    let active = 0;
    const presence = new RegistryPresence({
      bucket,
      workerId: 'w1',
      ttlMs: 10_000,
      intervalMs: 60_000,
      minGapMs: 200,
      heartbeat: () => ({ ...heartbeatOf('w1'), active_jobs: active }),
      onError: () => {},
    });
    presence.beatNow();
    await waitFor('the first beat', () => written.length === 1);
    const firstAt = performance.now();
    for (active = 1; active <= 50; active++) presence.beatNow();
    active = 7;
    await waitFor('the folded beat', () => written.length === 2, { timeoutMs: 2_000 });
    expect(performance.now() - firstAt).toBeGreaterThanOrEqual(150);
    expect(written).toEqual([0, 7]);
    await presence.stop();
  });
});
