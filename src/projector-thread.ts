/**
 * The projector on a thread of its own (part of the composition root; `CORETEX_PROJECTOR_THREAD`).
 * A process that runs the projector beside the API and the schedulers otherwise folds every event into
 * the read models on the same event loop that answers requests and hands jobs off: under load the
 * projection lag is the time a commit waits for that loop. On a worker thread the projector has its own
 * loop, connections and heap, and can use a second core, as a separate `--roles projector` process
 * would, while the deployment stays one process.
 *
 * The thread runs `start({ roles: ['projector'] })` with this process's settings and tells the parent
 * what the parent's API needs from it: each commit (its read-your-writes waits wake on them) and, every
 * second, what `/metrics` shows of it (the archiver's progress, its appends, its heap). A thread that
 * ends without being asked to takes the process down with it (`onDied`): a process whose read models silently stopped would look healthy to its supervisor.
 */
import { Worker } from 'node:worker_threads';
import { type ArchiverProgress, emptyArchiverStats } from './app/jobs/archiver.ts';
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
  | { readonly type: 'report'; readonly report: ThreadReport };

/** Told every second: what the parent's `/metrics` shows of the thread. */
export interface ThreadReport {
  /** Null when the projector runs no archiver. */
  readonly archiver: ArchiverProgress | null;
  /** Events the thread appended since its last report (the archiver's `JobArchived`), by stream. */
  readonly appended: Readonly<Partial<Record<AggregateType, number>>>;
  /** The thread's own V8 heap (the process's metrics show the main thread's). */
  readonly heap: { readonly usedBytes: number; readonly totalBytes: number };
}

/** What the parent tells the thread. */
export type ProjectorThreadCommand = { readonly type: 'stop' };

export interface ProjectorThread {
  /** The archiver's progress as the thread last told it (live); null when the projector runs no archiver. */
  readonly archiver: ArchiverProgress | null;
  /** The thread's V8 heap as it last told it. */
  readonly heap: ThreadReport['heap'];
  /** Asks the thread to stop gracefully and waits for it (terminated after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface ProjectorThreadOptions {
  readonly onCommit: CommitListener;
  /** Events the thread appended (counted in the parent's metrics). */
  readonly onAppended?: (stream: AggregateType, count: number) => void;
  /** The thread failed or ended on its own after it had started. */
  readonly onDied: (error: Error) => void;
  /** The thread did not stop cleanly when asked (it failed, or was terminated after the grace time). */
  readonly onStopFailed?: (error: Error) => void;
  /** The thread's module (tests); the real entry by default. */
  readonly entry?: URL;
  /**
   * How long the thread may take to start (default 60 s). Its start waits on NATS and Redis: one that
   * hangs (a server restarting under it) must fail the process's start, not leave it without read models.
   */
  readonly readyWithinMs?: number;
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
  stats: emptyArchiverStats(),
};

/** Starts the thread and resolves once its projector runs (rejects if it fails to start). */
export async function startProjectorThread(options: ProjectorThreadOptions): Promise<ProjectorThread> {
  const worker = new Worker(options.entry ?? new URL('./projector-thread-entry.ts', import.meta.url));
  let progress = NO_PROGRESS;
  let heap: ThreadReport['heap'] = { usedBytes: 0, totalBytes: 0 };
  let stopping = false;
  let ended = false;
  let stopped: Promise<void> | null = null;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.on('message', (message: ProjectorThreadMessage) => {
    if (message.type === 'commit') options.onCommit(message.projection, message.stream, message.checkpoint);
    else if (message.type === 'report') {
      progress = message.report.archiver ?? NO_PROGRESS;
      heap = message.report.heap;
      for (const [stream, count] of Object.entries(message.report.appended)) {
        options.onAppended?.(stream as AggregateType, count);
      }
    }
  });
  let failure: Error | null = null;
  worker.on('error', (error: Error) => {
    failure = error;
  });

  const hasArchiver = await new Promise<boolean>((resolve, reject) => {
    const readyWithinMs = options.readyWithinMs ?? 60_000;
    const deadline = setTimeout(() => {
      failure ??= new Error(`the projector thread did not start within ${readyWithinMs} ms`);
      void worker.terminate();
    }, readyWithinMs);
    const onReady = (message: ProjectorThreadMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(deadline);
      worker.off('message', onReady);
      resolve(message.archiver);
    };
    worker.on('message', onReady);
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(failure ?? new Error(`the projector thread exited with code ${code} before it started`));
    });
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
    get heap() {
      return heap;
    },
    stop(graceMs = 30_000) {
      // Asked once (SIGINT and SIGTERM may both come): every caller waits for the same exit.
      stopped ??= (async () => {
        if (ended) return;
        stopping = true;
        worker.postMessage({ type: 'stop' } satisfies ProjectorThreadCommand);
        const timer = setTimeout(() => void worker.terminate(), graceMs);
        const code = await exited;
        clearTimeout(timer);
        if (code !== 0) options.onStopFailed?.(failure ?? new Error(`the projector thread exited with code ${code}`));
      })();
      return stopped;
    },
  };
}
