/**
 * The projector on a thread of its own (part of the composition root; `CORETEX_PROJECTOR_THREAD`).
 * A process that runs the projector beside the API and the schedulers otherwise folds every event into
 * the read models on the same event loop that answers requests and hands jobs off: under load the
 * projection lag is the time a commit waits for that loop. On a worker thread the projector has its own
 * loop, connections and heap, and can use a second core, as a separate `--roles projector` process
 * would, while the deployment stays one process.
 *
 * The thread runs `start({ roles: ['projector'] })` with this process's settings and tells the parent
 * what the parent's API needs from it: each commit (its read-your-writes waits wake on them) and the
 * archiver's progress (its metrics). A thread that ends without being asked to takes the process down
 * with it (`onDied`): a process whose read models silently stopped would look healthy to its supervisor.
 */
import { Worker } from 'node:worker_threads';
import type { ArchiverProgress, ArchiverStats } from './app/jobs/archiver.ts';
import type { CommitListener } from './app/projections/commit-signal.ts';
import type { AggregateType } from './domain/shared/stream.ts';
import type { Role } from './roles.ts';
import type { Settings } from './settings.ts';

/** What the thread tells its parent. */
export type ProjectorThreadMessage =
  | { readonly type: 'ready'; readonly archiver: boolean }
  | {
      readonly type: 'commit';
      readonly projection: string;
      readonly stream: AggregateType;
      readonly checkpoint: number;
    }
  | { readonly type: 'archiver'; readonly progress: ArchiverProgress };

/** What the parent tells the thread. */
export type ProjectorThreadCommand = { readonly type: 'stop' };

export interface ProjectorThread {
  /** The archiver's progress as the thread last told it (live); null when the projector runs no archiver. */
  readonly archiver: ArchiverProgress | null;
  /** Asks the thread to stop gracefully and waits for it (terminated after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface ProjectorThreadOptions {
  readonly onCommit: CommitListener;
  /** The thread failed or ended on its own after it had started. */
  readonly onDied: (error: Error) => void;
  /** The thread's module (tests); the real entry by default. */
  readonly entry?: URL;
}

/** Whether this process runs its projector on a thread: in distributed mode, beside other roles. */
export function projectorOnThread(
  settings: Pick<Settings, 'mode' | 'projectorThread'>,
  roles: readonly Role[],
): boolean {
  return (
    settings.mode === 'distributed' &&
    settings.projectorThread === 'auto' &&
    roles.includes('projector') &&
    roles.some((role) => role !== 'projector')
  );
}

const NO_PROGRESS: ArchiverProgress = {
  active: false,
  savedPosition: 0,
  stats: emptyStats(),
};

/** Starts the thread and resolves once its projector runs (rejects if it fails to start). */
export async function startProjectorThread(options: ProjectorThreadOptions): Promise<ProjectorThread> {
  const worker = new Worker(options.entry ?? new URL('./projector-thread-entry.ts', import.meta.url));
  let progress = NO_PROGRESS;
  let stopping = false;
  let ended = false;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.on('message', (message: ProjectorThreadMessage) => {
    if (message.type === 'commit') options.onCommit(message.projection, message.stream, message.checkpoint);
    else if (message.type === 'archiver') progress = message.progress;
  });
  let failure: Error | null = null;
  worker.on('error', (error: Error) => {
    failure = error;
  });

  const hasArchiver = await new Promise<boolean>((resolve, reject) => {
    const onReady = (message: ProjectorThreadMessage) => {
      if (message.type !== 'ready') return;
      worker.off('message', onReady);
      resolve(message.archiver);
    };
    worker.on('message', onReady);
    void exited.then((code) =>
      reject(failure ?? new Error(`the projector thread exited with code ${code} before it started`)),
    );
  });

  void exited.then((code) => {
    ended = true;
    if (!stopping) options.onDied(failure ?? new Error(`the projector thread exited with code ${code}`));
  });
  // Read at each scrape: the thread's latest report.
  const liveProgress: ArchiverProgress = {
    get active() {
      return progress.active;
    },
    get savedPosition() {
      return progress.savedPosition;
    },
    get stats() {
      return progress.stats;
    },
  };
  return {
    archiver: hasArchiver ? liveProgress : null,
    async stop(graceMs = 30_000) {
      if (ended) return;
      stopping = true;
      worker.postMessage({ type: 'stop' } satisfies ProjectorThreadCommand);
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function emptyStats(): ArchiverStats {
  return { archived: 0, alreadyArchived: 0, batches: 0, failures: 0, tooLate: 0, compactedParts: 0, expiredParts: 0 };
}
