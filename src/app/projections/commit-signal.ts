/**
 * The commits of this process's projection runners, told to the read-your-writes waits of the same
 * process (`min_position`, SPEC 1.12). A wait re-reads the checkpoint the moment a commit of its
 * projection reaches its position, instead of on its next poll; a projector on a thread of this
 * process tells its commits here too; when it runs in another process no commit is told here and the
 * waits poll as before.
 */
import type { AggregateType } from '../../domain/shared/stream.ts';

interface Waiter {
  readonly projection: string;
  readonly stream: AggregateType;
  readonly position: number;
  readonly wake: () => void;
}

export type CommitListener = (projection: string, stream: AggregateType, checkpoint: number) => void;

export class CommitSignal {
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<CommitListener>();

  /** From a runner: `projection` has applied `stream` up to `checkpoint`. */
  committed(projection: string, stream: AggregateType, checkpoint: number): void {
    for (const listener of this.#listeners) listener(projection, stream, checkpoint);
    for (const waiter of this.#waiters) {
      if (waiter.projection === projection && waiter.stream === stream && checkpoint >= waiter.position) waiter.wake();
    }
  }

  /** Hears every commit (a projector thread tells its process's API); returns the way to stop. */
  listen(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
