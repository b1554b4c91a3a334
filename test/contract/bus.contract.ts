/** The bus contract (ARCHITECTURE.md section 6): every adapter passes it unchanged. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, BusMessage, CapturedMessage } from '../../src/app/ports.ts';
import { waitFor } from '../harness/wait-for.ts';

export interface BusFixture {
  readonly bus: Bus;
  /** Subject prefix for this fixture (captured subjects must be `<prefix>.sys.job.result.*`/`submit.*`). */
  readonly prefix: string;
  dispose(): Promise<void>;
}

export function busContract(adapter: string, makeFixture: () => Promise<BusFixture>) {
  describe(`Bus contract: ${adapter}`, () => {
    let f: BusFixture;
    let bus: Bus;
    let p: string;
    beforeEach(async () => {
      f = await makeFixture();
      bus = f.bus;
      p = f.prefix;
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('delivers published messages to matching subscribers, with * and > wildcards', async () => {
      const got: Record<string, string[]> = { exact: [], star: [], tail: [] };
      const subs = [
        bus.subscribe(`${p}.worker.w1.cancel`, (m) => got.exact?.push(m.subject)),
        bus.subscribe(`${p}.worker.*.cancel`, (m) => got.star?.push(m.subject)),
        bus.subscribe(`${p}.worker.>`, (m) => got.tail?.push(m.subject)),
      ];
      bus.publish(`${p}.worker.w1.cancel`, { n: 1 });
      bus.publish(`${p}.worker.w2.cancel`, { n: 2 });
      bus.publish(`${p}.worker.w2.jobs`, { n: 3 });
      bus.publish(`${p}.other`, { n: 4 });
      await waitFor('all deliveries', () => got.tail?.length === 3);
      await waitFor('star deliveries', () => got.star?.length === 2);
      expect(got.exact).toEqual([`${p}.worker.w1.cancel`]);
      expect(got.star?.sort()).toEqual([`${p}.worker.w1.cancel`, `${p}.worker.w2.cancel`]);
      for (const s of subs) s.unsubscribe();
      bus.publish(`${p}.worker.w1.cancel`, { n: 5 });
      const probe: string[] = [];
      const last = bus.subscribe(`${p}.probe`, (m) => probe.push(m.subject));
      bus.publish(`${p}.probe`, {});
      await waitFor('the probe', () => probe.length === 1);
      last.unsubscribe();
      expect(got.exact).toHaveLength(1);
    });

    it('gives each message to one member of a queue group', async () => {
      const members = [[], [], []] as unknown[][];
      const subs = members.map((box) =>
        bus.subscribe(`${p}.q.default.job.x`, (m) => box.push(m.data), { queue: 'default' }),
      );
      for (let i = 0; i < 30; i++) bus.publish(`${p}.q.default.job.x`, { i });
      await waitFor('30 deliveries', () => members.flat().length === 30);
      const all = members.flat().map((d) => (d as { i: number }).i);
      expect(new Set(all).size).toBe(30);
      for (const s of subs) s.unsubscribe();
    });

    it('answers requests, and tells a timeout from no responders', async () => {
      const sub = bus.subscribe(`${p}.worker.w1.jobs`, (m: BusMessage) => m.respond({ echo: m.data }));
      expect(await bus.request(`${p}.worker.w1.jobs`, { job: 1 }, 2000)).toEqual({
        kind: 'reply',
        data: { echo: { job: 1 } },
      });
      expect(await bus.request(`${p}.worker.nobody.jobs`, { job: 2 }, 2000)).toEqual({ kind: 'no_responders' });
      const silent = bus.subscribe(`${p}.worker.slow.jobs`, () => {});
      const started = Date.now();
      expect(await bus.request(`${p}.worker.slow.jobs`, { job: 3 }, 150)).toEqual({ kind: 'timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      sub.unsubscribe();
      silent.unsubscribe();
    });

    it('captures durably, deduplicates by id, and reads in order from a position', async () => {
      const first = await bus.capture(`${p}.sys.job.result.3`, { n: 1 }, 'id-1');
      const again = await bus.capture(`${p}.sys.job.result.3`, { n: 1 }, 'id-1');
      expect(again).toBe(first);
      const second = await bus.capture(`${p}.sys.job.result.4`, { n: 2 }, 'id-2');
      const third = await bus.capture(`${p}.sys.job.result.3`, { n: 3 }, 'id-3');
      await bus.capture(`${p}.sys.job.submit.acme`, { n: 4 }, 'id-4');
      expect(second).toBeGreaterThan(first);
      const got: CapturedMessage[] = [];
      const sub = bus.readCaptured(`${p}.sys.job.result.3`, { from: first }, async (batch) => {
        got.push(...batch);
      });
      try {
        await waitFor('two in partition 3', () => got.length === 2);
        expect(got.map((m) => m.data)).toEqual([{ n: 1 }, { n: 3 }]);
        expect(got.map((m) => m.position)).toEqual([first, third]);
        const fifth = await bus.capture(`${p}.sys.job.result.3`, { n: 5 }, 'id-5');
        await waitFor('the live one', () => got.length === 3);
        expect(got[2]).toMatchObject({ position: fifth, subject: `${p}.sys.job.result.3`, data: { n: 5 } });
      } finally {
        await sub.stop();
      }
      const fromThird: CapturedMessage[] = [];
      const later = bus.readCaptured(`${p}.sys.job.>`, { from: third }, async (batch) => {
        fromThird.push(...batch);
      });
      try {
        await waitFor('from the third on', () => fromThird.length === 3);
        expect(fromThird.map((m) => m.data)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
      } finally {
        await later.stop();
      }
    });

    it('redelivers a captured batch whose handler failed', async () => {
      const from = await bus.capture(`${p}.sys.job.result.1`, { n: 1 }, 'r-1');
      await bus.capture(`${p}.sys.job.result.1`, { n: 2 }, 'r-2');
      let failures = 0;
      const handled: number[] = [];
      const sub = bus.readCaptured(`${p}.sys.job.result.1`, { from }, async (batch) => {
        if (failures++ < 2) throw new Error('not yet');
        handled.push(...batch.map((m) => (m.data as { n: number }).n));
      });
      try {
        await waitFor('both handled', () => handled.length === 2, { timeoutMs: 5000 });
        expect(handled).toEqual([1, 2]);
      } finally {
        await sub.stop();
      }
    });
  });
}
