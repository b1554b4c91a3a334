/**
 * What every HTTP command of the CLI shares: the global options (`--url`, `--api-key`, `--tenant`,
 * `--json`), the typed API client built from them, and the one place an answer becomes either its
 * data or a `CliError` with a one-line message and an exit code (1: the API or the connection said no;
 * 2: the command line was wrong).
 */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CoretexClient, createClient } from '../api/client/index.ts';
import { parseDuration } from '../settings.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface GlobalOptions {
  readonly url: string;
  readonly apiKey?: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

export type ExitCode = 1 | 2 | 3 | 4;

/** A failure the CLI reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  /** The problem `code` when the API refused (a command may act on it, as `workflows apply` on a 409). */
  readonly code: string | null;

  constructor(message: string, exitCode: ExitCode = 1, code: string | null = null) {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }
}

export const usageError = (message: string): CliError => new CliError(message, 2);

/** Adds the global options to a command that talks to the API (shown in its `--help`). */
export function withGlobals(command: Command, options: { tenant?: boolean } = {}): Command {
  command
    .addOption(new Option('--url <url>', 'the Coretex API').env('CORETEX_URL').default(DEFAULT_URL).argParser(parseUrl))
    .addOption(new Option('--api-key <key>', 'API key (sent as a bearer token)').env('CORETEX_API_KEY'));
  if (options.tenant !== false) {
    command.addOption(
      new Option('--tenant <tenant>', 'the tenant to act on (needed with a key bound to every tenant, "*")').env(
        'CORETEX_TENANT',
      ),
    );
  }
  return command.option('--json', 'print the raw JSON answer (for scripts)');
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new InvalidArgumentError(`expected an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

export interface Connection {
  readonly client: CoretexClient;
  readonly url: string;
  /** `{ tenant }` when `--tenant` was given, for the endpoints that take `?tenant=`. */
  readonly tenantQuery: { tenant?: string };
}

export function connect(options: GlobalOptions): Connection {
  return {
    client: createClient({ url: options.url, ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }) }),
    url: options.url,
    tenantQuery: options.tenant === undefined ? {} : { tenant: options.tenant },
  };
}

interface Problem {
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
  readonly title?: string;
  readonly field?: string;
  readonly request_id?: string;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws a `CliError` saying what went wrong:
 * the problem details of an error answer, or that the API could not be reached at all.
 */
export async function call<T>(connection: Connection, request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    throw unreachable(connection.url, error);
  }
  if (!answer.response.ok || answer.error !== undefined) throw apiError(answer.response, answer.error);
  return answer.data as T;
}

export function unreachable(url: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const reason =
    cause?.code === 'ECONNREFUSED'
      ? 'connection refused'
      : cause?.code === 'ENOTFOUND'
        ? 'host not found'
        : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
  return new CliError(`cannot reach Coretex at ${url}: ${reason} (set --url or CORETEX_URL)`);
}

export function apiError(response: Response, body: unknown): CliError {
  const problem: Problem = typeof body === 'object' && body !== null ? body : {};
  const status = response.status;
  const detail = problem.detail ?? problem.title ?? (typeof body === 'string' && body !== '' ? body : undefined);
  const code = problem.code === undefined ? '' : ` ${problem.code}`;
  const field = problem.field === undefined ? '' : ` (field: ${problem.field})`;
  const hint =
    status === 401
      ? ' — unauthorized: give a valid key with --api-key or CORETEX_API_KEY'
      : status === 403
        ? " — forbidden: the key's role or tenant may not do this"
        : '';
  const requestId = problem.request_id === undefined ? '' : ` [request ${problem.request_id}]`;
  return new CliError(
    `${status}${code}: ${detail ?? response.statusText}${field}${hint}${requestId}`,
    1,
    problem.code ?? null,
  );
}

/** Parses a JSON option value; a bad one is a usage error naming the option. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a file named on the command line (`-` for stdin); one it cannot read is a usage error naming `option`. */
export function readInput(path: string, option: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${option} ${path}: ${(error as Error).message}`);
  }
}

/**
 * A JSON value given inline (`--payload <json>`) or in a file (`--payload-file <path>`, `-` for stdin):
 * undefined when neither is given, a usage error when both are or the JSON is bad.
 */
export function jsonInput(
  given: { readonly inline: string | undefined; readonly file: string | undefined },
  names: { readonly inline: string; readonly file: string },
): unknown {
  if (given.inline !== undefined && given.file !== undefined) {
    throw usageError(`give ${names.inline} or ${names.file}, not both`);
  }
  if (given.inline !== undefined) return parseJson(given.inline, names.inline);
  if (given.file !== undefined) return parseJson(readInput(given.file, names.file), `${names.file} ${given.file}`);
  return undefined;
}

/**
 * The fields that are set, for a query or body built from options: with exactOptionalPropertyTypes an
 * absent option must be left out, not sent as `undefined`.
 */
export function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

export interface PageOptions {
  readonly limit?: number;
  readonly cursor?: string;
}

/** `--limit` and `--cursor` on a list command; `pageQuery` turns them into the query. */
export function withPaging(command: Command): Command {
  return command
    .option('--limit <n>', 'page size (the API allows at most 500)', integer(1))
    .option('--cursor <cursor>', 'the page after this cursor (printed under the previous page)');
}

export const pageQuery = (options: PageOptions) => defined({ limit: options.limit, cursor: options.cursor });

/** commander argParser for whole numbers ≥ `min`. */
export function integer(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    }
    return n;
  };
}

/** commander argParser for durations: `500ms`, `30s`, `15m`, `2h`, `1d`. */
export function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === null) throw new InvalidArgumentError('expected a duration like 500ms, 30s, 15m or 2h');
  return ms;
}

/** commander argParser collecting repeated `--label k=v` into a map. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every item of a paged list, following `next_cursor` to the last page. */
export async function allPages<T>(
  fetchPage: (cursor: string | null) => Promise<{ readonly items: readonly T[]; readonly next_cursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}
