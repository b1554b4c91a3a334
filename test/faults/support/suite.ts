/**
 * A fault-suite file: one bed, a steady load, and each listed fault injected in its own episodes, each
 * episode with its own seed (base seed + episode number; the base from CORETEX_FAULT_SEED, else the
 * time, printed so a failing episode can be replayed), the invariants checked after every episode.
 *
 * A plain fault runs `episodes` episodes. A crash-point fault counts crashes, not episodes: it runs
 * until its point has really crashed the process `crashes` times (an episode whose armed point was not
 * reached does not count), with at most `extraEpisodes` more episodes than that, and fails if it fell
 * short. CORETEX_FAULT_RUNS overrides the number of episodes, or of crashes, per fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BedOptions, FaultBed } from './bed.ts';
import { episode, type Fault, newLoadStats } from './episodes.ts';
import type { LoadStats } from './load.ts';
import { InvariantChecker } from './invariants.ts';

export type FaultCase =
  | { readonly fault: string; readonly inject: Fault; readonly episodes: number }
  | { readonly fault: string; readonly inject: Fault; readonly crashes: number; readonly extraEpisodes?: number };

/** Episodes allowed beyond the required crashes, by default: a quarter more, at least 3. */
const extraFor = (crashes: number) => Math.max(3, Math.ceil(crashes / 4));

/** What one fault-suite file shares: its bed, the invariant checker and the load's running tally. */
export interface FaultFile {
  bed: FaultBed;
  checker: InvariantChecker;
  readonly stats: LoadStats;
}

/** Starts a bed (and its checker) before the file's tests and disposes of it after them. */
export function faultBedPerFile(bedOptions: BedOptions, onStart: () => void = () => {}): FaultFile {
  const file = { stats: newLoadStats() } as FaultFile;
  beforeAll(async () => {
    onStart();
    file.bed = await FaultBed.start(bedOptions);
    file.checker = new InvariantChecker(file.bed);
  }, 120_000);
  afterAll(async () => {
    await file.checker?.close();
    await file.bed?.dispose();
  }, 60_000);
  return file;
}

export function faultSuite(title: string, bedOptions: BedOptions, cases: readonly FaultCase[]): void {
  const base = Number(process.env.CORETEX_FAULT_SEED ?? Date.now() % 1_000_000);
  const override = process.env.CORETEX_FAULT_RUNS === undefined ? null : Number(process.env.CORETEX_FAULT_RUNS);
  const file = faultBedPerFile(bedOptions, () =>
    console.log(`${title}: base seed ${base} (CORETEX_FAULT_SEED=${base} replays it)`),
  );

  describe(title, () => {
    let serial = 0;
    for (const c of cases) {
      if ('episodes' in c) {
        const runs = override ?? c.episodes;
        it(`${c.fault} × ${runs}`, { timeout: runs * 90_000 }, async () => {
          for (let i = 0; i < runs; i++) {
            await episode(file.bed, file.checker, file.stats, {
              fault: c.fault,
              seed: base + serial++,
              inject: c.inject,
            });
          }
        });
        continue;
      }
      const wanted = override ?? c.crashes;
      const most = wanted + (c.extraEpisodes ?? extraFor(wanted));
      it(`${c.fault}: ${wanted} crashes (at most ${most} episodes)`, { timeout: most * 90_000 }, async () => {
        let episodes = 0;
        let crashes = 0;
        while (crashes < wanted && episodes < most) {
          const result = await episode(file.bed, file.checker, file.stats, {
            fault: c.fault,
            seed: base + serial++,
            inject: c.inject,
          });
          episodes++;
          if (result.crashed === true) crashes++;
        }
        console.log(`fault summary ${JSON.stringify({ fault: c.fault, base_seed: base, episodes, crashes, wanted })}`);
        expect(crashes, `${c.fault}: real crashes in ${episodes} episodes`).toBeGreaterThanOrEqual(wanted);
      });
    }
  });
}
