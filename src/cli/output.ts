/**
 * How the CLI prints: raw JSON for scripts (`--json`), tables for people (cli-table3, no colours so
 * the output reads the same in a terminal, a pipe or a log), progress on stderr so stdout stays data.
 */
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export type Cell = string | number | boolean | null | undefined;

/** A table with one header row; `rows` may be empty (the headers still print, then "(none)"). */
export function printTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const table = new Table({ head: [...headers], style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row.map(cell));
  process.stdout.write(`${table.toString()}\n`);
  if (rows.length === 0) process.stdout.write('(none)\n');
}

/** One page of a list: its table, then the `--cursor` of the next page (on stderr) when there is one. */
export function printPage<T>(
  page: { readonly items: readonly T[]; readonly next_cursor: string | null },
  headers: readonly string[],
  row: (item: T) => readonly Cell[],
): void {
  printTable(headers, page.items.map(row));
  if (page.next_cursor !== null) note(`more: --cursor ${page.next_cursor}`);
}

/** `--json`: the answer as the API gave it; otherwise the line people read. */
export function emit(json: boolean | undefined, answer: unknown, line: string): void {
  if (json === true) printJson(answer);
  else process.stdout.write(`${line}\n`);
}

interface HistoryEvent {
  readonly time: string;
  readonly type: string;
  readonly actor: string;
  readonly position: string;
  readonly data: unknown;
}

/** An aggregate's history (a job's, a run's), oldest first. */
export function printHistory(items: readonly HistoryEvent[]): void {
  printTable(
    ['TIME', 'TYPE', 'ACTOR', 'POSITION', 'DATA'],
    items.map((e) => [time(e.time), e.type, e.actor, e.position, brief(withoutKeys(e.data), 50)]),
  );
}

/** One object as a two-column table of its fields, in the order given. */
export function printFields(fields: readonly (readonly [string, Cell])[]): void {
  const table = new Table({ style: { head: [], border: [], compact: true } });
  for (const [name, value] of fields) table.push({ [name]: cell(value) });
  process.stdout.write(`${table.toString()}\n`);
}

function cell(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value);
}

/** Compact JSON for a table cell, cut to `max` characters. */
export function brief(value: unknown, max = 60): string {
  if (value === null || value === undefined) return '-';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An event's data without the `keys` every job event repeats: what changed, for a table cell. */
export function withoutKeys(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || !('keys' in data)) return data;
  const { keys: _keys, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** Epoch ms or an ISO string, shown as ISO 8601 to the second. */
export function time(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A line of progress for people, on stderr. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

export interface Progress {
  update(value: number, total: number, payload?: Record<string, string>): void;
  stop(): void;
}

/**
 * A progress bar on stderr when stdout is a terminal (people watching); otherwise nothing, since the
 * command's own lines already say what happened and a pipe or log does not want redraws.
 */
export function progressBar(format: string): Progress {
  if (process.stdout.isTTY !== true || process.stderr.isTTY !== true) {
    return { update: () => {}, stop: () => {} };
  }
  const bar = new SingleBar({ format, hideCursor: true, stream: process.stderr });
  let started = false;
  return {
    update(value, total, payload = {}) {
      if (!started) {
        bar.start(Math.max(total, value), value, payload);
        started = true;
        return;
      }
      bar.setTotal(Math.max(total, value));
      bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
