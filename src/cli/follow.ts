/**
 * Following a job or a run to its end (`jobs wait`, `runs wait`, `--wait`): each change it is seen to
 * go through is a line on stderr as it happens; the end is one line (or the JSON) on stdout. Exit 3
 * when it ended other than SUCCEEDED, 4 when `--timeout` ran out first (with --json, the view as it was
 * on stdout).
 */
import { CliError } from './api.ts';
import { emit, note, printJson } from './output.ts';

export interface Followed<T> {
  /** `job` or `run`, for the messages. */
  readonly kind: string;
  readonly id: string;
  /** The view now (`waitMs` 0), or after waiting up to `waitMs` for a change (a long-poll or a pause). */
  read(waitMs: number): Promise<T>;
  status(view: T): string;
  /** Lines for people saying what changed since `previous` (null: this is the first view). */
  changes(previous: T | null, view: T): readonly string[];
  ended(view: T): boolean;
  /** The last line on stdout: the id, how it ended, and its result or error. */
  outcome(view: T): string;
}

export interface FollowOptions {
  readonly timeout?: number;
  readonly json?: boolean;
}

/** The longest single wait: well inside the API's request timeout, so a change shows within seconds. */
const LONGEST_WAIT_MS = 5_000;

export async function follow<T>(followed: Followed<T>, options: FollowOptions): Promise<void> {
  const deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout;
  let previous: T | null = null;
  for (;;) {
    // The first read shows where it is now; later ones wait for a change, bounded by the deadline.
    const waitMs = previous === null ? 0 : Math.max(1, Math.min(LONGEST_WAIT_MS, deadline - Date.now()));
    const view = await followed.read(waitMs);
    for (const line of followed.changes(previous, view)) note(line);
    previous = view;
    const status = followed.status(view);
    if (followed.ended(view)) {
      emit(options.json, view, followed.outcome(view));
      if (status !== 'SUCCEEDED') throw new CliError(`${followed.kind} ${followed.id} ended ${status}`, 3);
      return;
    }
    if (Date.now() >= deadline) {
      if (options.json === true) printJson(view);
      throw new CliError(`${followed.kind} ${followed.id} is still ${status} after the --timeout`, 4);
    }
  }
}
