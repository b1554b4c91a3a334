/**
 * The child processes of a benchmark: `node <args>` started and awaited until its output says it is
 * ready, each stoppable on its own, and all of them by `stopChildren()` (on the way out or Ctrl-C).
 * `BENCH_LOG_DIR=<dir>` keeps each child's whole output in `<dir>/<name>.log`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface Child {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

const children = new Set<Child>();

/**
 * Starts `node <argv>` and resolves once its output matches `ready`. The benchmark's own `CORETEX_*`
 * and `PORT` variables are not passed on: `env` says everything the child is configured with.
 */
export function spawnNode(
  name: string,
  argv: string[],
  env: Record<string, string>,
  ready: RegExp,
  ipc = false,
): Promise<Child> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('CORETEX_') && key !== 'PORT'),
  );
  const child = spawn(process.execPath, argv, {
    env: { ...clean, ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // BENCH_LOG_DIR=<dir>: every line a child writes also goes to <dir>/<name>.log (a long run's warnings).
  const log = process.env.BENCH_LOG_DIR ? createWriteStream(join(process.env.BENCH_LOG_DIR, `${name}.log`)) : null;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    log?.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;
  // A process that dies during a run makes every figure after it meaningless: say so, with its last words.
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(`\n${name} exited unexpectedly (${signal ?? `code ${code}`}):\n${output.slice(-4000)}`);
  });
  const handle: Child = {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => output,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      children.delete(handle);
    },
  };
  children.add(handle);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}

/** Stops every child still running. */
export async function stopChildren(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
