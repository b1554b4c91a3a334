/**
 * The read-model store in memory, for the embedded default: the same semantics as the Redis store
 * (fenced commits with the checkpoint, hashes, sorted sets ordered by (score, member), strings,
 * versions), proven by the same contract suite. Read models are rebuilt from the event files on start.
 */
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

type Value = Map<string, string> | SortedSet | string;

/** Members ordered by (score, member bytes), like a Redis sorted set. */
class SortedSet {
  readonly scores = new Map<string, number>();
  readonly ordered: ScoredMember[] = [];

  add(member: string, score: number): void {
    if (this.scores.get(member) === score) return;
    this.remove(member);
    this.scores.set(member, score);
    this.ordered.splice(this.#insertionIndex(score, member), 0, { member, score });
  }

  remove(member: string): void {
    const score = this.scores.get(member);
    if (score === undefined) return;
    this.scores.delete(member);
    const index = this.#insertionIndex(score, member);
    this.ordered.splice(index, 1);
  }

  #insertionIndex(score: number, member: string): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.ordered[mid] as ScoredMember, score, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compare(a: ScoredMember, score: number, member: string): number {
  if (a.score !== score) return a.score < score ? -1 : 1;
  return a.member < member ? -1 : a.member > member ? 1 : 0;
}

export class MemoryReadModelStore implements ReadModelStore {
  readonly #data = new Map<string, Value>();
  readonly #pointers = new Map<string, ActiveVersion>();
  readonly #versions = new Map<string, number>();

  async commit(ns: ReadModelNamespace, stream: AggregateType, batch: CommitBatch): Promise<CommitResult> {
    const checkpointKey = this.#key(ns, `_checkpoint:${stream}`);
    const current = Number(this.#data.get(checkpointKey) ?? 0);
    if (current !== batch.expect) return { ok: false, checkpoint: current };
    for (const write of batch.writes) this.#apply(ns, write);
    this.#data.set(checkpointKey, String(batch.checkpoint));
    return { ok: true };
  }

  async checkpoint(ns: ReadModelNamespace, stream: AggregateType): Promise<number> {
    return Number(this.#data.get(this.#key(ns, `_checkpoint:${stream}`)) ?? 0);
  }

  async hgetall(ns: ReadModelNamespace, key: string): Promise<Record<string, string> | null> {
    const hash = this.#data.get(this.#key(ns, key));
    return hash instanceof Map && hash.size > 0 ? Object.fromEntries(hash) : null;
  }

  async hgetallMany(ns: ReadModelNamespace, keys: readonly string[]): Promise<(Record<string, string> | null)[]> {
    return Promise.all(keys.map((key) => this.hgetall(ns, key)));
  }

  async range(ns: ReadModelNamespace, key: string, query: RangeQuery): Promise<ScoredMember[]> {
    const set = this.#data.get(this.#key(ns, key));
    if (!(set instanceof SortedSet) || query.limit <= 0) return [];
    const min = query.min ?? Number.NEGATIVE_INFINITY;
    const max = query.max ?? Number.POSITIVE_INFINITY;
    const items = query.order === 'desc' ? [...set.ordered].reverse() : set.ordered;
    const out: ScoredMember[] = [];
    for (const item of items) {
      if (item.score < min || item.score > max) continue;
      if (query.after !== undefined) {
        const c = compare(item, query.after.score, query.after.member);
        if (query.order === 'desc' ? c >= 0 : c <= 0) continue;
      }
      out.push({ ...item });
      if (out.length >= query.limit) break;
    }
    return out;
  }

  async zcard(ns: ReadModelNamespace, key: string): Promise<number> {
    const set = this.#data.get(this.#key(ns, key));
    return set instanceof SortedSet ? set.scores.size : 0;
  }

  async get(ns: ReadModelNamespace, key: string): Promise<string | null> {
    const value = this.#data.get(this.#key(ns, key));
    return typeof value === 'string' ? value : null;
  }

  async activeVersion(projection: string): Promise<ActiveVersion | null> {
    return this.#pointers.get(projection) ?? null;
  }

  async switchVersion(projection: string, current: ActiveVersion | null, next: ActiveVersion): Promise<boolean> {
    const now = this.#pointers.get(projection) ?? null;
    if (now?.version !== current?.version || now?.schema !== current?.schema) return false;
    this.#pointers.set(projection, { version: next.version, schema: next.schema });
    return true;
  }

  async allocateVersion(projection: string): Promise<number> {
    const next = (this.#versions.get(projection) ?? 0) + 1;
    this.#versions.set(projection, next);
    return next;
  }

  async dropNamespace(ns: ReadModelNamespace): Promise<number> {
    const prefix = this.#key(ns, '');
    let removed = 0;
    for (const key of [...this.#data.keys()]) {
      if (key.startsWith(prefix)) {
        this.#data.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async dump(ns: ReadModelNamespace): Promise<Record<string, unknown>> {
    const prefix = this.#key(ns, '');
    const out: Record<string, unknown> = {};
    for (const [key, value] of this.#data) {
      if (!key.startsWith(prefix)) continue;
      const name = key.slice(prefix.length);
      if (typeof value === 'string') out[name] = value;
      else if (value instanceof SortedSet) out[name] = value.ordered.flatMap((i) => [i.member, String(i.score)]);
      else out[name] = Object.fromEntries(value);
    }
    return out;
  }

  #apply(ns: ReadModelNamespace, write: Write): void {
    const key = this.#key(ns, write.key);
    switch (write.op) {
      case 'hset': {
        if (Object.keys(write.fields).length === 0) return;
        const hash = this.#hash(key);
        for (const [field, value] of Object.entries(write.fields)) hash.set(field, value);
        return;
      }
      case 'hdel': {
        const hash = this.#data.get(key);
        if (!(hash instanceof Map)) return;
        for (const field of write.fields) hash.delete(field);
        if (hash.size === 0) this.#data.delete(key);
        return;
      }
      case 'del':
        this.#data.delete(key);
        return;
      case 'zadd':
        this.#zset(key).add(write.member, write.score);
        return;
      case 'zrem': {
        const set = this.#data.get(key);
        if (!(set instanceof SortedSet)) return;
        set.remove(write.member);
        if (set.scores.size === 0) this.#data.delete(key);
        return;
      }
      case 'set':
        this.#data.set(key, write.value);
        return;
      case 'incr':
        this.#data.set(key, String(Number(this.#data.get(key) ?? 0) + write.by));
        return;
      case 'hincr': {
        const hash = this.#hash(key);
        hash.set(write.field, String(Number(hash.get(write.field) ?? 0) + write.by));
        return;
      }
      case 'hincrIf': {
        const guarded = this.#data.get(this.#key(ns, write.guard.key));
        const has = guarded instanceof Map && guarded.has(write.guard.field);
        if (has !== write.guard.present) return;
        const hash = this.#hash(key);
        hash.set(write.field, String(Number(hash.get(write.field) ?? 0) + write.by));
        return;
      }
    }
  }

  #hash(key: string): Map<string, string> {
    const value = this.#data.get(key);
    if (value instanceof Map) return value;
    const hash = new Map<string, string>();
    this.#data.set(key, hash);
    return hash;
  }

  #zset(key: string): SortedSet {
    const value = this.#data.get(key);
    if (value instanceof SortedSet) return value;
    const set = new SortedSet();
    this.#data.set(key, set);
    return set;
  }

  #key(ns: ReadModelNamespace, key: string): string {
    return `{${ns.projection}:v${ns.version}}:${key}`;
  }
}
