/**
 * `coretex projections rebuild <name...> | --all` (SPEC 5): rebuilds read models from the event streams
 * into fresh keys with a progress bar (events/s, ETA), switching reads over atomically when each is
 * caught up. By default in this process through the composition root (loaded only then: it is heavy);
 * with `--remote` (or an explicit `--url`) a running Coretex does it (`POST
 * /api/v1/projections/{name}/rebuild`, an admin operation) and the progress is read from `/api/v1/status`.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  call,
  CliError,
  type Connection,
  connect,
  delay,
  type GlobalOptions,
  usageError,
  withGlobals,
} from '../api.ts';
import { note, printJson } from '../output.ts';

const STATUS_POLL_MS = 250;

interface RebuildOptions extends GlobalOptions {
  readonly all?: boolean;
  readonly remote?: boolean;
}

export function addProjectionsCommand(program: Command): void {
  const projections = program.command('projections').description('read models: rebuild them from the event streams');
  withGlobals(
    projections
      .command('rebuild')
      .description('rebuild read models from position 1 into fresh keys, then switch reads over')
      .argument(
        '[names...]',
        'projections to rebuild (jobs, jobs_due, job_queues, dlq, config, runs, runs_due, workflows)',
      )
      .option('--all', 'rebuild every projection')
      .option('--remote', 'ask the running Coretex at --url to rebuild (implied by --url)'),
    { tenant: false },
  ).action(async (names: string[], options: RebuildOptions, command: Command) => {
    if (options.all !== true && names.length === 0) throw usageError('name one or more projections, or give --all');
    if (options.all === true && names.length > 0) throw usageError('name projections or give --all, not both');
    const remote = options.remote === true || command.getOptionValueSource('url') === 'cli';
    if (remote) await rebuildRemotely(connect(options), names, options);
    else await rebuildHere(names, options);
  });
}

function bar(): SingleBar {
  const interactive = process.stderr.isTTY === true;
  return new SingleBar({
    format: '{projection} {stream} [{bar}] {value}/{total} events · {rate} events/s · ETA {eta_text}',
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: !interactive,
    notTTYSchedule: 1_000,
  });
}

async function rebuildHere(names: string[], options: RebuildOptions): Promise<void> {
  const { rebuild } = await import('../../main.ts');
  const progress = bar();
  let current = '';
  const results = await rebuild(options.all === true ? 'all' : names, (p) => {
    const key = `${p.projection}/${p.stream}`;
    const payload = {
      projection: p.projection,
      stream: p.stream,
      rate: Math.round(p.eventsPerSecond).toLocaleString('en-US'),
      eta_text: p.etaSeconds === null ? '?' : `${p.etaSeconds.toFixed(1)}s`,
    };
    if (key !== current) {
      if (current !== '') progress.stop();
      current = key;
      progress.start(Math.max(p.head, p.position), p.position, payload);
    } else {
      progress.update(p.position, payload);
    }
  });
  if (current !== '') progress.stop();
  if (options.json === true) return printJson(results);
  for (const r of results) {
    const rate = r.ms > 0 ? Math.round((r.events / r.ms) * 1000) : r.events;
    process.stdout.write(
      `coretex: ${r.projection}: ${r.events} events in ${(r.ms / 1000).toFixed(1)} s (${rate} events/s) into version ${r.version}` +
        (r.switched
          ? `, reads switched over from ${r.previous ?? 'none'}\n`
          : ', another rebuild switched first (this one dropped)\n'),
    );
  }
}

async function rebuildRemotely(connection: Connection, names: string[], options: RebuildOptions): Promise<void> {
  const status = () => call(connection, connection.client.GET('/api/v1/status'));
  const chosen = options.all === true ? (await status()).projections.map((p) => p.projection) : names;
  const finished = [];
  for (const name of chosen) {
    await call(
      connection,
      connection.client.POST('/api/v1/projections/{name}/rebuild', { params: { path: { name } }, body: {} }),
    );
    note(`coretex: rebuilding ${name} on ${connection.url}`);
    const progress = bar();
    let started = false;
    for (;;) {
      const rebuild = (await status()).projections.find((p) => p.projection === name)?.rebuild ?? null;
      if (rebuild === null) throw new CliError(`the API shows no rebuild of ${name}`);
      const payload = {
        projection: name,
        stream: rebuild.stream ?? '',
        rate: Math.round(rebuild.events_per_second ?? 0).toLocaleString('en-US'),
        eta_text: rebuild.eta_seconds === null ? '?' : `${rebuild.eta_seconds.toFixed(1)}s`,
      };
      const position = rebuild.position ?? 0;
      const head = Math.max(rebuild.head ?? 0, position);
      if (!started) progress.start(head, position, payload);
      else progress.update(position, payload);
      started = true;
      if (rebuild.state !== 'running') {
        progress.stop();
        if (rebuild.state === 'failed')
          throw new CliError(`rebuild of ${name} failed: ${rebuild.error ?? 'no reason given'}`);
        finished.push({ projection: name, ...rebuild });
        if (options.json !== true) {
          process.stdout.write(`coretex: ${name}: ${rebuild.events} events into version ${rebuild.version ?? '?'}\n`);
        }
        break;
      }
      await delay(STATUS_POLL_MS);
    }
  }
  if (options.json === true) printJson(finished);
}
