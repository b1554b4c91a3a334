/**
 * The commits of this process's projection runners, told to the read-your-writes waits of the same
 * process (`min_position`, SPEC 1.12). A wait re-reads the checkpoint the moment a commit of its
 * projection reaches its position, instead of on its next poll; when the projector runs in another
 * process no commit is told here and the waits poll as before.
 */
import type { AggregateType } from '../../domain/shared/stream.ts';

interface Waiter {
  readonly projection: string;
  readonly stream: AggregateType;
  readonly position: number;
  readonly wake: () => void;
}

export class CommitSignal {
  readonly #waiters = new Set<Waiter>();

  /** From a runner: `projection` has applied `stream` up to `checkpoint`. */
  committed(projection: string, stream: AggregateType, checkpoint: number): void {
    for (const waiter of this.#waiters) {
      if (waiter.projection === projection && waiter.stream === stream && checkpoint >= waiter.position) waiter.wake();
    }
  }

  /**
   * Resolves once a commit of `projection` reaches `position` of `stream`, or after `timeoutMs`,
   * whichever comes first (the caller re-reads the checkpoint either way: the commit may be to a
   * version reads are not served from yet).
   */
  reached(projection: string, stream: AggregateType, position: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = { projection, stream, position, wake: done };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(waiter);
      const waiters = this.#waiters;
      function done(): void {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      }
    });
  }
}
