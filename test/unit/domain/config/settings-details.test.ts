/**
 * Settings read in full, and the message of each kind of invalid setting (an operator reads them in
 * the API's 400 response): the gaps mutation testing found beside settings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../../../src/domain/config/read-settings.ts';
import type { Settings } from '../../../../src/domain/config/settings.ts';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';

function settingsOf(data: Record<string, unknown>): Settings {
  const result = readSettings(data);
  if (result instanceof ValidationError) throw new Error(`unexpected ${result.field}: ${result.message}`);
  return result;
}

function errorOf(data: Record<string, unknown>): ValidationError {
  const result = readSettings(data);
  if (!(result instanceof ValidationError)) throw new Error('expected a validation error');
  return result;
}

describe('reading every setting', () => {
  it('reads every safety setting as written', () => {
    const { safety } = settingsOf({
      safety: {
        on_unavailable: 'defer',
        approval_ttl_ms: 60_000,
        breaker: { failure_threshold: 4, open_ms: 1_500, half_open_max_probes: 2, success_threshold: 3 },
        rules: {
          allow_topics: ['job.>'],
          deny_topics: ['job.danger.>'],
          deny_risk_tags: ['pii-export'],
          approval_risk_tags: ['prod-write'],
          throttles: [
            { id: 'freeze', topics: ['job.video.*'], max_per_second: null, per: 'all', retry_after_ms: 5_000 },
            { id: 'rate.1', topics: ['job.mail'], per: 'tenant' },
          ],
          constraints: { max_runtime_ms: 60_000, max_retries: 0, max_concurrent_jobs: 2 },
          tenants: {
            acme: { deny_risk_tags: ['x'], approval_risk_tags: [], constraints: { max_retries: 1 } },
            beta: { allow_topics: ['job.beta.>'], throttles: [] },
          },
        },
      },
    });
    expect(safety.on_unavailable).toBe('defer');
    expect(safety.approval_ttl_ms).toBe(60_000);
    expect(safety.breaker).toEqual({
      failure_threshold: 4,
      open_ms: 1_500,
      half_open_max_probes: 2,
      success_threshold: 3,
    });
    expect(safety.rules).toEqual({
      allow_topics: ['job.>'],
      deny_topics: ['job.danger.>'],
      deny_risk_tags: ['pii-export'],
      approval_risk_tags: ['prod-write'],
      throttles: [
        { id: 'freeze', topics: ['job.video.*'], max_per_second: null, per: 'all', retry_after_ms: 5_000 },
        { id: 'rate.1', topics: ['job.mail'], max_per_second: null, per: 'tenant', retry_after_ms: 1_000 },
      ],
      constraints: { max_runtime_ms: 60_000, max_retries: 0, max_concurrent_jobs: 2 },
      tenants: {
        acme: { deny_risk_tags: ['x'], approval_risk_tags: [], constraints: { max_retries: 1 } },
        beta: { allow_topics: ['job.beta.>'], throttles: [] },
      },
    });
  });

  it('reads each constraint alone, leaving the others out', () => {
    for (const constraints of [{ max_runtime_ms: 1 }, { max_retries: 0 }, { max_concurrent_jobs: 1 }]) {
      expect(settingsOf({ safety: { rules: { constraints } } }).safety.rules.constraints).toStrictEqual(constraints);
    }
  });

  it('reads per-topic timeouts with either field alone', () => {
    const { timeouts } = settingsOf({
      timeouts: { topics: { 'job.a': { dispatch_ms: 5 }, 'job.b': { running_ms: 7 }, 'job.c': {} } },
    });
    expect(timeouts.topics).toStrictEqual({ 'job.a': { dispatch_ms: 5 }, 'job.b': { running_ms: 7 }, 'job.c': {} });
  });

  it('reads the retry policy, backoff and dispatch settings at their bounds', () => {
    const settings = settingsOf({
      retry: { max_attempts: 1, initial_backoff_ms: 0, max_backoff_ms: 0, multiplier: 1, jitter: 1 },
      dispatch: { backoff_base_ms: 10, backoff_cap_ms: 10 },
    });
    expect(settings.retry).toEqual({
      max_attempts: 1,
      initial_backoff_ms: 0,
      max_backoff_ms: 0,
      multiplier: 1,
      jitter: 1,
    });
    expect(settings.dispatch).toEqual({ backoff_base_ms: 10, backoff_cap_ms: 10 });
    expect(settingsOf({ dispatch: { backoff_base_ms: 40_000 } }).dispatch).toEqual({
      backoff_base_ms: 40_000,
      backoff_cap_ms: 40_000,
    });
  });

  it('reads an explicit null remote url as no remote kernel', () => {
    expect(settingsOf({ safety: { remote: { url: null } } }).safety.remote.url).toBeNull();
  });

  it('names the first bad entry of a map by name, whatever order the keys were written in', () => {
    expect(errorOf({ routing: { pools: { 'z z': {}, 'a a': {} } } }).field).toBe('routing.pools["a a"]');
    expect(errorOf({ routing: { pools: { 'a a': {}, 'z z': {} } } }).field).toBe('routing.pools["a a"]');
  });

  it('drops repeated list items, keeping the first', () => {
    expect(settingsOf({ routing: { cordoned_workers: ['b', 'a', 'b'] } }).routing.cordoned_workers).toEqual(['b', 'a']);
  });
});

describe('invalid settings say what is wrong', () => {
  it.each<[Record<string, unknown>, string, string]>([
    [{ safety: { approval_ttl_ms: 0 } }, 'safety.approval_ttl_ms', 'must be at least 1'],
    [{ safety: { breaker: { open_ms: 0 } } }, 'safety.breaker.open_ms', 'must be at least 1'],
    [{ safety: { breaker: { success_threshold: 0 } } }, 'safety.breaker.success_threshold', 'must be at least 1'],
    [{ safety: { rules: { throttles: 'video' } } }, 'safety.rules.throttles', 'must be a list of throttle rules'],
    [
      { safety: { rules: { throttles: [{ id: 'a b', topics: ['job.>'] }] } } },
      'safety.rules.throttles[0].id',
      'a throttle id must match /^[A-Za-z0-9_.-]{1,64}$/',
    ],
    [{ safety: { rules: { throttles: [{ topics: ['job.>'] }] } } }, 'safety.rules.throttles[0].id', 'is required'],
    [
      {
        safety: {
          rules: {
            throttles: [
              { id: 't', topics: ['job.>'] },
              { id: 't', topics: ['job.>'] },
            ],
          },
        },
      },
      'safety.rules.throttles[1].id',
      '"t" is used by an earlier throttle',
    ],
    [
      { safety: { rules: { throttles: [{ id: 't', topics: [] }] } } },
      'safety.rules.throttles[0].topics',
      'must name at least one topic glob',
    ],
    [
      { safety: { rules: { throttles: [{ id: 't', topics: ['job.>'], max_per_second: 0 }] } } },
      'safety.rules.throttles[0].max_per_second',
      'must be greater than 0',
    ],
    [
      { safety: { rules: { throttles: [{ id: 't', topics: ['job.>'], per: 'worker' }] } } },
      'safety.rules.throttles[0].per',
      'must be one of: tenant, all',
    ],
    [
      { safety: { rules: { throttles: [{ id: 't', topics: ['job.>'], retry_after_ms: 0 }] } } },
      'safety.rules.throttles[0].retry_after_ms',
      'must be at least 1',
    ],
    [
      { safety: { rules: { throttles: [{ id: 't', topics: ['job.>'], burst: 1 }] } } },
      'safety.rules.throttles[0].burst',
      'unknown setting (expected one of: id, topics, max_per_second, per, retry_after_ms)',
    ],
    [
      { safety: { rules: { constraints: { max_concurrent_jobs: 0 } } } },
      'safety.rules.constraints.max_concurrent_jobs',
      'must be at least 1',
    ],
    [
      { safety: { rules: { constraints: { max_runtime: 1 } } } },
      'safety.rules.constraints.max_runtime',
      'unknown setting (expected one of: max_runtime_ms, max_retries, max_concurrent_jobs)',
    ],
    [
      { safety: { rules: { tenants: { 'a b': {} } } } },
      'safety.rules.tenants["a b"]',
      'a tenant must match /^[A-Za-z0-9_-]{1,64}$/',
    ],
    [
      { safety: { rules: { deny_risk_tags: ['ok', ''] } } },
      'safety.rules.deny_risk_tags[1]',
      'must be a non-empty string',
    ],
    [
      { safety: { rules: { approval_risk_tags: 'x' } } },
      'safety.rules.approval_risk_tags',
      'must be a list of strings',
    ],
    [{ safety: { remote: { url: 'https://' } } }, 'safety.remote.url', 'must be an http(s) URL'],
    [{ safety: { remote: { url: '' } } }, 'safety.remote.url', 'must be a non-empty string'],
    [{ safety: { remote: { url: 7 } } }, 'safety.remote.url', 'must be a non-empty string'],
    [{ safety: { drain: { per_second: '1' } } }, 'safety.drain.per_second', 'must be a number'],
    [{ safety: { drain: { per_second: Number.NaN } } }, 'safety.drain.per_second', 'must be a number'],
    [{ safety: { drain: { burst: 1.5 } } }, 'safety.drain.burst', 'must be an integer'],
    [{ retry: { jitter: 1.01 } }, 'retry.jitter', 'must be at most 1'],
    [{ retry: { multiplier: 0.5 } }, 'retry.multiplier', 'must be at least 1'],
    [
      { retry: { initial_backoff_ms: 5000, max_backoff_ms: 4999 } },
      'retry.max_backoff_ms',
      'must be at least initial_backoff_ms',
    ],
    [
      { dispatch: { backoff_base_ms: 1000, backoff_cap_ms: 999 } },
      'dispatch.backoff_cap_ms',
      'must be at least backoff_base_ms',
    ],
    [{ dispatch: { backoff_base_ms: 0 } }, 'dispatch.backoff_base_ms', 'must be at least 1'],
    [{ timeouts: { dispatch_ms: 0 } }, 'timeouts.dispatch_ms', 'must be at least 1'],
    [
      { timeouts: { topics: { 'job.x': { dispatch_ms: 0 } } } },
      'timeouts.topics["job.x"].dispatch_ms',
      'must be at least 1',
    ],
    [
      { timeouts: { topics: { task: { running_ms: 1 } } } },
      'timeouts.topics.task',
      'a topic must match /^job(\\.[a-z0-9_-]+)+$/',
    ],
    [{ routing: { topics: { 'job.a': [] } } }, 'routing.topics["job.a"]', 'must name at least one pool'],
    [
      { routing: { topics: { 'job.x.': 'cpu' } } },
      'routing.topics["job.x."]',
      'a topic must match /^job(\\.[a-z0-9_-]+)+$/',
    ],
    [
      { routing: { pools: { 'a b': { requires: [] } } } },
      'routing.pools["a b"]',
      'a pool name must match /^[A-Za-z0-9_-]{1,64}$/',
    ],
    [{ routing: { pools: { gpu: [] } } }, 'routing.pools.gpu', 'must be an object'],
    [{ retry: [] }, 'retry', 'must be an object'],
    [{ limits: 5 }, 'limits', 'must be an object'],
    [{ dispatch: 'fast' }, 'dispatch', 'must be an object'],
    [
      { timeouts: { dispatch: 1 } },
      'timeouts.dispatch',
      'unknown setting (expected one of: dispatch_ms, running_ms, topics)',
    ],
    [{ limits: { max_concurrent: 1.5 } }, 'limits.max_concurrent', 'must be an integer'],
    [
      { safety: { rules: { constraints: { max_retries: 0.5 } } } },
      'safety.rules.constraints.max_retries',
      'must be an integer',
    ],
    [
      { safety: { rules: { throttles: [{ id: 't', topics: ['job..x'] }] } } },
      'safety.rules.throttles[0].topics[0]',
      'a topic glob has no empty segments',
    ],
    [
      { routing: { topics: { 'job.a': ['ok', 'not ok'] } } },
      'routing.topics["job.a"][1]',
      'it must match /^[A-Za-z0-9_-]{1,64}$/',
    ],
    [
      { limits: { tenants: { 'a b': { max_concurrent: 1 } } } },
      'limits.tenants["a b"]',
      'a tenant must match /^[A-Za-z0-9_-]{1,64}$/',
    ],
    [{ limits: { tenants: { acme: {} } } }, 'limits.tenants.acme.max_concurrent', 'is required'],
    [
      { limits: { tenants: { acme: { max_concurrent: 1, burst: 2 } } } },
      'limits.tenants.acme.burst',
      'unknown setting (expected one of: max_concurrent)',
    ],
    [
      { limits: { tenants: { acme: { max_concurrent: -1 } } } },
      'limits.tenants.acme.max_concurrent',
      'must be at least 0',
    ],
  ])('%j: %s %s', (data, field, message) => {
    const error = errorOf(data);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${message}`);
    expect(error.code).toBe('invalid_config');
  });

  it('takes a section only as a plain object', () => {
    expect(errorOf({ safety: 'on' }).message).toBe('safety: must be an object');
    expect(errorOf({ safety: { breaker: new Map() } }).field).toBe('safety.breaker');
    expect(
      settingsOf({ safety: { breaker: Object.assign(Object.create(null), { open_ms: 5 }) } }).safety.breaker.open_ms,
    ).toBe(5);
  });
});
