/** Reads `safety` (rules, kernel choice, breaker, drain rate, approval expiry) from config data. */
import type { SafetyConstraints } from '../job/events.ts';
import type { BreakerSettings } from '../safety/breaker.ts';
import { DEFAULT_BREAKER } from '../safety/breaker.ts';
import {
  DEFAULT_SAFETY_RULES,
  DEFAULT_THROTTLE_RETRY_AFTER_MS,
  type SafetyRuleSet,
  type SafetyRules,
  type ThrottleRule,
} from '../safety/rules.ts';
import type { TokenBucketSettings } from '../safety/token-bucket.ts';
import { DEFAULT_DRAIN } from '../safety/token-bucket.ts';
import { topicGlobProblem } from '../safety/topic-glob.ts';
import { TENANT_PATTERN } from '../shared/ids.ts';
import {
  checkStringList,
  childPath,
  expectObject,
  indexPath,
  invalid,
  type JsonObject,
  member,
  patternCheck,
  readEnum,
  readInteger,
  readMap,
  readNullableString,
  readNumber,
  readOptionalInteger,
  readStringList,
  rejectUnknownKeys,
  section,
} from './reader.ts';
import { DEFAULT_SAFETY, type SafetySettings } from './settings.ts';

const PATH = 'safety';
const RULE_SET_KEYS = [
  'allow_topics',
  'deny_topics',
  'deny_risk_tags',
  'approval_risk_tags',
  'throttles',
  'constraints',
] as const;
const THROTTLE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const HTTP_URL = /^https?:\/\/[^\s/]+\S*$/;

export function readSafety(data: JsonObject): SafetySettings {
  const safety = section(data, 'safety', '', [
    'rules',
    'on_unavailable',
    'breaker',
    'drain',
    'approval_ttl_ms',
    'remote',
  ]);
  return {
    rules: readRules(safety),
    on_unavailable: readEnum(safety, 'on_unavailable', PATH, ['defer', 'deny'], DEFAULT_SAFETY.on_unavailable),
    breaker: readBreaker(safety),
    drain: readDrain(safety),
    approval_ttl_ms: readInteger(safety, 'approval_ttl_ms', PATH, DEFAULT_SAFETY.approval_ttl_ms, 1),
    remote: readRemote(safety),
  };
}

function readRules(safety: JsonObject): SafetyRules {
  const path = childPath(PATH, 'rules');
  const rules = section(safety, 'rules', PATH, [...RULE_SET_KEYS, 'tenants']);
  const global = readRuleSet(rules, path);
  return {
    allow_topics: global.allow_topics ?? DEFAULT_SAFETY_RULES.allow_topics,
    deny_topics: global.deny_topics ?? DEFAULT_SAFETY_RULES.deny_topics,
    deny_risk_tags: global.deny_risk_tags ?? DEFAULT_SAFETY_RULES.deny_risk_tags,
    approval_risk_tags: global.approval_risk_tags ?? DEFAULT_SAFETY_RULES.approval_risk_tags,
    throttles: global.throttles ?? DEFAULT_SAFETY_RULES.throttles,
    constraints: global.constraints ?? DEFAULT_SAFETY_RULES.constraints,
    tenants: readMap(
      rules,
      'tenants',
      path,
      (value, at) => {
        const tenant = expectObject(value, at);
        rejectUnknownKeys(tenant, RULE_SET_KEYS, at);
        return readRuleSet(tenant, at);
      },
      patternCheck(TENANT_PATTERN, 'a tenant'),
    ),
  };
}

/** Only the fields present: a tenant override sets some, the global set falls back to defaults. */
function readRuleSet(rules: JsonObject, path: string): Partial<SafetyRuleSet> {
  const out: { -readonly [K in keyof SafetyRuleSet]?: SafetyRuleSet[K] } = {};
  for (const key of ['allow_topics', 'deny_topics'] as const) {
    if (member(rules, key) !== undefined) out[key] = readStringList(rules, key, path, topicGlobProblem);
  }
  for (const key of ['deny_risk_tags', 'approval_risk_tags'] as const) {
    if (member(rules, key) !== undefined) out[key] = readStringList(rules, key, path);
  }
  if (member(rules, 'throttles') !== undefined) out.throttles = readThrottles(rules, path);
  if (member(rules, 'constraints') !== undefined) out.constraints = readConstraints(rules, path);
  return out;
}

function readThrottles(rules: JsonObject, path: string): readonly ThrottleRule[] {
  const at = childPath(path, 'throttles');
  const value = member(rules, 'throttles');
  if (!Array.isArray(value)) throw invalid(at, 'must be a list of throttle rules');
  const seen = new Set<string>();
  return value.map((item: unknown, index): ThrottleRule => {
    const itemPath = indexPath(at, index);
    const rule = expectObject(item, itemPath);
    rejectUnknownKeys(rule, ['id', 'topics', 'max_per_second', 'per', 'retry_after_ms'], itemPath);
    const id = readNullableString(rule, 'id', itemPath, patternCheck(THROTTLE_ID, 'a throttle id'));
    if (id === null) throw invalid(childPath(itemPath, 'id'), 'is required');
    if (seen.has(id)) throw invalid(childPath(itemPath, 'id'), `"${id}" is used by an earlier throttle`);
    seen.add(id);
    const topics = checkStringList(member(rule, 'topics'), childPath(itemPath, 'topics'), topicGlobProblem);
    if (topics.length === 0) throw invalid(childPath(itemPath, 'topics'), 'must name at least one topic glob');
    const rate = member(rule, 'max_per_second');
    return {
      id,
      topics,
      max_per_second:
        rate === undefined || rate === null ? null : readNumber(rule, 'max_per_second', itemPath, 0, { above: 0 }),
      per: readEnum(rule, 'per', itemPath, ['tenant', 'all'], 'tenant'),
      retry_after_ms: readInteger(rule, 'retry_after_ms', itemPath, DEFAULT_THROTTLE_RETRY_AFTER_MS, 1),
    };
  });
}

function readConstraints(rules: JsonObject, path: string): SafetyConstraints {
  const at = childPath(path, 'constraints');
  const constraints = section(rules, 'constraints', path, ['max_runtime_ms', 'max_retries', 'max_concurrent_jobs']);
  const runtime = readOptionalInteger(constraints, 'max_runtime_ms', at, 1);
  const retries = readOptionalInteger(constraints, 'max_retries', at, 0);
  const concurrent = readOptionalInteger(constraints, 'max_concurrent_jobs', at, 1);
  return {
    ...(runtime === undefined ? {} : { max_runtime_ms: runtime }),
    ...(retries === undefined ? {} : { max_retries: retries }),
    ...(concurrent === undefined ? {} : { max_concurrent_jobs: concurrent }),
  };
}

function readBreaker(safety: JsonObject): BreakerSettings {
  const at = childPath(PATH, 'breaker');
  const breaker = section(safety, 'breaker', PATH, [
    'failure_threshold',
    'open_ms',
    'half_open_max_probes',
    'success_threshold',
  ]);
  return {
    failure_threshold: readInteger(breaker, 'failure_threshold', at, DEFAULT_BREAKER.failure_threshold, 1),
    open_ms: readInteger(breaker, 'open_ms', at, DEFAULT_BREAKER.open_ms, 1),
    half_open_max_probes: readInteger(breaker, 'half_open_max_probes', at, DEFAULT_BREAKER.half_open_max_probes, 1),
    success_threshold: readInteger(breaker, 'success_threshold', at, DEFAULT_BREAKER.success_threshold, 1),
  };
}

function readDrain(safety: JsonObject): TokenBucketSettings {
  const at = childPath(PATH, 'drain');
  const drain = section(safety, 'drain', PATH, ['per_second', 'burst']);
  return {
    per_second: readNumber(drain, 'per_second', at, DEFAULT_DRAIN.per_second, { above: 0 }),
    burst: readInteger(drain, 'burst', at, DEFAULT_DRAIN.burst, 1),
  };
}

function readRemote(safety: JsonObject): SafetySettings['remote'] {
  const at = childPath(PATH, 'remote');
  const remote = section(safety, 'remote', PATH, ['url', 'timeout_ms']);
  return {
    url: readNullableString(remote, 'url', at, (text) => (HTTP_URL.test(text) ? null : 'must be an http(s) URL')),
    timeout_ms: readInteger(remote, 'timeout_ms', at, DEFAULT_SAFETY.remote.timeout_ms, 1),
  };
}
