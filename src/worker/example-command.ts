/**
 * The `coretex worker` command: `--example` runs the example echo worker on NATS until SIGINT or
 * SIGTERM, then drains. Kept beside the example so the CLI's main file only registers it.
 */
import { type Command, InvalidArgumentError } from 'commander';

interface WorkerCommandOptions {
  readonly example?: boolean;
  readonly sleepMs: number;
  readonly failRate: number;
  readonly failFirst: number;
  readonly failMarked: number;
  readonly echoEnv?: string[];
  readonly status: string;
  readonly workerId?: string;
  readonly pool?: string;
  readonly topics?: string[];
  readonly maxParallel: number;
  readonly natsUrl?: string;
  readonly natsUser?: string;
  readonly natsPass?: string;
  readonly acceptDelayMs: number;
  readonly handOffDelayMs: number;
  readonly prefix: string;
  readonly executionLog?: string;
  readonly drainGraceMs: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function addWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker; --example runs the example echo worker (returns {echo: payload, worker_id})')
    .option('--example', 'run the example echo worker')
    .option('--sleep-ms <ms>', 'sleep this long in each execution', count, 0)
    .option('--fail-rate <p>', 'fail each execution with this probability (0-1)', rate, 0)
    .option('--fail-first <n>', 'fail the first n attempts of each job', count, 0)
    .option(
      '--fail-marked <n>',
      'fault injection for tests: fail the first n executions (in this process) of each payload with "example_fail": true',
      count,
      0,
    )
    .option('--echo-env <names>', 'comma-separated env variables of the hand-off to copy into the result as env', list)
    .option(
      '--status <status>',
      'report this status (SUCCEEDED, COMPLETED, FAILED, TIMEOUT, CANCELLED, DENIED, ...)',
      'SUCCEEDED',
    )
    .option('--worker-id <id>', 'worker id (default example-<host>-<pid>)')
    .option('--pool <pool>', 'pool (default "default")')
    .option('--topics <topics>', 'comma-separated topic globs (default: every topic of the pool)', list)
    .option('--max-parallel <n>', 'executions at once', count, 1)
    .option('--nats-url <url>', 'NATS server URL(s) (default: $NATS_URL)')
    .option('--nats-user <user>', "this worker's NATS user (default: $NATS_USER)")
    .option('--nats-pass <password>', "this worker's NATS password (default: $NATS_PASS)")
    .option('--accept-delay-ms <ms>', 'fault injection for tests: answer hand-offs this late', count, 0)
    .option('--hand-off-delay-ms <ms>', 'fault injection for tests: read hand-offs this late', count, 0)
    .option('--prefix <prefix>', 'installation prefix', 'ctx')
    .option('--execution-log <file>', 'append every execution start/complete/abort to this JSON-lines file')
    .option('--drain-grace-ms <ms>', 'on SIGINT/SIGTERM, let running executions finish this long', count, 30_000)
    .action(async (options: WorkerCommandOptions) => {
      if (options.example !== true) {
        console.error(
          'coretex worker: only --example is built in; write your own with createWorker from coretex/worker',
        );
        process.exit(2);
      }
      const natsUrl = options.natsUrl ?? process.env.NATS_URL;
      if (natsUrl === undefined || natsUrl === '') {
        console.error('coretex worker: give --nats-url or set NATS_URL');
        process.exit(2);
      }
      const { startExampleWorker } = await import('./example.ts');
      const worker = await startExampleWorker({
        natsUrl,
        prefix: options.prefix,
        sleepMs: options.sleepMs,
        failRate: options.failRate,
        failFirst: options.failFirst,
        ...(options.failMarked > 0 ? { failMarked: options.failMarked } : {}),
        ...(options.echoEnv === undefined ? {} : { echoEnv: options.echoEnv }),
        status: options.status,
        maxParallel: Math.max(1, options.maxParallel),
        ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
        ...(options.pool === undefined ? {} : { pool: options.pool }),
        ...(options.topics === undefined ? {} : { topics: options.topics }),
        ...(options.executionLog === undefined ? {} : { executionLog: options.executionLog }),
        ...((options.natsUser ?? process.env.NATS_USER) === undefined
          ? {}
          : {
              natsUser: (options.natsUser ?? process.env.NATS_USER) as string,
              natsPass: options.natsPass ?? process.env.NATS_PASS ?? '',
            }),
        ...(options.acceptDelayMs > 0 ? { acceptDelayMs: options.acceptDelayMs } : {}),
        ...(options.handOffDelayMs > 0 ? { handOffDelayMs: options.handOffDelayMs } : {}),
      });
      console.log(`coretex worker: ${worker.worker_id} (instance ${worker.instance}) is taking work`);
      const stop = async (signal: string) => {
        console.log(`coretex worker: ${signal}, draining (grace ${options.drainGraceMs} ms)`);
        await worker.drain({ graceMs: options.drainGraceMs });
        console.log('coretex worker: drained');
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
