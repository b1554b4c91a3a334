/**
 * Steady load for the fault suite: submissions over HTTP at a fixed pace (a few every 100 ms, never
 * awaiting one before sending the next), a seeded mix of jobs that succeed (with retries), may fail
 * (one attempt at the workers' fail rate), are denied by the safety rules, or time out — and workflow
 * runs. "Accepted" means a 2xx answer carrying a `job_id` (or a `run_id`); anything else (a refused or
 * cut request while a process or server is down) is counted, not tracked.
 */
import { setInterval } from 'node:timers/promises';
import type { FaultBed } from './bed.ts';
import { KEYS } from '../../e2e/support/processes.ts';
import { seededRandom } from '../../support/seeded-random.ts';

export type JobKind = 'ok' | 'once' | 'denied' | 'slow';

export interface LoadStats {
  readonly jobs: Map<string, JobKind>;
  readonly runs: string[];
  refused: number;
}

export function newLoadStats(): LoadStats {
  return { jobs: new Map(), runs: [], refused: 0 };
}

/** The same seed gives the same mix and the same fault timing. */
export const seeded = seededRandom;

const RETRY = { max_attempts: 3, initial_backoff_ms: 100, multiplier: 2, max_backoff_ms: 400 };

async function post(
  url: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.acme}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(8_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function submitOne(bed: FaultBed, random: () => number, stats: LoadStats, serial: number): Promise<void> {
  let url: string;
  try {
    url = bed.apiUrl;
  } catch {
    stats.refused++;
    return;
  }
  const r = random();
  try {
    if (r < 0.12) {
      const answer = await post(url, '/api/v1/workflows/pipe/runs', { input: { n: serial } });
      if (answer.status < 300 && typeof answer.body.run_id === 'string') stats.runs.push(answer.body.run_id);
      else stats.refused++;
      return;
    }
    const kind: JobKind = r < 0.65 ? 'ok' : r < 0.8 ? 'once' : r < 0.9 ? 'denied' : 'slow';
    const topic = kind === 'denied' ? 'job.denied' : `job.${kind}`;
    const answer = await post(url, '/api/v1/jobs', {
      topic,
      payload: { n: serial },
      retry: kind === 'ok' ? RETRY : { max_attempts: 1 },
    });
    if (answer.status < 300 && typeof answer.body.job_id === 'string') stats.jobs.set(answer.body.job_id, kind);
    else {
      stats.refused++;
      if (process.env.CORETEX_FAULT_DEBUG)
        console.log(`refused ${topic}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  } catch {
    stats.refused++;
  }
}

/**
 * Submits at `perSecond` for `durationMs` and for as long as `during` (the fault, called once the load
 * is under way) runs: a fault that takes long to land — a crash point armed at its n-th hit, a restart
 * that waits for leases — still lands under load. Returns when every request sent has been answered or
 * cut.
 */
export async function steadyLoad(
  bed: FaultBed,
  options: { seed: number; perSecond: number; durationMs: number; stats: LoadStats },
  during: () => Promise<void> = async () => {},
): Promise<void> {
  const random = seeded(options.seed);
  const inFlight: Promise<void>[] = [];
  const perTick = Math.max(1, Math.round(options.perSecond / 10));
  let serial = options.stats.jobs.size + options.stats.runs.length;
  let faultDone = false;
  const sending = (async () => {
    const end = Date.now() + options.durationMs;
    // The load's pace: a tick of submissions every 100 ms (a rate, not a wait for anything).
    for await (const _tick of setInterval(100)) {
      if (Date.now() >= end && faultDone) break;
      for (let i = 0; i < perTick; i++) inFlight.push(submitOne(bed, random, options.stats, serial++));
    }
  })();
  const fault = during().finally(() => (faultDone = true));
  await Promise.all([sending, fault]);
  await Promise.all(inFlight);
}
