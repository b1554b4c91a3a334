/**
 * The projector thread's program (see projector-thread.ts): the projector role with this process's
 * settings, its commits and the archiver's progress told to the parent, stopped when the parent asks.
 */
import { parentPort } from 'node:worker_threads';
import { start } from './main.ts';
import type { ProjectorThreadCommand, ProjectorThreadMessage } from './projector-thread.ts';

/** How often the archiver's progress is told: its metrics are at most this old. */
const PROGRESS_EVERY_MS = 1_000;

const port = parentPort;
if (port === null) throw new Error('projector-thread-entry.ts runs as a worker thread');
const tell = (message: ProjectorThreadMessage) => port.postMessage(message);

// The parent has printed the start-up lines already; the thread's own records go to the shared log.
const running = await start({ roles: ['projector'], log: () => {} });
running.runtime.commits.listen((projection, stream, checkpoint) =>
  tell({ type: 'commit', projection, stream, checkpoint }),
);
const archiver = running.runtime.archiver;
const tellProgress = () => {
  if (archiver === null) return;
  const { active, savedPosition, stats } = archiver;
  tell({ type: 'archiver', progress: { active, savedPosition, stats: { ...stats } } });
};
const progressTimer = setInterval(tellProgress, PROGRESS_EVERY_MS);
port.on('message', (command: ProjectorThreadCommand) => {
  if (command.type !== 'stop') return;
  clearInterval(progressTimer);
  void running.stop().then(() => {
    tellProgress();
    port.close();
    // Whatever handle the stopped roles left behind must not keep the thread (and its parent) waiting.
    setTimeout(() => process.exit(0), 1_000).unref();
  });
});
tell({ type: 'ready', archiver: archiver !== null });
