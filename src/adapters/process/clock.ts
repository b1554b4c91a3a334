/**
 * The process clock: the system clock, unless a fault test moves it. `CORETEX_CLOCK_OFFSET_FILE` names a
 * file holding an offset in milliseconds (an integer, may be negative) added to `Date.now()`; the file
 * is re-read at most every 50 ms, so a test jumps the clock of a running process by rewriting it (a
 * missing or unreadable file counts as 0). Off unless the variable is set. Only the decisions of the
 * job and workflow runtimes see it (due times, timeouts, the reconciler); leases keep the system clock.
 */
import { readFileSync } from 'node:fs';
import type { Clock } from '../../app/ports.ts';
import { systemClock } from '../../app/ports.ts';

const REREAD_MS = 50;

export function processClock(file: string | undefined = process.env.CORETEX_CLOCK_OFFSET_FILE): Clock {
  if (file === undefined || file.trim() === '') return systemClock;
  let offset = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  const currentOffset = (now: number): number => {
    if (now - readAt >= REREAD_MS) {
      readAt = now;
      try {
        const parsed = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
        offset = Number.isFinite(parsed) ? parsed : 0;
      } catch {
        offset = 0;
      }
    }
    return offset;
  };
  return {
    now() {
      const now = Date.now();
      return now + currentOffset(now);
    },
  };
}
