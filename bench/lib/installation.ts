/**
 * A private Coretex installation for an end-to-end benchmark: `nats-server -js` (with its monitoring
 * port) and `redis-server` on free ports, `coretex start` (every role) as one process, and
 * `coretex worker --example` processes (no-op: `--sleep-ms 0`) on pool `default`, all configured
 * through their environment. With `split`, Coretex runs as three processes instead (api; scheduler,
 * workflows and reconciler; projector), so CPU per process shows what each part costs.
 * BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each Coretex process into <dir> when it stops.
 */
import { join } from 'node:path';
import { hashApiKey } from '../../src/api/auth/api-keys.ts';
import { freePort, type RunningServer, startNatsServer, startRedisServer } from '../../test/harness/servers.ts';
import { type Child, spawnNode, stopChildren } from './processes.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
/** A viewer key bound to `*`: what `/metrics` needs (it spans every tenant); the benchmark key is one tenant's. */
export const METRICS_KEY = 'bench-metrics-key-000000000000000000000';
const API_LISTENING = /API listening on (http:\/\/\S+)/;

export interface InstallationOptions {
  readonly prefix: string;
  readonly tenant: string;
  /** The API key the benchmark calls with (an admin of `tenant`). */
  readonly key: string;
  readonly workers: number;
  /** Jobs each worker runs at once. */
  readonly workerMaxParallel: number;
  /** CORETEX_PARTITIONS; the default when undefined. */
  readonly partitions?: string | undefined;
  /** More environment for the Coretex process. */
  readonly env?: Record<string, string>;
  /** Coretex as three processes by role instead of one. */
  readonly split?: boolean;
  /**
   * Coretex as one process per role set (`--roles` lists), the first serving the API: any split, e.g.
   * `['api,projector', 'scheduler,workflows,reconciler']`. Overrides `split`.
   */
  readonly processes?: readonly string[];
}

const SPLIT_ROLES: readonly (readonly [string, string])[] = [
  ['coretex-api', 'api'],
  ['coretex-sched', 'scheduler,workflows,reconciler'],
  ['coretex-proj', 'projector'],
];

/** Names processes by their first role (`coretex-api`, `coretex-scheduler`, …). */
function rolesPerProcess(options: InstallationOptions): readonly (readonly [string, string | null])[] {
  if (options.processes !== undefined && options.processes.length > 0) {
    if (!(options.processes[0] ?? '').split(',').includes('api')) {
      throw new Error('the first process of --processes must have the api role');
    }
    return options.processes.map((roles) => [`coretex-${roles.split(',')[0] ?? 'x'}`, roles] as const);
  }
  return options.split === true ? SPLIT_ROLES : [['coretex', null]];
}

export interface Installation {
  readonly nats: RunningServer;
  readonly redis: RunningServer;
  readonly monitorPort: number;
  /** The Coretex process serving the API (the only one unless `split`). */
  readonly coretex: Child;
  readonly workers: readonly Child[];
  readonly apiUrl: string;
  /** The processes whose CPU a benchmark reports, by name (the benchmark itself as `bench`). */
  readonly pids: Readonly<Record<string, number>>;
  /** Stops the workers and Coretex; the servers stay (for a reference run on the same Redis). */
  stopCoretex(): Promise<void>;
  /** Stops everything this installation started. */
  dispose(): Promise<void>;
}

export async function startInstallation(options: InstallationOptions): Promise<Installation> {
  const servers: RunningServer[] = [];
  const dispose = async () => {
    await stopChildren();
    await Promise.all(servers.map((s) => s.dispose()));
    servers.length = 0;
  };
  process.once('SIGINT', () => {
    void dispose().finally(() => process.exit(130));
  });
  try {
    const monitorPort = await freePort();
    const nats = await startNatsServer({ args: ['-m', String(monitorPort)] });
    servers.push(nats);
    const redis = await startRedisServer();
    servers.push(redis);
    const profile = process.env.BENCH_CPU_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
      : [];
    const env = {
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      CORETEX_PREFIX: options.prefix,
      CORETEX_API_KEYS: JSON.stringify([
        { id: 'bench', hash: hashApiKey(options.key), tenant: options.tenant, role: 'admin' },
        { id: 'bench-metrics', hash: hashApiKey(METRICS_KEY), tenant: '*', role: 'viewer' },
      ]),
      CORETEX_API_RATE_LIMIT: '999999999/1s',
      CORETEX_LOG_LEVEL: 'warn',
      PORT: '0',
      ...(options.partitions === undefined ? {} : { CORETEX_PARTITIONS: options.partitions }),
      ...options.env,
    };
    const coretexProcesses: Child[] = [];
    for (const [name, roles] of rolesPerProcess(options)) {
      const argv = [...profile, CLI, 'start', ...(roles === null ? [] : ['--roles', roles])];
      coretexProcesses.push(await spawnNode(name, argv, env, /coretex: running/));
    }
    const coretex = coretexProcesses[0] as Child;
    const apiUrl = API_LISTENING.exec(coretex.output())?.[1] as string;
    const workers: Child[] = [];
    for (let w = 1; w <= options.workers; w++) {
      workers.push(
        await spawnNode(
          `worker-${w}`,
          [
            CLI,
            'worker',
            '--example',
            '--worker-id',
            `bench-worker-${w}`,
            '--prefix',
            options.prefix,
            '--pool',
            'default',
            '--sleep-ms',
            '0',
            '--max-parallel',
            String(options.workerMaxParallel),
          ],
          { NATS_URL: nats.url },
          /is taking work/,
        ),
      );
    }
    return {
      nats,
      redis,
      monitorPort,
      coretex,
      workers,
      apiUrl,
      pids: {
        ...Object.fromEntries(coretexProcesses.map((c) => [c.name, c.pid])),
        ...Object.fromEntries(workers.map((w) => [w.name, w.pid])),
        'nats-server': nats.pid,
        'redis-server': redis.pid,
        bench: process.pid,
      },
      async stopCoretex() {
        for (const worker of workers) await worker.stop();
        for (const c of coretexProcesses) await c.stop();
      },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
