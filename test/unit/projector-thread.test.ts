import { describe, expect, it } from 'vitest';
import { projectorOnThread, startProjectorThread } from '../../src/projector-thread.ts';
import type { Role } from '../../src/roles.ts';
import { loadSettings } from '../../src/settings.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url);

describe('projectorOnThread', () => {
  const distributed = { mode: 'distributed', projectorThread: 'auto' } as const;
  const cases: [string, Parameters<typeof projectorOnThread>[0], Role[], boolean][] = [
    ['every role, distributed', distributed, ['api', 'scheduler', 'projector', 'workflows', 'reconciler'], true],
    ['the projector and one other role', distributed, ['api', 'projector'], true],
    ['the projector alone: it has the process to itself', distributed, ['projector'], false],
    ['no projector', distributed, ['api', 'scheduler'], false],
    ['turned off', { mode: 'distributed', projectorThread: 'off' }, ['api', 'projector'], false],
    // The embedded read models live in this thread's memory: another thread could not write them.
    ['embedded', { mode: 'embedded', projectorThread: 'auto' }, ['api', 'projector'], false],
  ];
  it.each(cases)('%s', (_, settings, roles, expected) => {
    expect(projectorOnThread(settings, roles)).toBe(expected);
  });

  it('reads CORETEX_PROJECTOR_THREAD, auto by default, and names the setting when it is wrong', () => {
    expect(loadSettings({}).projectorThread).toBe('auto');
    expect(loadSettings({ CORETEX_PROJECTOR_THREAD: 'off' }).projectorThread).toBe('off');
    expect(() => loadSettings({ CORETEX_PROJECTOR_THREAD: 'on' })).toThrow(/CORETEX_PROJECTOR_THREAD/);
  });
});

describe('startProjectorThread', () => {
  it("relays the thread's commits and its report (archiver, appends, heap), and stops it when asked", async () => {
    const commits: unknown[] = [];
    const appended: unknown[] = [];
    const died: Error[] = [];
    const thread = await startProjectorThread({
      entry: fixture('projector-thread-ready'),
      onCommit: (...commit) => commits.push(commit),
      onAppended: (...counted) => appended.push(counted),
      onDied: (error) => died.push(error),
    });
    const archiver = thread.archiver;
    expect(archiver).not.toBeNull();
    await expect.poll(() => archiver?.stats.archived).toBe(3);
    expect(archiver).toMatchObject({ active: true, savedPosition: 7, stats: { tooLate: 1 } });
    await expect.poll(() => commits).toEqual([['jobs', 'job', 42]]);
    expect(appended).toEqual([['job', 3]]);
    expect(thread.heap).toEqual({ usedBytes: 1_000, totalBytes: 2_000 });
    // Asked twice (SIGINT and SIGTERM): one stop, both callers wait for it.
    await Promise.all([thread.stop(), thread.stop()]);
    expect(died).toEqual([]);
  });

  it('rejects with the error that kept the thread from starting', async () => {
    await expect(
      startProjectorThread({ entry: fixture('projector-thread-failing'), onCommit: () => {}, onDied: () => {} }),
    ).rejects.toThrow('cannot reach NATS');
  });

  it('gives up on a thread that does not start in time, and ends it', async () => {
    await expect(
      startProjectorThread({
        entry: fixture('projector-thread-silent'),
        readyWithinMs: 300,
        onCommit: () => {},
        onDied: () => {},
      }),
    ).rejects.toThrow('the projector thread did not start within 300 ms');
  });

  it('says so when a started thread ends without being asked to', async () => {
    const died: Error[] = [];
    const thread = await startProjectorThread({
      entry: fixture('projector-thread-dying'),
      onCommit: () => {},
      onDied: (error) => died.push(error),
    });
    expect(thread.archiver).toBeNull();
    await expect.poll(() => died.map((error) => error.message)).toEqual(['the projector thread exited with code 3']);
    await thread.stop();
  });
});
