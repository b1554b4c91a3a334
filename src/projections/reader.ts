/**
 * What queries need from a read-model store: reads only. The store port (src/app/ports.ts) extends
 * this, so queries here depend on nothing outside the domain and this folder.
 */
import type { ReadModelNamespace } from './projection.ts';

export interface ScoredMember {
  readonly member: string;
  readonly score: number;
}

export interface RangeQuery {
  readonly order: 'desc' | 'asc';
  /** Inclusive score bounds. */
  readonly min?: number;
  readonly max?: number;
  /** Continue strictly after this (score, member), in the query's order: the composite cursor. */
  readonly after?: ScoredMember;
  readonly limit: number;
}

export interface ReadModelReader {
  hgetall(ns: ReadModelNamespace, key: string): Promise<Record<string, string> | null>;
  hgetallMany(ns: ReadModelNamespace, keys: readonly string[]): Promise<(Record<string, string> | null)[]>;
  range(ns: ReadModelNamespace, key: string, query: RangeQuery): Promise<ScoredMember[]>;
  zcard(ns: ReadModelNamespace, key: string): Promise<number>;
  get(ns: ReadModelNamespace, key: string): Promise<string | null>;
}
