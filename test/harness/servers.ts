/**
 * Real servers for tests and benchmarks: a private `nats-server -js` (temporary store directory) and
 * `redis-server` (no persistence), each on a free loopback port, started and stopped by the caller.
 * When a binary is missing, root with apt-get installs it; anyone else gets a message naming the
 * Debian packages to install.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SEARCH_PATH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin'];

function findBinary(name: string): string | null {
  for (const dir of SEARCH_PATH) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next directory
    }
  }
  return null;
}

/** Returns the paths of nats-server and redis-server, installing them with apt-get when possible. */
export function ensureServerBinaries(): { nats: string; redis: string } {
  let nats = findBinary('nats-server');
  let redis = findBinary('redis-server');
  if (nats !== null && redis !== null) return { nats, redis };
  const missing = [nats === null ? 'nats-server' : null, redis === null ? 'redis-server' : null].filter(Boolean);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || findBinary('apt-get') === null) {
    throw new Error(
      `The tests need ${missing.join(' and ')} (Debian packages: ${missing.join(' ')}). ` +
        `Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', ...(missing as string[])], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  nats = findBinary('nats-server');
  redis = findBinary('redis-server');
  if (nats === null || redis === null) throw new Error(`apt-get did not provide ${missing.join(' and ')}`);
  return { nats, redis };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** How a stop went: the signal sent, how long the exit took, and whether it had to be forced. */
export interface StopRecord {
  readonly signal: NodeJS.Signals;
  readonly ms: number;
  /** The process outlived the grace period and was SIGKILLed. */
  readonly escalated: boolean;
}

export interface StopOptions {
  /** How long a SIGTERM is given before SIGKILL (default 5 s). */
  readonly graceMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** How the last stop (or the stop of the last restart) went; null before the first. */
  readonly lastStop: StopRecord | null;
  /** Stops the server (SIGTERM, then SIGKILL after the grace period); its data directory is kept until `dispose`. */
  stop(signal?: NodeJS.Signals, options?: StopOptions): Promise<StopRecord | null>;
  /**
   * Starts it again on the same port with the same data directory, after a stop with `signal`
   * (default SIGTERM: a graceful stop, SIGKILL only past the grace period).
   */
  restart(signal?: NodeJS.Signals, options?: StopOptions): Promise<StopRecord | null>;
  /** Stops it and deletes its data directory. */
  dispose(): Promise<void>;
}

export interface Spawned {
  child: ChildProcess;
  exited: Promise<void>;
}

export function spawnUntilReady(binary: string, args: string[], readyLine: RegExp, label: string): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not become ready in 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyLine.test(output)) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/**
 * Sends `signal` and waits for the exit; a process still there after `graceMs` is SIGKILLed (which,
 * for a server, is a crash: the record says so). Null when there was nothing to stop.
 */
export async function stopChild(
  spawned: Spawned | null,
  signal: NodeJS.Signals,
  { graceMs = 5000 }: StopOptions = {},
): Promise<StopRecord | null> {
  if (spawned === null || spawned.child.exitCode !== null || spawned.child.signalCode !== null) return null;
  const started = Date.now();
  let escalated = false;
  spawned.child.kill(signal);
  const killer =
    signal === 'SIGKILL'
      ? null
      : setTimeout(() => {
          escalated = true;
          spawned.child.kill('SIGKILL');
        }, graceMs);
  await spawned.exited;
  if (killer !== null) clearTimeout(killer);
  return { signal, ms: Date.now() - started, escalated };
}

export interface NatsServerOptions {
  readonly port?: number;
  /** Extra configuration file content (accounts, users, cluster); `jetstream` is always enabled. */
  readonly config?: string;
  readonly args?: readonly string[];
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<RunningServer> {
  const { nats } = ensureServerBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'coretex-nats-'));
  const port = options.port ?? (await freePort());
  const configPath = join(dir, 'server.conf');
  writeFileSync(
    configPath,
    `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'js')}" }\n${options.config ?? ''}\n`,
  );
  const args = ['-c', configPath, ...(options.args ?? [])];
  let spawned: Spawned | null = await spawnUntilReady(nats, args, /Server is ready/, 'nats-server');
  let lastStop: StopRecord | null = null;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return spawned?.child.pid ?? -1;
    },
    get lastStop() {
      return lastStop;
    },
    async stop(signal = 'SIGTERM', options = {}) {
      lastStop = (await stopChild(spawned, signal, options)) ?? lastStop;
      spawned = null;
      return lastStop;
    },
    async restart(signal = 'SIGTERM', options = {}) {
      lastStop = (await stopChild(spawned, signal, options)) ?? lastStop;
      spawned = await spawnUntilReady(nats, args, /Server is ready/, 'nats-server');
      return lastStop;
    },
    async dispose() {
      await stopChild(spawned, 'SIGTERM');
      spawned = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRedisServer(options: { port?: number } = {}): Promise<RunningServer> {
  const { redis } = ensureServerBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'coretex-redis-'));
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  let spawned: Spawned | null = await spawnUntilReady(redis, args, /Ready to accept connections/, 'redis-server');
  let lastStop: StopRecord | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return spawned?.child.pid ?? -1;
    },
    get lastStop() {
      return lastStop;
    },
    async stop(signal = 'SIGTERM', options = {}) {
      lastStop = (await stopChild(spawned, signal, options)) ?? lastStop;
      spawned = null;
      return lastStop;
    },
    async restart(signal = 'SIGTERM', options = {}) {
      lastStop = (await stopChild(spawned, signal, options)) ?? lastStop;
      spawned = await spawnUntilReady(redis, args, /Ready to accept connections/, 'redis-server');
      return lastStop;
    },
    async dispose() {
      await stopChild(spawned, 'SIGTERM');
      spawned = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
