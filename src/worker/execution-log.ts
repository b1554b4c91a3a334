/**
 * The execution log: one record per execution start, completion and abort (and per hand-off of a
 * valid attempt refused, so a test can see a refusal happen), with the attempt's
 * identity and the dispatch token. Tests and the fault suite read it to prove that each
 * (job, tenant, attempt) ran at most once, across crashes and restarts of the worker; so the file is
 * written synchronously, record by record (a record the process printed is on disk before it goes on).
 */
import { appendFileSync } from 'node:fs';

export type ExecutionEvent = 'start' | 'complete' | 'abort' | 'refuse';

export interface ExecutionLogEntry {
  readonly event: ExecutionEvent;
  readonly job_id: string;
  readonly tenant: string;
  readonly attempt: number;
  readonly token: string;
  readonly worker_id: string;
  /** The worker process (a restarted worker keeps its id and gets a new instance). */
  readonly instance: string;
  /** Epoch ms. */
  readonly at: number;
  /** `complete` and `abort`: the status reported. */
  readonly status?: string;
  /** `abort`: why (`stopped`, `deadline`, `draining`); `refuse`: the refusal's reason. */
  readonly reason?: string;
}

/** A callback, or the path of a JSON-lines file to append to. */
export type ExecutionLogOption = ((entry: ExecutionLogEntry) => void) | string;

export function openExecutionLog(
  option: ExecutionLogOption | undefined,
  onError: (error: unknown) => void,
): (entry: ExecutionLogEntry) => void {
  if (option === undefined) return () => {};
  const write =
    typeof option === 'string'
      ? (entry: ExecutionLogEntry) => appendFileSync(option, `${JSON.stringify(entry)}\n`)
      : option;
  return (entry) => {
    try {
      write(entry);
    } catch (error) {
      // The log is an observer: failing to write it must not fail the job.
      onError(error);
    }
  };
}

/** Reads a JSON-lines execution log (for tests and the fault suite). */
export function parseExecutionLog(text: string): ExecutionLogEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExecutionLogEntry);
}
