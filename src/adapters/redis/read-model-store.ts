/**
 * The read-model store on Redis (ARCHITECTURE.md section 4). Keys of one projection version live under
 * `{<prefix>:<projection>:v<version>}:` — one hash tag — so a batch and its checkpoint commit in one
 * Lua script, fenced on the stored checkpoint: a runner that lost its lease cannot apply a batch twice.
 */
import type { Redis } from 'ioredis';
import type {
  ActiveVersion,
  CommitBatch,
  CommitResult,
  RangeQuery,
  ReadModelStore,
  ScoredMember,
} from '../../app/ports.ts';
import type { AggregateType } from '../../domain/shared/stream.ts';
import type { ReadModelNamespace } from '../../projections/projection.ts';
import type { Write } from '../../projections/write.ts';
import { COMMIT, RANGE, SWITCH } from './read-model-scripts.ts';

interface ScriptedRedis extends Redis {
  coretexCommit(key: string, expect: number, checkpoint: number, namespace: string, writes: string): Promise<number>;
  coretexRange(key: string, ...args: (string | number)[]): Promise<string[]>;
  coretexSwitch(key: string, ...args: string[]): Promise<number>;
}

export class RedisReadModelStore implements ReadModelStore {
  readonly #redis: ScriptedRedis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    redis.defineCommand('coretexCommit', { numberOfKeys: 1, lua: COMMIT });
    redis.defineCommand('coretexRange', { numberOfKeys: 1, lua: RANGE });
    redis.defineCommand('coretexSwitch', { numberOfKeys: 1, lua: SWITCH });
    this.#redis = redis as ScriptedRedis;
    this.#prefix = prefix;
  }

  async commit(ns: ReadModelNamespace, stream: AggregateType, batch: CommitBatch): Promise<CommitResult> {
    const flat: string[] = [];
    for (const write of batch.writes) encode(write, flat);
    const result = await this.#redis.coretexCommit(
      this.#checkpointKey(ns, stream),
      batch.expect,
      batch.checkpoint,
      this.#namespace(ns),
      writesJson(flat),
    );
    return result === -1 ? { ok: true } : { ok: false, checkpoint: result };
  }

  async checkpoint(ns: ReadModelNamespace, stream: AggregateType): Promise<number> {
    return Number((await this.#redis.get(this.#checkpointKey(ns, stream))) ?? 0);
  }

  async hgetall(ns: ReadModelNamespace, key: string): Promise<Record<string, string> | null> {
    const hash = await this.#redis.hgetall(this.#namespace(ns) + key);
    return Object.keys(hash).length === 0 ? null : hash;
  }

  async hgetallMany(ns: ReadModelNamespace, keys: readonly string[]): Promise<(Record<string, string> | null)[]> {
    if (keys.length === 0) return [];
    const prefix = this.#namespace(ns);
    const pipeline = this.#redis.pipeline();
    for (const key of keys) pipeline.hgetall(prefix + key);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, hash]) => {
      if (error) throw error;
      const record = hash as Record<string, string>;
      return Object.keys(record).length === 0 ? null : record;
    });
  }

  async range(ns: ReadModelNamespace, key: string, query: RangeQuery): Promise<ScoredMember[]> {
    if (query.limit <= 0) return [];
    const desc = query.order === 'desc';
    // The cursor also bounds the range on its side: nothing past it in the query's order is read.
    const cursor = query.after?.score;
    const max = desc && cursor !== undefined ? Math.min(query.max ?? cursor, cursor) : query.max;
    const min = !desc && cursor !== undefined ? Math.max(query.min ?? cursor, cursor) : query.min;
    const high = bound(max, '+inf');
    const low = bound(min, '-inf');
    const flat = await this.#redis.coretexRange(
      this.#namespace(ns) + key,
      query.order,
      desc ? high : low,
      desc ? low : high,
      query.after === undefined ? '' : String(query.after.score),
      query.after?.member ?? '',
      query.limit,
    );
    const out: ScoredMember[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ member: flat[i] as string, score: Number(flat[i + 1]) });
    return out;
  }

  zcard(ns: ReadModelNamespace, key: string): Promise<number> {
    return this.#redis.zcard(this.#namespace(ns) + key);
  }

  get(ns: ReadModelNamespace, key: string): Promise<string | null> {
    return this.#redis.get(this.#namespace(ns) + key);
  }

  async activeVersion(projection: string): Promise<ActiveVersion | null> {
    const raw = await this.#redis.get(this.#pointerKey(projection));
    return raw === null ? null : (JSON.parse(raw) as ActiveVersion);
  }

  async switchVersion(projection: string, current: ActiveVersion | null, next: ActiveVersion): Promise<boolean> {
    const switched = await this.#redis.coretexSwitch(
      this.#pointerKey(projection),
      current === null ? '' : pointerValue(current),
      pointerValue(next),
    );
    return switched === 1;
  }

  allocateVersion(projection: string): Promise<number> {
    return this.#redis.incr(`${this.#prefix}:rm:${projection}:versions`);
  }

  async dropNamespace(ns: ReadModelNamespace): Promise<number> {
    let removed = 0;
    for (const keys of await this.#scan(ns)) {
      removed += await this.#redis.unlink(...keys);
    }
    return removed;
  }

  async dump(ns: ReadModelNamespace): Promise<Record<string, unknown>> {
    const prefix = this.#namespace(ns);
    const out: Record<string, unknown> = {};
    for (const keys of await this.#scan(ns)) {
      for (const key of keys) {
        const type = await this.#redis.type(key);
        const name = key.slice(prefix.length);
        if (type === 'hash') out[name] = await this.#redis.hgetall(key);
        else if (type === 'zset') out[name] = await this.#redis.zrange(key, '0', '-1', 'WITHSCORES');
        else if (type === 'string') out[name] = await this.#redis.get(key);
        else out[name] = `<${type}>`;
      }
    }
    return out;
  }

  async #scan(ns: ReadModelNamespace): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${this.#namespace(ns)}*`, 'COUNT', '1000');
      cursor = next;
      if (keys.length > 0) pages.push(keys);
    } while (cursor !== '0');
    return pages;
  }

  #namespace(ns: ReadModelNamespace): string {
    return `{${this.#prefix}:${ns.projection}:v${ns.version}}:`;
  }

  #checkpointKey(ns: ReadModelNamespace, stream: AggregateType): string {
    return `${this.#namespace(ns)}_checkpoint:${stream}`;
  }

  #pointerKey(projection: string): string {
    return `${this.#prefix}:rm:${projection}:active`;
  }
}

/**
 * The writes as the JSON the commit script decodes. A lone UTF-16 surrogate (possible in a string a
 * client sent as JSON) has no UTF-8 form and cjson refuses its escape, so such text is made well
 * formed first, as writing it to the socket as UTF-8 always did (U+FFFD).
 */
function writesJson(flat: string[]): string {
  const json = JSON.stringify(flat);
  return json.includes('\\ud') ? JSON.stringify(flat.map((text) => text.toWellFormed())) : json;
}

function encode(write: Write, args: string[]): void {
  switch (write.op) {
    case 'hset': {
      const entries = Object.entries(write.fields);
      if (entries.length === 0) return;
      args.push('hset', write.key, String(entries.length));
      for (const [field, value] of entries) args.push(field, value);
      return;
    }
    case 'hdel':
      if (write.fields.length === 0) return;
      args.push('hdel', write.key, String(write.fields.length), ...write.fields);
      return;
    case 'del':
      args.push('del', write.key);
      return;
    case 'zadd':
      args.push('zadd', write.key, String(write.score), write.member);
      return;
    case 'zrem':
      args.push('zrem', write.key, write.member);
      return;
    case 'set':
      args.push('set', write.key, write.value);
      return;
    case 'incr':
      args.push('incr', write.key, String(write.by));
      return;
    case 'hincr':
      args.push('hincr', write.key, write.field, String(write.by));
      return;
    case 'hincrIf': {
      const { guard } = write;
      args.push('hincrif', write.key, write.field, String(write.by), guard.key, guard.field, guard.present ? '1' : '0');
      return;
    }
  }
}

function bound(value: number | undefined, infinite: string): string {
  return value === undefined ? infinite : String(value);
}

function pointerValue(version: ActiveVersion): string {
  return JSON.stringify({ version: version.version, schema: version.schema });
}
