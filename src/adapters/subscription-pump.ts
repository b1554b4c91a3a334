/**
 * The delivery loop shared by both event stores' subscriptions: ordered batches, the handler awaited
 * before the next batch, and a failed batch delivered again after a capped backoff (at least once).
 */

import type { Subscription } from '../app/ports.ts';
import type { StoredEvent } from '../domain/shared/events.ts';

export interface BatchSource<T extends { readonly position: number } = StoredEvent> {
  /** Resolves with the next events at or after `from` (waits while there are none); [] when stopped. */
  next(from: number, max: number, stopped: AbortSignal): Promise<readonly T[]>;
}

export function startPump<T extends { readonly position: number } = StoredEvent>(
  source: BatchSource<T>,
  from: number,
  maxBatch: number,
  handler: (batch: readonly T[]) => Promise<void>,
  onError: (error: unknown, attempt: number) => void,
  onStop: () => void = () => {},
): Subscription {
  const stopper = new AbortController();
  let nextPosition = from;
  const loop = (async () => {
    let failures = 0;
    while (!stopper.signal.aborted) {
      let batch: readonly T[];
      try {
        batch = await source.next(nextPosition, maxBatch, stopper.signal);
        failures = 0;
      } catch (error) {
        onError(error, ++failures);
        await abortableDelay(Math.min(5000, 100 * 2 ** Math.min(failures, 10)), stopper.signal);
        continue;
      }
      if (batch.length === 0) continue;
      for (let attempt = 1; !stopper.signal.aborted; attempt++) {
        try {
          await handler(batch);
          nextPosition = (batch.at(-1)?.position ?? nextPosition - 1) + 1;
          break;
        } catch (error) {
          onError(error, attempt);
          await abortableDelay(Math.min(5000, 50 * 2 ** Math.min(attempt, 10)), stopper.signal);
        }
      }
    }
  })();
  return {
    get nextPosition() {
      return nextPosition;
    },
    async stop() {
      stopper.abort();
      onStop();
      await loop;
    },
  };
}

export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
