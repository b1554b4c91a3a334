/**
 * Coretex and workers as separate processes for end-to-end tests (ARCHITECTURE.md section 7): the real
 * `coretex start` and `coretex worker --example` commands, talking to real NATS + Redis under a
 * private prefix, driven over HTTP from outside. Each process's output is kept for diagnosis.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../../src/api/auth/api-keys.ts';
import { waitFor } from '../../harness/wait-for.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');

export const KEYS = {
  admin: 'admin-key-for-e2e-tests-000000000000',
  acme: 'acme-operator-key-for-e2e-000000000000',
  globex: 'globex-operator-key-for-e2e-0000000000',
} as const;

export function apiKeysEnv(): string {
  return JSON.stringify([
    { id: 'admin', hash: hashApiKey(KEYS.admin), tenant: '*', role: 'admin' },
    { id: 'acme', hash: hashApiKey(KEYS.acme), tenant: 'acme', role: 'admin' },
    { id: 'globex', hash: hashApiKey(KEYS.globex), tenant: 'globex', role: 'operator' },
  ]);
}

export interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

const running = new Set<Proc>();

export function spawnProc(args: string[], env: Record<string, string>): Proc {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CORETEX_') && name !== 'PORT'),
  );
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: Proc = {
    child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      running.delete(proc);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(proc);
    },
  };
  running.add(proc);
  return proc;
}

/** Kills whatever a test left running (but the processes named in `except`). */
export async function killAll(except: readonly Proc[] = []): Promise<void> {
  const keep = new Set(except.map((p) => p.child));
  await Promise.all([...running].filter((p) => !keep.has(p.child)).map((p) => p.kill()));
}

export interface CoretexProcess extends Proc {
  readonly url: string;
}

export interface Installation {
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
}

export async function startCoretex(
  installation: Installation,
  options: { roles?: string; env?: Record<string, string> } = {},
): Promise<CoretexProcess> {
  const proc = spawnProc(['start', ...(options.roles === undefined ? [] : ['--roles', options.roles])], {
    NATS_URL: installation.natsUrl,
    REDIS_URL: installation.redisUrl,
    CORETEX_PREFIX: installation.prefix,
    CORETEX_PARTITIONS: '4',
    CORETEX_API_KEYS: apiKeysEnv(),
    CORETEX_LOG_LEVEL: 'warn',
    PORT: '0',
    ...options.env,
  });
  const url = await waitFor(
    'coretex to listen',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`coretex exited:\n${proc.output()}`);
      return /API listening on (http:\/\/[^\s]+)/.exec(proc.output())?.[1];
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- coretex output ---\n${proc.output()}`);
  });
  return { ...proc, url };
}

/** A Coretex process without the API role (its readiness shows in its log line of roles). */
export async function startCoretexWithoutApi(
  installation: Installation,
  roles: string,
  env: Record<string, string> = {},
): Promise<Proc> {
  const proc = spawnProc(['start', '--roles', roles], {
    NATS_URL: installation.natsUrl,
    REDIS_URL: installation.redisUrl,
    CORETEX_PREFIX: installation.prefix,
    CORETEX_PARTITIONS: '4',
    CORETEX_LOG_LEVEL: 'warn',
    ...env,
  });
  await waitFor('coretex to start its roles', () => proc.output().includes('coretex: roles'), { timeoutMs: 30_000 });
  return proc;
}

export interface WorkerProcess extends Proc {
  readonly id: string;
  readonly logFile: string;
  /** The executions this worker logged: one entry per start/complete/abort. */
  executions(): { event: string; job_id: string; attempt: number; at: number; [key: string]: unknown }[];
}

export async function startWorker(
  installation: Installation,
  options: {
    id: string;
    pool?: string;
    maxParallel?: number;
    sleepMs?: number;
    failFirst?: number;
    failMarked?: number;
    echoEnv?: string[];
    failRate?: number;
    status?: string;
    topics?: string[];
    acceptDelayMs?: number;
    handOffDelayMs?: number;
    env?: Record<string, string>;
  },
): Promise<WorkerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'coretex-worker-'));
  const logFile = join(dir, 'executions.jsonl');
  const args = [
    'worker',
    '--example',
    '--worker-id',
    options.id,
    '--prefix',
    installation.prefix,
    '--execution-log',
    logFile,
  ];
  if (options.pool !== undefined) args.push('--pool', options.pool);
  if (options.maxParallel !== undefined) args.push('--max-parallel', String(options.maxParallel));
  if (options.sleepMs !== undefined) args.push('--sleep-ms', String(options.sleepMs));
  if (options.failFirst !== undefined) args.push('--fail-first', String(options.failFirst));
  if (options.failMarked !== undefined) args.push('--fail-marked', String(options.failMarked));
  if (options.echoEnv !== undefined) args.push('--echo-env', options.echoEnv.join(','));
  if (options.failRate !== undefined) args.push('--fail-rate', String(options.failRate));
  if (options.status !== undefined) args.push('--status', options.status);
  if (options.topics !== undefined) args.push('--topics', options.topics.join(','));
  if (options.acceptDelayMs !== undefined) args.push('--accept-delay-ms', String(options.acceptDelayMs));
  if (options.handOffDelayMs !== undefined) args.push('--hand-off-delay-ms', String(options.handOffDelayMs));
  const proc = spawnProc(args, { NATS_URL: installation.natsUrl, ...options.env });
  await waitFor(
    'the worker to take work',
    () => {
      if (proc.child.exitCode !== null) throw new Error(`worker exited:\n${proc.output()}`);
      return proc.output().includes('is taking work');
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  return {
    ...proc,
    id: options.id,
    logFile,
    executions() {
      let text: string;
      try {
        text = readFileSync(logFile, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { event: string; job_id: string; attempt: number; at: number });
    },
    async stop() {
      const code = await proc.stop();
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
