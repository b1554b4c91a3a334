/**
 * What the servers and processes have done so far, read before and after a measured window: NATS
 * messages in and out and slow consumers (`/varz`), the last sequence of some JetStream streams
 * (`/jsz`: events appended), Redis commands processed, CPU seconds per process.
 */
import type { Redis } from 'ioredis';
import { cpuSnapshot } from './proc-stat.ts';

export interface Counters {
  readonly at: number;
  readonly natsIn: number;
  readonly natsOut: number;
  readonly slowConsumers: number;
  /** Last sequence per stream name asked for (0 when the stream does not exist yet). */
  readonly streamHeads: Readonly<Record<string, number>>;
  readonly redisCommands: number;
  readonly cpu: Record<string, number>;
}

async function natsMonitor<T>(port: number, path: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return (await response.json()) as T;
}

async function streamHeads(monitorPort: number, names: readonly string[]): Promise<Record<string, number>> {
  const jsz = await natsMonitor<{
    account_details?: { stream_detail?: { name: string; state: { last_seq: number } }[] }[];
  }>(monitorPort, '/jsz?accounts=true&streams=true');
  const heads: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const account of jsz.account_details ?? []) {
    for (const stream of account.stream_detail ?? []) {
      if (names.includes(stream.name)) heads[stream.name] = stream.state.last_seq;
    }
  }
  return heads;
}

export async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** The event stream of an aggregate type as JetStream names it (`<PREFIX>_<TYPE>`). */
export function eventStreamName(prefix: string, type: 'job' | 'run'): string {
  return `${prefix}_${type}`.toUpperCase();
}

export async function counters(
  monitorPort: number,
  redis: Redis,
  pids: Readonly<Record<string, number>>,
  streams: readonly string[],
): Promise<Counters> {
  const varz = await natsMonitor<{ in_msgs: number; out_msgs: number; slow_consumers: number }>(monitorPort, '/varz');
  return {
    at: performance.now(),
    natsIn: varz.in_msgs,
    natsOut: varz.out_msgs,
    slowConsumers: varz.slow_consumers,
    streamHeads: await streamHeads(monitorPort, streams),
    redisCommands: await redisCommands(redis),
    cpu: cpuSnapshot(pids),
  };
}
