/**
 * The projector thread's program (see projector-thread.ts): the projector role with this process's
 * settings, its commits and its metrics told to the parent, stopped when the parent asks.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { AggregateType } from './domain/shared/stream.ts';
import { start } from './main.ts';
import type { ProjectorThreadCommand, ProjectorThreadMessage } from './projector-thread.ts';

/** How often the thread's metrics are told: the parent's `/metrics` show them at most this old. */
const REPORT_EVERY_MS = 1_000;

const port = parentPort;
if (port === null) throw new Error('projector-thread-entry.ts runs as a worker thread');
const tell = (message: ProjectorThreadMessage) => port.postMessage(message);

// The parent has printed the start-up lines already; the thread's own records go to the shared log.
let appended: Partial<Record<AggregateType, number>> = {};
const running = await start({
  roles: ['projector'],
  log: () => {},
  onAppend: (stream) => (appended[stream] = (appended[stream] ?? 0) + 1),
});
running.runtime.commits.listen((projection, stream, checkpoint) =>
  tell({ type: 'commit', projection, stream, checkpoint }),
);
const archiver = running.runtime.archiver;
const report = () => {
  const heap = getHeapStatistics();
  tell({
    type: 'report',
    report: {
      archiver:
        archiver === null
          ? null
          : { active: archiver.active, savedPosition: archiver.savedPosition, stats: { ...archiver.stats } },
      appended,
      heap: { usedBytes: heap.used_heap_size, totalBytes: heap.total_heap_size },
    },
  });
  appended = {};
};
const reportTimer = setInterval(report, REPORT_EVERY_MS);
let stopping = false;
port.on('message', (command: ProjectorThreadCommand) => {
  if (command.type !== 'stop' || stopping) return;
  stopping = true;
  clearInterval(reportTimer);
  running.stop().then(
    () => {
      report();
      port.close();
      // Whatever handle the stopped roles left behind must not keep the thread (and its parent) waiting.
      setTimeout(() => process.exit(0), 1_000).unref();
    },
    (error: unknown) => {
      // The parent hears of it through the exit code (and logs it).
      process.stderr.write(`coretex: the projector thread failed to stop: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
tell({ type: 'ready', archiver: archiver !== null });
