/** Jobs submitted on the bus (SPEC 1.3), in process: ids derived from the message, rejects recorded. */
import { afterEach, describe, expect, it } from 'vitest';
import { BusSubmissions } from '../../../src/app/jobs/bus-submissions.ts';
import { type Harness, startHarness } from '../../support/runtime-harness.ts';
import { waitFor } from '../../harness/wait-for.ts';

let h: Harness;
let consumers: BusSubmissions[] = [];
afterEach(async () => {
  for (const c of consumers) await c.stop();
  consumers = [];
  await h.stop();
});

function consumer(owner: string): BusSubmissions {
  const c = new BusSubmissions(
    h.rt,
    { leases: h.leases, cursors: h.cursors, claims: h.rt.claims, hasher: h.rt.hasher, prefix: 'ctx' },
    owner,
  );
  consumers.push(c);
  c.start();
  return c;
}

describe('bus submissions (in process)', () => {
  it('creates jobs with the client id or bus.<sequence>, rejects what is invalid, and never creates one twice', async () => {
    h = await startHarness();
    const first = consumer('a');
    const p1 = await h.bus.capture('ctx.sys.job.submit.acme', { payload: { n: 1 } }, 'm1');
    await h.bus.capture('ctx.sys.job.submit.acme', { job_id: 'client-7', payload: { n: 2 } }, 'm2');
    await h.bus.capture('ctx.sys.job.submit.acme', 'not an object', 'm3');
    await h.bus.capture('ctx.sys.job.submit.acme', { topic: 'bad topic' }, 'm4');
    await h.bus.capture('ctx.sys.job.submit.acme', { job_id: 'client-7', payload: { n: 3 } }, 'm5');
    await h.bus.capture('ctx.sys.job.submit.globex', { payload: { n: 4 } }, 'm6');
    await waitFor('all six handled', () => first.stats.accepted + first.stats.rejected + first.stats.replayed === 6);
    expect(first.stats).toEqual({ accepted: 3, replayed: 0, rejected: 3 });
    expect((await h.history(`bus.${p1}`)).at(0)?.data).toMatchObject({
      request: { payload: { n: 1 }, tenant: 'acme' },
    });
    expect((await h.history('client-7')).at(0)?.data).toMatchObject({ request: { payload: { n: 2 } } });
    expect(await h.history('client-7', 'globex')).toEqual([]);
    const rejected = (await h.rt.parking.list()).filter((p) => p.source === 'bus-submission-rejected');
    expect(rejected.map((r) => r.error)).toEqual([
      expect.stringContaining('body'),
      expect.stringContaining('topic'),
      expect.stringContaining('job_exists'),
    ]);

    // A second consumer replaying everything from the start creates nothing twice.
    await first.stop();
    await h.cursors.save('bus.submissions', 0);
    const cursorsBucket = await h.kv.bucket<number>('cursors');
    await cursorsBucket.put('bus.submissions', 0);
    const second = consumer('b');
    await waitFor('the replay', () => second.stats.accepted + second.stats.rejected + second.stats.replayed === 6, {
      timeoutMs: 10_000,
    });
    expect(second.stats.accepted).toBe(0);
    expect(second.stats.replayed).toBe(3);
    expect((await h.history(`bus.${p1}`)).filter((e) => e.type === 'JobSubmitted')).toHaveLength(1);
  });
});
