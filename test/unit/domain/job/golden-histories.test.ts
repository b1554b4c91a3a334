/**
 * Golden histories (ARCHITECTURE.md section 7): recorded job event streams that must keep folding to
 * their recorded state, so a change to events or evolve that breaks stored streams fails here. If one
 * fails, the change needs an upcaster (or a deliberate, reviewed re-recording), not a new fixture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../src/domain/job/events.ts';
import { fold } from '../../../../src/domain/job/evolve.ts';

const folder = join(import.meta.dirname, '../../../fixtures/histories');
const files = readdirSync(folder).filter((name) => name.endsWith('.json'));

interface GoldenHistory {
  readonly description: string;
  readonly events: JobEvent[];
  readonly final_state: unknown;
}

describe('golden job histories', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s folds to its recorded state', (file) => {
    const golden = JSON.parse(readFileSync(join(folder, file), 'utf8')) as GoldenHistory;
    expect(golden.events.length).toBeGreaterThan(0);
    for (const event of golden.events) {
      expect(Object.keys(event.data)).toEqual(
        expect.arrayContaining(['keys', 'status_before', 'status_after', 'due_at', 'deadline_at']),
      );
    }
    const state = fold(golden.events);
    expect(state).toEqual(golden.final_state);
    expect(state.status).toBe(golden.events.at(-1)?.data.status_after);
  });
});
