/**
 * Vitest global set-up: one private nats-server (JetStream) and one redis-server for the whole run,
 * or the servers named by NATS_URL / REDIS_URL. Test files isolate themselves by prefix (see
 * `uniquePrefix`), so they run in parallel on the same servers.
 */
import type { TestProject } from 'vitest/node';
import { type RunningServer, startNatsServer, startRedisServer } from './servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Shown in every run: the tests run on the Node pinned in package.json, not the machine's.
  console.log(`coretex tests on Node ${process.version}`);
  const started: RunningServer[] = [];
  let natsUrl = process.env.NATS_URL;
  let redisUrl = process.env.REDIS_URL;
  if (natsUrl === undefined || natsUrl === '') {
    const nats = await startNatsServer();
    started.push(nats);
    natsUrl = nats.url;
  }
  if (redisUrl === undefined || redisUrl === '') {
    const redis = await startRedisServer();
    started.push(redis);
    redisUrl = redis.url;
  }
  project.provide('natsUrl', natsUrl);
  project.provide('redisUrl', redisUrl);
  return async () => {
    await Promise.all(started.map((server) => server.dispose()));
  };
}
