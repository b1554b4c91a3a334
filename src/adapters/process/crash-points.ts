/**
 * Named crash points (ARCHITECTURE.md section 7): `CORETEX_CRASH_AT=<point>[@<n>][,<point>[@<n>]...]`
 * makes the process die with SIGKILL the n-th time (default the first) it reaches that point, so fault
 * tests hit exact windows that random kills rarely find. Off unless the variable is set.
 */
import { writeSync } from 'node:fs';
import type { CrashPoints } from '../../app/ports.ts';
import { noCrashPoints } from '../../app/ports.ts';

export function crashPointsFromEnv(value: string | undefined = process.env.CORETEX_CRASH_AT): CrashPoints {
  if (value === undefined || value.trim() === '') return noCrashPoints;
  const armed = new Map<string, number>();
  for (const part of value.split(',')) {
    const [point, nth] = part.trim().split('@');
    if (point) armed.set(point, nth === undefined ? 1 : Math.max(1, Number(nth)));
  }
  const hits = new Map<string, number>();
  return {
    hit(point) {
      const at = armed.get(point);
      if (at === undefined) return;
      const count = (hits.get(point) ?? 0) + 1;
      hits.set(point, count);
      if (count === at) {
        // Straight to the file descriptor: a worker thread's process.stderr is relayed through the main
        // thread and would be cut off by the kill.
        try {
          writeSync(2, `coretex: crash point ${point} (hit ${count}): exiting hard\n`);
        } catch {
          // A full pipe must not keep the process from dying here.
        }
        process.kill(process.pid, 'SIGKILL');
      }
    },
  };
}
