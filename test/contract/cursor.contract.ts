/** The cursor contract: positions saved, read back across a restart, and never moved backwards. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CursorStore } from '../../src/app/ports.ts';

export interface CursorFixture {
  readonly cursors: CursorStore;
  /** Another client of the same backing store. */
  readonly other: CursorStore;
  /** Closes and opens the backing store again (a restart). */
  reopen(): Promise<CursorStore>;
  dispose(): Promise<void>;
}

let n = 0;
const name = () => `cursor.${Date.now().toString(36)}.${n++}`;

export function cursorContract(adapter: string, makeFixture: () => Promise<CursorFixture>) {
  describe(`CursorStore contract: ${adapter}`, () => {
    let f: CursorFixture;
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('starts at 0 and reads back what was saved', async () => {
      const c = name();
      expect(await f.cursors.load(c)).toBe(0);
      await f.cursors.save(c, 42);
      expect(await f.cursors.load(c)).toBe(42);
      await f.cursors.save(c, 43);
      expect(await f.other.load(c)).toBe(43);
    });

    it('survives a restart', async () => {
      const c = name();
      await f.cursors.save(c, 7);
      await f.cursors.save(c, 99);
      const reopened = await f.reopen();
      expect(await reopened.load(c)).toBe(99);
    });

    it('never moves backwards, whoever saves', async () => {
      const c = name();
      await f.cursors.save(c, 10);
      await f.other.save(c, 5);
      expect(await f.cursors.load(c)).toBe(10);
      await f.cursors.save(c, 3);
      expect(await f.other.load(c)).toBe(10);
      await Promise.all([f.cursors.save(c, 20), f.other.save(c, 15), f.cursors.save(c, 18), f.other.save(c, 25)]);
      expect(await f.cursors.load(c)).toBe(25);
    });
  });
}
