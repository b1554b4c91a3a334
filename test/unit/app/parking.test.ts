/**
 * The parking lot (SPEC 5): an input is handled or parked, never neither. Its KV bucket lives on the
 * same NATS server whose outage makes the work fail, so a park can fail too: `attempt` must then not
 * return (its caller would move its cursor past an input nobody handled, as a DLQ entry was once
 * missing after nats-server was killed) but go round again until the work succeeds or the park does.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedKvStore } from '../../../src/adapters/embedded/kv-store.ts';
import { type ParkedInput, ParkingLot, type RetryPolicy } from '../../../src/app/parking.ts';
import type { KvBucket } from '../../../src/app/ports.ts';
import { silentLogger } from '../../../src/app/ports.ts';

const FAST: RetryPolicy = { attempts: 3, firstDelayMs: 1, maxDelayMs: 2 };

/** The embedded bucket, its `put` failing the first `failures` times (a server that is down). */
async function flakyBucket(failures: number): Promise<{ bucket: KvBucket<ParkedInput>; puts: () => number }> {
  const inner = await new EmbeddedKvStore({ dataDir: null }).bucket<ParkedInput>('parked');
  let puts = 0;
  const bucket: KvBucket<ParkedInput> = {
    get: (key) => inner.get(key),
    create: (key, value) => inner.create(key, value),
    update: (key, value, revision) => inner.update(key, value, revision),
    put: async (key, value) => {
      puts++;
      if (puts <= failures) throw new Error('TimeoutError: the KV put timed out');
      return inner.put(key, value);
    },
    delete: (key, revision) => inner.delete(key, revision),
    keys: () => inner.keys(),
    watch: (onChange) => inner.watch(onChange),
  };
  return { bucket, puts: () => puts };
}

describe('ParkingLot.attempt', () => {
  it('parks an input that keeps failing once the park itself succeeds, counting every attempt', async () => {
    const { bucket, puts } = await flakyBucket(2);
    const lot = new ParkingLot(bucket, silentLogger, () => 1_000);
    let runs = 0;
    const outcome = await lot.attempt(
      'job-event',
      42,
      'job.t.j',
      { n: 1 },
      async () => {
        runs++;
        throw new Error('no responders');
      },
      FAST,
    );
    expect(outcome).toBe('parked');
    expect(puts()).toBe(3);
    expect(runs).toBe(9);
    const parked = await lot.get('job-event.42');
    expect(parked).toMatchObject({ source: 'job-event', position: 42, attempts: 9, error: 'Error: no responders' });
    expect(lot.alerts).toBe(1);
  });

  it('does not give up on an input whose park failed: the work is tried again and may succeed', async () => {
    const { bucket, puts } = await flakyBucket(Number.POSITIVE_INFINITY);
    const lot = new ParkingLot(bucket, silentLogger, () => 1_000);
    let runs = 0;
    const outcome = await lot.attempt(
      'job-event',
      7,
      null,
      {},
      async () => {
        runs++;
        // The server is back after the first park failed.
        if (puts() === 0) throw new Error('connection closed');
      },
      FAST,
    );
    expect(outcome).toBe('done');
    expect(runs).toBe(FAST.attempts + 1);
    expect(await lot.list()).toEqual([]);
    expect(lot.alerts).toBe(0);
  });

  it('returns done at the first success without parking', async () => {
    const { bucket, puts } = await flakyBucket(0);
    const lot = new ParkingLot(bucket, silentLogger, () => 1_000);
    let runs = 0;
    const outcome = await lot.attempt(
      'report',
      1,
      null,
      {},
      async () => {
        runs++;
        if (runs < 2) throw new Error('once');
      },
      FAST,
    );
    expect(outcome).toBe('done');
    expect(runs).toBe(2);
    expect(puts()).toBe(0);
  });
});
