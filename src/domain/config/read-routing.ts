/** Reads `routing` (dispatch/routing.ts) from config data. */
import {
  DEFAULT_ROUTING,
  POOL_PATTERN,
  type PoolSettings,
  type RoutingSettings,
  TOPIC_PATTERN,
} from '../dispatch/routing.ts';
import { topicGlobProblem } from '../safety/topic-glob.ts';
import { CLIENT_ID_PATTERN } from '../shared/ids.ts';
import type { JsonObject } from './reader.ts';
import {
  checkStringList,
  expectObject,
  invalid,
  member,
  patternCheck,
  readInteger,
  readMap,
  readStringList,
  rejectUnknownKeys,
  section,
} from './reader.ts';

const KEYS = ['topics', 'pools', 'cordoned_workers', 'paused_topics', 'worker_ttl_ms'];
const PATH = 'routing';

export function readRouting(data: JsonObject): RoutingSettings {
  const routing = section(data, 'routing', '', KEYS);
  return {
    topics: member(routing, 'topics') === undefined ? DEFAULT_ROUTING.topics : readTopics(routing),
    pools: member(routing, 'pools') === undefined ? DEFAULT_ROUTING.pools : readPools(routing),
    cordoned_workers: readStringList(routing, 'cordoned_workers', PATH, patternCheck(CLIENT_ID_PATTERN)),
    paused_topics: readStringList(routing, 'paused_topics', PATH, topicGlobProblem),
    worker_ttl_ms: readInteger(routing, 'worker_ttl_ms', PATH, DEFAULT_ROUTING.worker_ttl_ms, 1),
  };
}

/** `{topic: pool}` or `{topic: [pool, ...]}`, normalised to lists. */
function readTopics(routing: JsonObject): Readonly<Record<string, readonly string[]>> {
  return readMap(
    routing,
    'topics',
    PATH,
    (value, path) => {
      const pools = typeof value === 'string' ? [value] : value;
      const list = checkStringList(pools, path, patternCheck(POOL_PATTERN));
      if (list.length === 0) throw invalid(path, 'must name at least one pool');
      return list;
    },
    patternCheck(TOPIC_PATTERN, 'a topic'),
  );
}

function readPools(routing: JsonObject): Readonly<Record<string, PoolSettings>> {
  return readMap(
    routing,
    'pools',
    PATH,
    (value, path): PoolSettings => {
      const pool = expectObject(value, path);
      rejectUnknownKeys(pool, ['requires'], path);
      return { requires: readStringList(pool, 'requires', path) };
    },
    patternCheck(POOL_PATTERN, 'a pool name'),
  );
}
