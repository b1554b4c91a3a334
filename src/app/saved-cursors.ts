/**
 * The read positions of a process manager's inputs (ARCHITECTURE.md section 5), each a PositionTracker
 * whose watermark is saved to the cursor store now and then. Saving is a KV compare-and-set per moved
 * cursor, so it runs once a second, not per event: a crash replays at most that much more, and every
 * reaction is safe to repeat.
 */
import type { CursorStore } from './ports.ts';
import { PositionTracker } from './position-tracker.ts';

export const CURSOR_SAVE_INTERVAL_MS = 1_000;

export class SavedCursors<K extends string> {
  readonly #store: CursorStore;
  readonly #names: Readonly<Record<K, string>>;
  readonly #onError: (error: unknown) => void;
  readonly #trackers = new Map<K, PositionTracker>();
  readonly #saved = new Map<K, number>();
  #timer: NodeJS.Timeout | null = null;
  #saving: Promise<void> = Promise.resolve();

  /** `names`: the cursor's name in the store, per input. */
  constructor(store: CursorStore, names: Readonly<Record<K, string>>, onError: (error: unknown) => void) {
    this.#store = store;
    this.#names = names;
    this.#onError = onError;
    for (const kind of Object.keys(names) as K[]) this.#trackers.set(kind, new PositionTracker(0));
  }

  /** Loads every cursor and starts saving; resolves with the first position not yet handled, per input. */
  async start(): Promise<Record<K, number>> {
    const from = {} as Record<K, number>;
    for (const kind of Object.keys(this.#names) as K[]) {
      const position = await this.#store.load(this.#names[kind]);
      this.#trackers.set(kind, new PositionTracker(position));
      this.#saved.set(kind, position);
      from[kind] = position + 1;
    }
    this.#timer = setInterval(() => void this.save(), CURSOR_SAVE_INTERVAL_MS);
    return from;
  }

  tracker(kind: K): PositionTracker {
    return this.#trackers.get(kind) as PositionTracker;
  }

  /** Positions still being worked on, over every input. */
  get inFlight(): number {
    let n = 0;
    for (const tracker of this.#trackers.values()) n += tracker.inFlight;
    return n;
  }

  /** Saves the watermarks that moved since the last save (one save at a time). */
  save(): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      for (const [kind, tracker] of this.#trackers) {
        const watermark = tracker.watermark;
        if (watermark === this.#saved.get(kind)) continue;
        try {
          await this.#store.save(this.#names[kind], watermark);
          this.#saved.set(kind, watermark);
        } catch (error) {
          this.#onError(error);
        }
      }
    });
    return this.#saving;
  }

  /** Stops the timer and saves one last time. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.save();
  }
}
