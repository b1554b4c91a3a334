/**
 * The archiver's metrics as an operator reads them: jobs by outcome, and how long the first job event
 * past its cursor has waited — 0 when there is none, left out (not 0) when the stream cannot be asked
 * or this process does not hold the archiver's lease.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerArchiverMetrics } from '../../../src/adapters/metrics/runtime-metrics.ts';
import type { Archiver } from '../../../src/app/jobs/archiver.ts';
import type { EventStore } from '../../../src/app/ports.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');

function archiver(active: boolean): Archiver {
  return {
    active,
    savedPosition: 41,
    stats: { archived: 7, alreadyArchived: 2, tooLate: 1 },
  } as unknown as Archiver;
}

/** The job stream after the cursor: `stored` (an ISO time) at 42, or nothing; `fails`: it cannot be asked. */
function events(stored: string | null, fails = false): { readAll: EventStore['readAll']; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    async readAll(_type, options) {
      asked.push(options.from);
      if (fails) throw new Error('no answer');
      return stored === null ? [] : [{ position: 42, time: stored } as StoredEvent];
    },
  };
}

async function scrape(active: boolean, store: ReturnType<typeof events>): Promise<string> {
  const registry = new Registry();
  registerArchiverMetrics(registry, archiver(active), store, { now: () => NOW });
  return registry.metrics();
}

describe('archiver metrics', () => {
  it('counts the jobs by outcome and says how long the first event past the cursor has waited', async () => {
    const store = events('2026-12-07T11:59:30Z');
    const text = await scrape(true, store);
    expect(text).toContain('coretex_archiver_jobs_total{outcome="archived"} 7');
    expect(text).toContain('coretex_archiver_jobs_total{outcome="already_archived"} 2');
    expect(text).toContain('coretex_archiver_jobs_total{outcome="too_late"} 1');
    expect(text).toContain('coretex_archiver_behind_seconds{stream="job"} 30');
    expect(store.asked).toEqual([42]);
  });

  it('reads 0 behind when nothing lies past the cursor', async () => {
    expect(await scrape(true, events(null))).toContain('coretex_archiver_behind_seconds{stream="job"} 0');
  });

  it('leaves the lag out when the stream cannot be asked, and everything out without the lease', async () => {
    const unasked = await scrape(true, events(null, true));
    expect(unasked).not.toContain('coretex_archiver_behind_seconds{');
    expect(unasked).toContain('coretex_archiver_jobs_total{outcome="archived"} 7');
    const standby = await scrape(false, events('2026-12-07T11:59:30Z'));
    expect(standby).not.toContain('coretex_archiver_behind_seconds{');
    expect(standby).not.toContain('coretex_archiver_jobs_total{');
  });
});
