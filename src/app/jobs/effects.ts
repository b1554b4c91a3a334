/**
 * Runs each side effect at most once at a time per key within the process. The scheduler performs a
 * hand-off right after appending `JobScheduled`, and the partition's subscription later reads that
 * same event: both call `run` with the same key, so the second waits for the first instead of sending
 * the job twice, and the subscription's cursor does not pass the event until the effect is done.
 */
export class EffectRegistry {
  readonly #running = new Map<string, Promise<void>>();

  run(key: string, effect: () => Promise<void>): Promise<void> {
    const existing = this.#running.get(key);
    if (existing !== undefined) return existing;
    const running = effect().finally(() => {
      if (this.#running.get(key) === running) this.#running.delete(key);
    });
    this.#running.set(key, running);
    return running;
  }

  get size(): number {
    return this.#running.size;
  }
}
