/**
 * Leases in Redis: the holder's record lives under a key with a Redis-side TTL (so expiry needs no
 * agreement between clocks), and a per-lease counter gives each new holder a larger fencing token.
 * Every check-and-act is one Lua script, atomic on the server.
 */
import type { Redis } from 'ioredis';
import type { Clock, Lease, LeaseStore } from '../../app/ports.ts';
import { systemClock } from '../../app/ports.ts';

const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then
  local holder = cjson.decode(current)
  if holder.owner ~= ARGV[1] then return -1 end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return holder.token
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], cjson.encode({owner = ARGV[1], token = token}), 'PX', ARGV[2])
return token`;

const RENEW = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local holder = cjson.decode(current)
if holder.owner ~= ARGV[1] or holder.token ~= tonumber(ARGV[2]) then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const RELEASE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local holder = cjson.decode(current)
if holder.owner ~= ARGV[1] or holder.token ~= tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

export class RedisLeaseStore implements LeaseStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #clock: Clock;

  constructor(redis: Redis, prefix: string, clock: Clock = systemClock) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#clock = clock;
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const [holderKey, fenceKey] = this.#keys(name);
    const token = Number(await this.#redis.eval(ACQUIRE, 2, holderKey, fenceKey, owner, ttlMs));
    if (token < 0) return null;
    return { name, owner, token, expiresAt: this.#clock.now() + ttlMs, revision: token };
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | null> {
    const [holderKey] = this.#keys(lease.name);
    const renewed = Number(await this.#redis.eval(RENEW, 1, holderKey, lease.owner, lease.token, ttlMs));
    return renewed === 1 ? { ...lease, expiresAt: this.#clock.now() + ttlMs } : null;
  }

  async release(lease: Lease): Promise<boolean> {
    const [holderKey] = this.#keys(lease.name);
    return Number(await this.#redis.eval(RELEASE, 1, holderKey, lease.owner, lease.token)) === 1;
  }

  /** Both keys share one hash tag, so the scripts work on Redis Cluster. */
  #keys(name: string): [string, string] {
    const tag = `{${this.#prefix}:lease:${name}}`;
    return [`${tag}:holder`, `${tag}:fence`];
  }
}
