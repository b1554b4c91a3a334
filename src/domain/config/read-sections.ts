/** Reads `timeouts`, `retry`, `limits`, `dispatch` and `idempotency_ttl_ms` from config data. */
import type { DispatchBackoffSettings } from '../dispatch/backoff.ts';
import { DEFAULT_DISPATCH_BACKOFF } from '../dispatch/backoff.ts';
import { TOPIC_PATTERN } from '../dispatch/routing.ts';
import type { TenantLimits } from '../dispatch/tenant-limit.ts';
import type { RetryPolicy } from '../job/request.ts';
import { TENANT_PATTERN } from '../shared/ids.ts';
import {
  expectObject,
  invalid,
  type JsonObject,
  member,
  patternCheck,
  readInteger,
  readMap,
  readNullableInteger,
  readNumber,
  readOptionalInteger,
  rejectUnknownKeys,
  section,
} from './reader.ts';
import {
  DEFAULT_RETRY,
  DEFAULT_SETTINGS,
  DEFAULT_TIMEOUTS,
  type TimeoutSettings,
  type TopicTimeouts,
} from './settings.ts';

export function readTimeouts(data: JsonObject): TimeoutSettings {
  const path = 'timeouts';
  const timeouts = section(data, 'timeouts', '', ['dispatch_ms', 'running_ms', 'topics']);
  return {
    dispatch_ms: readInteger(timeouts, 'dispatch_ms', path, DEFAULT_TIMEOUTS.dispatch_ms, 1),
    running_ms: readInteger(timeouts, 'running_ms', path, DEFAULT_TIMEOUTS.running_ms, 1),
    topics: readMap(
      timeouts,
      'topics',
      path,
      (value, at): TopicTimeouts => {
        const topic = expectObject(value, at);
        rejectUnknownKeys(topic, ['dispatch_ms', 'running_ms'], at);
        const dispatch = readOptionalInteger(topic, 'dispatch_ms', at, 1);
        const running = readOptionalInteger(topic, 'running_ms', at, 1);
        return {
          ...(dispatch === undefined ? {} : { dispatch_ms: dispatch }),
          ...(running === undefined ? {} : { running_ms: running }),
        };
      },
      patternCheck(TOPIC_PATTERN, 'a topic'),
    ),
  };
}

export function readRetry(data: JsonObject): RetryPolicy {
  const path = 'retry';
  const retry = section(data, 'retry', '', [
    'max_attempts',
    'initial_backoff_ms',
    'max_backoff_ms',
    'multiplier',
    'jitter',
  ]);
  const initial = readInteger(retry, 'initial_backoff_ms', path, DEFAULT_RETRY.initial_backoff_ms);
  const max = readInteger(retry, 'max_backoff_ms', path, Math.max(DEFAULT_RETRY.max_backoff_ms, initial));
  if (max < initial) throw invalid(`${path}.max_backoff_ms`, 'must be at least initial_backoff_ms');
  return {
    max_attempts: readInteger(retry, 'max_attempts', path, DEFAULT_RETRY.max_attempts, 1),
    initial_backoff_ms: initial,
    max_backoff_ms: max,
    multiplier: readNumber(retry, 'multiplier', path, DEFAULT_RETRY.multiplier, { min: 1 }),
    jitter: readNumber(retry, 'jitter', path, DEFAULT_RETRY.jitter, { min: 0, max: 1 }),
  };
}

/** `max_concurrent: 0` is allowed: it holds every job of the tenant (a per-tenant pause). */
export function readLimits(data: JsonObject): TenantLimits {
  const path = 'limits';
  const limits = section(data, 'limits', '', ['max_concurrent', 'tenants']);
  return {
    max_concurrent: readNullableInteger(limits, 'max_concurrent', path, null),
    tenants: readMap(
      limits,
      'tenants',
      path,
      (value, at) => {
        const tenant = expectObject(value, at);
        rejectUnknownKeys(tenant, ['max_concurrent'], at);
        if (!Object.hasOwn(tenant, 'max_concurrent')) throw invalid(`${at}.max_concurrent`, 'is required');
        return { max_concurrent: readNullableInteger(tenant, 'max_concurrent', at, null) };
      },
      patternCheck(TENANT_PATTERN, 'a tenant'),
    ),
  };
}

export function readDispatch(data: JsonObject): DispatchBackoffSettings {
  const path = 'dispatch';
  const dispatch = section(data, 'dispatch', '', ['backoff_base_ms', 'backoff_cap_ms']);
  const base = readInteger(dispatch, 'backoff_base_ms', path, DEFAULT_DISPATCH_BACKOFF.backoff_base_ms, 1);
  const cap = readInteger(dispatch, 'backoff_cap_ms', path, Math.max(DEFAULT_DISPATCH_BACKOFF.backoff_cap_ms, base), 1);
  if (cap < base) throw invalid(`${path}.backoff_cap_ms`, 'must be at least backoff_base_ms');
  return { backoff_base_ms: base, backoff_cap_ms: cap };
}

/** A top-level key like the sections: `null` reads as the default. */
export function readIdempotencyTtl(data: JsonObject): number {
  const fallback = DEFAULT_SETTINGS.idempotency_ttl_ms;
  if (member(data, 'idempotency_ttl_ms') === null) return fallback;
  return readInteger(data, 'idempotency_ttl_ms', '', fallback, 1);
}
