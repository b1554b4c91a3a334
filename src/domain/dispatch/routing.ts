/**
 * Routing settings (SPEC 1.5, 1.6; config key `routing`): which pools serve a topic, what a pool can
 * do, and the operator's switches (cordoned workers, paused topics). Parsed from config by
 * `config/settings.ts`; the defaults below apply field by field when a key is absent.
 */
import { matchesTopicGlob } from '../safety/topic-glob.ts';

/** SPEC 1.1: `job.<name>[.<name>...]`, each name `[a-z0-9_-]+`. */
export const TOPIC_PATTERN = /^job(\.[a-z0-9_-]+)+$/;

/** Pool names appear in subjects (`q.<pool>.<topic>`) and queue groups, so they stay subject-safe. */
export const POOL_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface PoolSettings {
  /** Capabilities the pool offers; a job's `requires` must be a subset. */
  readonly requires: readonly string[];
}

export interface RoutingSettings {
  /** Exact topic → pools, in order of preference (config accepts a single name or a list). */
  readonly topics: Readonly<Record<string, readonly string[]>>;
  /** A pool named by `topics` but not declared here offers no capabilities (`requires: []`). */
  readonly pools: Readonly<Record<string, PoolSettings>>;
  readonly cordoned_workers: readonly string[];
  /** Topic globs (see `safety/topic-glob.ts`); a paused topic's jobs wait in the `paused` queue. */
  readonly paused_topics: readonly string[];
  /** A worker whose last heartbeat is this old (or older) is expired. */
  readonly worker_ttl_ms: number;
}

export const DEFAULT_WORKER_TTL_MS = 30_000;

export const DEFAULT_ROUTING: RoutingSettings = {
  topics: { 'job.default': ['default'] },
  pools: { default: { requires: [] } },
  cordoned_workers: [],
  paused_topics: [],
  worker_ttl_ms: DEFAULT_WORKER_TTL_MS,
};

export function poolRequires(routing: RoutingSettings, pool: string): readonly string[] {
  return Object.hasOwn(routing.pools, pool) ? (routing.pools[pool]?.requires ?? []) : [];
}

export function isSubset(wanted: readonly string[], offered: readonly string[]): boolean {
  return wanted.every((item) => offered.includes(item));
}

/** The pools mapped to the topic that offer everything the job requires, in preference order. */
export function eligiblePools(routing: RoutingSettings, topic: string, requires: readonly string[]): readonly string[] {
  const mapped = Object.hasOwn(routing.topics, topic) ? (routing.topics[topic] ?? []) : [];
  return mapped.filter((pool) => isSubset(requires, poolRequires(routing, pool)));
}

export function isTopicPaused(routing: RoutingSettings, topic: string): boolean {
  return routing.paused_topics.some((glob) => matchesTopicGlob(glob, topic));
}

export function isCordoned(routing: RoutingSettings, workerId: string): boolean {
  return routing.cordoned_workers.includes(workerId);
}
