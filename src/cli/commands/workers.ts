/** `coretex workers list`: the live worker registry (SPEC 1.5). */
import type { Command } from 'commander';
import { call, connect, defined, type GlobalOptions, withGlobals } from '../api.ts';
import { printJson, printTable, time } from '../output.ts';

export function addWorkersCommand(program: Command): void {
  const workers = program.command('workers').description('the workers connected now');
  withGlobals(
    workers.command('list').description('live workers, by id').option('--pool <pool>', 'only this pool'),
  ).action(async (options: GlobalOptions & { pool?: string }) => {
    const connection = connect(options);
    const answer = await call(
      connection,
      connection.client.GET('/api/v1/workers', {
        params: { query: { ...connection.tenantQuery, ...defined({ pool: options.pool }) } },
      }),
    );
    if (options.json === true) return printJson(answer);
    printTable(
      ['WORKER ID', 'POOL', 'JOBS', 'LOAD', 'STATUS', 'HEARTBEAT'],
      answer.items.map((w) => [
        w.worker_id,
        w.pool,
        `${w.active_jobs}/${w.max_parallel_jobs}`,
        w.load_score.toFixed(2),
        w.cordoned ? 'cordoned' : w.overloaded ? 'overloaded' : 'ready',
        time(w.heartbeat_at),
      ]),
    );
  });
}
