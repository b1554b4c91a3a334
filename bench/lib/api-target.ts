/**
 * A server for bench/api, in its own process so the load generator does not share its event loop:
 *   coretex        buildApp with the real deps over Redis (auth, rate limit, validation, serialisation)
 *   bare-list      a bare Fastify route running the same listJobs query
 *   bare-static    a bare Fastify route answering the same page, precomputed (HTTP + JSON floor)
 * Usage: node bench/lib/api-target.ts <mode> <redis-url> <prefix>; prints `listening <port>`.
 */
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { EmbeddedEventStore } from '../../src/adapters/embedded/event-store.ts';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import { buildApp } from '../../src/api/app.ts';
import { hashApiKey } from '../../src/api/auth/api-keys.ts';
import { DEFAULT_API_CONFIG } from '../../src/api/config.ts';
import { createApiDeps } from '../../src/api/deps.ts';
import { silentLogger, systemClock } from '../../src/app/ports.ts';
import { jobsProjection } from '../../src/projections/jobs/projection.ts';
import { listJobs } from '../../src/projections/jobs/queries.ts';

const BENCH_KEY = 'bench-key';
const [mode, redisUrl, prefix] = process.argv.slice(2) as [string, string, string];
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const store = new RedisReadModelStore(redis, prefix);
const active = await store.activeVersion('jobs');
if (active === null) throw new Error('the jobs read model is not seeded');
const ns = { projection: 'jobs', version: active.version };
const query = { tenant: 'acme', filter: {}, sort: 'created' as const, limit: 50 };

let port: number;
if (mode === 'coretex') {
  const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 16 });
  const deps = createApiDeps({
    events,
    readModels: store,
    projections: [jobsProjection],
    clock: systemClock,
    log: silentLogger,
    runtime: { mode: 'distributed', description: 'bench', version: 'bench', startedAt: Date.now() },
  });
  const app = await buildApp(deps, {
    ...DEFAULT_API_CONFIG,
    keys: [{ id: 'bench', hash: hashApiKey(BENCH_KEY), tenant: 'acme', role: 'viewer' }],
    rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
} else {
  const app = Fastify({ logger: false });
  if (mode === 'bare-list') {
    app.get('/api/v1/jobs', async () => listJobs(store, ns, query));
  } else {
    const body = JSON.stringify(await listJobs(store, ns, query));
    app.get('/api/v1/jobs', async (_request, reply) => reply.type('application/json').send(body));
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
}
console.log(`listening ${port}`);
process.on('SIGTERM', () => process.exit(0));
