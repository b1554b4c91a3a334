/** The lease and read-model contracts against the Redis adapters, on a real redis-server. */
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { RedisLeaseStore } from '../../src/adapters/redis/lease-store.ts';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { leaseContract } from './lease.contract.ts';
import { readModelContract } from './read-model.contract.ts';

const redisUrl = inject('redisUrl');

leaseContract('redis', async () => {
  const prefix = uniquePrefix();
  const [a, b] = [new Redis(redisUrl), new Redis(redisUrl)];
  return {
    leases: new RedisLeaseStore(a, prefix),
    other: new RedisLeaseStore(b, prefix),
    async dispose() {
      const keys = await a.keys(`{${prefix}:*`);
      if (keys.length > 0) await a.del(...keys);
      a.disconnect();
      b.disconnect();
    },
  };
});

readModelContract('redis', async () => {
  const prefix = uniquePrefix();
  const redis = new Redis(redisUrl);
  return {
    store: new RedisReadModelStore(redis, prefix),
    async dispose() {
      const keys = [...(await redis.keys(`{${prefix}:*`)), ...(await redis.keys(`${prefix}:*`))];
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
});
