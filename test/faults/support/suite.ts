/**
 * A fault-suite file: one bed, a steady load, and each listed fault injected in its own episodes, each
 * episode with its own seed (base seed + episode number; the base from CORETEX_FAULT_SEED, else the
 * time, printed so a failing episode can be replayed), the invariants checked after every episode.
 * CORETEX_FAULT_RUNS overrides the number of episodes per fault.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type BedOptions, FaultBed } from './bed.ts';
import { episode, type Fault, newLoadStats } from './episodes.ts';
import { InvariantChecker } from './invariants.ts';

export interface FaultCase {
  readonly fault: string;
  readonly inject: Fault;
  readonly episodes: number;
}

export function faultSuite(title: string, bedOptions: BedOptions, cases: readonly FaultCase[]): void {
  const base = Number(process.env.CORETEX_FAULT_SEED ?? Date.now() % 1_000_000);
  const override = process.env.CORETEX_FAULT_RUNS === undefined ? null : Number(process.env.CORETEX_FAULT_RUNS);
  let bed: FaultBed;
  let checker: InvariantChecker;
  const stats = newLoadStats();
  beforeAll(async () => {
    console.log(`${title}: base seed ${base} (CORETEX_FAULT_SEED=${base} replays it)`);
    bed = await FaultBed.start(bedOptions);
    checker = new InvariantChecker(bed);
  }, 120_000);
  afterAll(async () => {
    await checker?.close();
    await bed?.dispose();
  }, 60_000);

  describe(title, () => {
    let serial = 0;
    for (const c of cases) {
      const runs = override ?? c.episodes;
      it(`${c.fault} × ${runs}`, { timeout: runs * 90_000 }, async () => {
        for (let i = 0; i < runs; i++) {
          await episode(bed, checker, stats, { fault: c.fault, seed: base + serial++, inject: c.inject });
        }
      });
    }
  });
}
