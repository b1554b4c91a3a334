/**
 * `coretex projections rebuild <name...> | --all` (SPEC 5): rebuilds read models in this process with a
 * progress bar (events/s, ETA), switching reads over atomically when each is caught up.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { rebuild } from '../main.ts';

export function addProjectionsCommand(program: Command): void {
  const projections = program.command('projections').description('read models: rebuild them from the event streams');
  projections
    .command('rebuild')
    .description('rebuild read models from position 1 into fresh keys, then switch reads over')
    .argument(
      '[names...]',
      'projections to rebuild (jobs, jobs_due, job_queues, dlq, config, runs, runs_due, workflows)',
    )
    .option('--all', 'rebuild every projection')
    .action(async (names: string[], options: { all?: boolean }) => {
      if (options.all !== true && names.length === 0) {
        console.error('coretex projections rebuild: name one or more projections, or give --all');
        process.exit(2);
      }
      const interactive = process.stderr.isTTY === true;
      const bar = new SingleBar({
        format: '{projection} {stream} [{bar}] {value}/{total} events · {rate} events/s · ETA {eta_text}',
        hideCursor: true,
        stream: process.stderr,
        noTTYOutput: !interactive,
        notTTYSchedule: 1_000,
      });
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
          if (current !== '') bar.stop();
          current = key;
          bar.start(Math.max(p.head, p.position), p.position, payload);
        } else {
          bar.update(p.position, payload);
        }
      });
      if (current !== '') bar.stop();
      for (const r of results) {
        const rate = r.ms > 0 ? Math.round((r.events / r.ms) * 1000) : r.events;
        console.log(
          `coretex: ${r.projection}: ${r.events} events in ${(r.ms / 1000).toFixed(1)} s (${rate} events/s) into version ${r.version}` +
            (r.switched
              ? `, reads switched over from ${r.previous ?? 'none'}`
              : ', another rebuild switched first (this one dropped)'),
        );
      }
    });
}
