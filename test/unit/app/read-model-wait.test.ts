/**
 * Read-your-writes waits (`min_position`, SPEC 1.12) in a process that also runs the projector: a
 * commit of the waited-for projection that reaches the position ends the wait at once, not on the
 * next poll; commits of other projections, other streams or lower positions do not; and a wait
 * without a commit gives up at its deadline, not a poll later.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedEventStore } from '../../../src/adapters/embedded/event-store.ts';
import { MemoryReadModelStore } from '../../../src/adapters/embedded/read-model-store.ts';
import { CommitSignal } from '../../../src/app/projections/commit-signal.ts';
import { ReadModelAccess } from '../../../src/app/projections/read-model-access.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { UnavailableError } from '../../../src/domain/shared/errors.ts';
import { dlqProjection } from '../../../src/projections/dlq/projection.ts';
import { jobsProjection } from '../../../src/projections/jobs/projection.ts';

/** Far longer than any test here runs: a wait that ends did not end by polling. */
const NEVER_POLL_MS = 600_000;

async function setUp(commits: CommitSignal | undefined) {
  const store = new MemoryReadModelStore();
  const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 4 });
  const ns = { projection: jobsProjection.name, version: await store.allocateVersion(jobsProjection.name) };
  await store.switchVersion(jobsProjection.name, null, { version: ns.version, schema: jobsProjection.schema });
  const access = new ReadModelAccess({ store, events, clock: systemClock }, [jobsProjection, dlqProjection], {
    pollMs: NEVER_POLL_MS,
    ...(commits === undefined ? {} : { commits }),
  });
  let checkpoint = 0;
  /** What a runner does: commit up to `position`, then tell the signal. */
  const commit = async (position: number) => {
    await store.commit(ns, 'job', { expect: checkpoint, checkpoint: position, writes: [] });
    checkpoint = position;
    commits?.committed(jobsProjection.name, 'job', position);
  };
  return { access, commit };
}

/** Lets every pending promise callback and timer-free continuation run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('min_position waits with the projector in the same process', () => {
  it('end when a commit of the projection reaches the position, and not before', async () => {
    const commits = new CommitSignal();
    const { access, commit } = await setUp(commits);
    let done = false;
    const wait = access
      .waitForPosition(jobsProjection.name, { stream: 'job', position: 5 }, NEVER_POLL_MS, 'min_position')
      .then(() => {
        done = true;
      });
    await settle();
    await commit(4);
    commits.committed(dlqProjection.name, 'job', 9);
    commits.committed(jobsProjection.name, 'run', 9);
    await settle();
    expect(done).toBe(false);
    await commit(5);
    await wait;
    expect(done).toBe(true);
  });

  it('wake only the waits a commit reaches', async () => {
    const commits = new CommitSignal();
    const woken: number[] = [];
    const waits = [3, 7].map((position) =>
      commits.reached(jobsProjection.name, 'job', position, NEVER_POLL_MS).then(() => woken.push(position)),
    );
    commits.committed(jobsProjection.name, 'job', 4);
    await waits[0];
    await settle();
    expect(woken).toEqual([3]);
    commits.committed(jobsProjection.name, 'job', 7);
    await Promise.all(waits);
    expect(woken).toEqual([3, 7]);
  });

  it('give up at the deadline, not at the next poll', async () => {
    const { access } = await setUp(new CommitSignal());
    const began = Date.now();
    const failed = await access
      .waitForPosition(jobsProjection.name, { stream: 'job', position: 5 }, 50, 'min_position')
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(UnavailableError);
    expect(Date.now() - began).toBeLessThan(NEVER_POLL_MS);
  });

  it('without the projector in the process, give up at the deadline too', async () => {
    const { access } = await setUp(undefined);
    const failed = await access
      .waitForPosition(jobsProjection.name, { stream: 'job', position: 5 }, 50, 'min_position')
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(UnavailableError);
  });
});
