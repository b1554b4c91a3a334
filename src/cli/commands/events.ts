/**
 * `coretex events tail [--follow]` (SPEC 5) reads the Server-Sent Events of `/api/v1/events/stream`,
 * starting `--limit` events back on each stream (heads from `/api/v1/status`). Without `--follow` it
 * stops at the first heartbeat, which the server sends once the asked-for history is delivered; with
 * it, it follows live and reconnects with the last id it saw (`Last-Event-ID`), so nothing is missed
 * or repeated. `coretex events parked list|replay` lists and replays parked inputs.
 */
import type { Command } from 'commander';
import { createParser } from 'eventsource-parser';
import {
  apiError,
  call,
  CliError,
  type Connection,
  connect,
  defined,
  delay,
  type GlobalOptions,
  integer,
  unreachable,
  withGlobals,
} from '../api.ts';
import { brief, emit, printJson, printTable, time, withoutKeys } from '../output.ts';

const STREAMS = ['job', 'run', 'dlq', 'workflow', 'config', 'op'];

interface TailOptions extends GlobalOptions {
  readonly stream?: string;
  readonly type?: string;
  readonly jobId?: string;
  readonly runId?: string;
  readonly follow?: boolean;
  readonly limit: number;
  readonly lastEventId?: string;
}

/** One message of the stream, as the API sends it in `data`. */
interface StreamEvent {
  readonly stream: string;
  readonly position: number;
  readonly aggregate_id: string | null;
  readonly tenant: string;
  readonly type: string;
  readonly time: string;
  readonly actor: string;
  readonly data: unknown;
}

export function addEventsCommand(program: Command): void {
  const events = program.command('events').description('the event streams: tail them, and parked inputs');

  withGlobals(
    events
      .command('tail')
      .description('recent events (the last --limit of each stream); --follow keeps streaming live ones')
      .option('--stream <streams>', `streams, comma-separated (${STREAMS.join(', ')}; default: all)`)
      .option('--type <types>', 'event types, comma-separated (e.g. JobSubmitted,JobSucceeded)')
      .option('--job-id <id>', "only this job's events")
      .option('--run-id <id>', "only this run's events")
      .option('-f, --follow', 'keep streaming new events until interrupted')
      .option('--limit <n>', 'start this many events back on each stream', integer(0), 20)
      .option('--last-event-id <id>', 'resume after this id (job:120,run:45) instead of --limit back'),
    { tenant: false },
  ).action(async (options: TailOptions) => {
    await tail(connect(options), options);
  });

  const parked = events.command('parked').description('inputs a projector or process manager could not handle');
  withGlobals(parked.command('list', { isDefault: true }).description('parked inputs, oldest first'), {
    tenant: false,
  }).action(async (options: GlobalOptions) => {
    const connection = connect(options);
    const answer = await call(connection, connection.client.GET('/api/v1/events/parked'));
    if (options.json === true) return printJson(answer);
    printTable(
      ['ID', 'SOURCE', 'POSITION', 'ATTEMPTS', 'PARKED', 'ERROR'],
      answer.items.map((p) => [p.id, p.source, p.position, p.attempts, time(p.parked_at), brief(p.error, 60)]),
    );
  });
  withGlobals(parked.command('replay').description('hand a parked input to its handler again').argument('<id>'), {
    tenant: false,
  }).action(async (id: string, options: GlobalOptions) => {
    const connection = connect(options);
    const answer = await call(
      connection,
      connection.client.POST('/api/v1/events/parked/{id}/replay', { params: { path: { id } }, body: {} }),
    );
    emit(options.json, answer, `replayed ${id}`);
  });
}

async function tail(connection: Connection, options: TailOptions): Promise<void> {
  let lastEventId = options.lastEventId ?? (await startingPoint(connection, options));
  const collected: StreamEvent[] = [];
  const show = (event: StreamEvent) => {
    if (options.follow !== true) collected.push(event);
    else if (options.json === true) process.stdout.write(`${JSON.stringify(event)}\n`);
    else process.stdout.write(`${line(event)}\n`);
  };
  for (;;) {
    const ended = await readStream(connection, options, lastEventId, (id) => (lastEventId = id), show);
    if (options.follow !== true) break;
    if (ended === 'closed') await delay(1_000); // the server went away: resume where we were
  }
  if (options.json === true) return printJson({ items: collected, last_event_id: lastEventId });
  printTable(
    ['TIME', 'POSITION', 'TYPE', 'ID', 'ACTOR', 'DATA'],
    collected.map((e) => [
      time(e.time),
      `${e.stream}:${e.position}`,
      e.type,
      e.aggregate_id,
      e.actor,
      brief(withoutKeys(e.data), 40),
    ]),
  );
}

/** `--limit` events back from each stream's head, as a Last-Event-ID vector. */
async function startingPoint(connection: Connection, options: TailOptions): Promise<string> {
  if (options.limit === 0) return '';
  const status = await call(connection, connection.client.GET('/api/v1/status'));
  const wanted = new Set(options.stream?.split(',') ?? STREAMS);
  const heads = new Map<string, number>();
  for (const projection of status.projections) {
    for (const s of projection.streams) {
      if (wanted.has(s.stream)) heads.set(s.stream, Math.max(heads.get(s.stream) ?? 0, s.head));
    }
  }
  return [...heads].map(([stream, head]) => `${stream}:${Math.max(0, head - options.limit)}`).join(',');
}

/**
 * Reads one connection of the stream. Resolves `'history'` at the first heartbeat when not following,
 * `'closed'` when the server ends the stream; throws a `CliError` for an error answer (or, when not
 * following, an unreachable server).
 */
async function readStream(
  connection: Connection,
  options: TailOptions,
  lastEventId: string,
  onId: (id: string) => void,
  show: (event: StreamEvent) => void,
): Promise<'history' | 'closed'> {
  const abort = new AbortController();
  let answer;
  try {
    answer = await connection.client.GET('/api/v1/events/stream', {
      params: {
        query: defined({ stream: options.stream, type: options.type, job_id: options.jobId, run_id: options.runId }),
        header: lastEventId === '' ? {} : { 'last-event-id': lastEventId },
      },
      parseAs: 'stream',
      signal: abort.signal,
    });
  } catch (error) {
    if (options.follow === true && lastEventId !== '') return 'closed';
    throw unreachable(connection.url, error);
  }
  const { response } = answer;
  if (!response.ok) {
    const text = await response.text();
    throw apiError(response, safeJson(text));
  }
  if (response.body === null) throw new CliError('the event stream answered without a body');
  let done = false;
  const parser = createParser({
    onEvent: (message) => {
      if (message.id !== undefined && message.id !== '') onId(message.id);
      show(JSON.parse(message.data) as StreamEvent);
    },
    onComment: (comment) => {
      // `: ping <vector>`: a heartbeat carrying the positions seen so far (invisible events included).
      const match = /^\s*ping\s+(\S+)/.exec(comment);
      if (match?.[1] !== undefined) onId(match[1]);
      if (comment.trim().startsWith('ping') && options.follow !== true) done = true;
    },
  });
  const decoder = new TextDecoder();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  try {
    while (!done) {
      const chunk = await reader.read();
      if (chunk.done) return 'closed';
      parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
    return 'history';
  } catch (error) {
    if (options.follow === true) return 'closed';
    throw unreachable(connection.url, error);
  } finally {
    abort.abort();
  }
}

function line(e: StreamEvent): string {
  return [time(e.time), `${e.stream}:${e.position}`.padEnd(12), e.type.padEnd(22), e.aggregate_id ?? '-', e.actor].join(
    '  ',
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
