/**
 * Long polls (`GET /api/v1/jobs/{id}?wait=30s`, SPEC 1.12): read, and until the value is final or the
 * wait ends, check cheaply whether the resource moved (its last position) and read again when it did.
 * The checks back off from 20 ms to 250 ms, so a job finishing soon is seen soon and a long wait costs
 * four cheap reads a second. A wait ends early, answering what was last read, when the client goes
 * away or the server closes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export const MAX_WAIT_MS = 60_000;
const FIRST_PAUSE_MS = 20;
const MAX_PAUSE_MS = 250;

export interface LongPoll<T> {
  readonly read: () => Promise<T>;
  readonly done: (value: T) => boolean;
  /** The position `value` was read at. */
  readonly positionOf: (value: T) => number;
  /** The resource's last position now (cheaper than a read). */
  readonly currentPosition: () => Promise<number>;
  readonly waitMs: number;
  readonly signal: AbortSignal;
}

export async function longPoll<T>(poll: LongPoll<T>): Promise<T> {
  let value = await poll.read();
  const deadline = Date.now() + Math.min(poll.waitMs, MAX_WAIT_MS);
  let pause = FIRST_PAUSE_MS;
  while (!poll.done(value) && !poll.signal.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      await sleep(Math.min(pause, left), undefined, { signal: poll.signal });
    } catch {
      break; // aborted: answer with what we have
    }
    pause = Math.min(MAX_PAUSE_MS, pause * 2);
    if ((await poll.currentPosition()) !== poll.positionOf(value)) value = await poll.read();
  }
  return value;
}

/** `30s`, `500ms`, `1m`, or a bare number of seconds, in milliseconds (capped at MAX_WAIT_MS). */
export function parseWait(text: string): number {
  const match = /^([0-9]{1,7})(ms|s|m)?$/.exec(text);
  const amount = Number(match?.[1] ?? 0);
  const unit = match?.[2] ?? 's';
  const ms = unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1_000;
  return Math.min(ms, MAX_WAIT_MS);
}
