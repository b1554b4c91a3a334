import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfigData, validateConfigDocument } from '../../../../src/domain/config/document.ts';
import { mergeConfigLevels } from '../../../../src/domain/config/effective.ts';
import { readSettings } from '../../../../src/domain/config/read-settings.ts';
import { DEFAULT_SETTINGS, type Settings, timeoutsForTopic } from '../../../../src/domain/config/settings.ts';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';

function settingsOf(data: Record<string, unknown>): Settings {
  const result = readSettings(data);
  if (result instanceof ValidationError) throw new Error(`unexpected ${result.field}: ${result.message}`);
  return result;
}

function errorField(data: Record<string, unknown>): string {
  const result = readSettings(data);
  if (!(result instanceof ValidationError)) throw new Error('expected a validation error');
  return result.field;
}

describe('settings defaults', () => {
  it('reads an empty config as every default', () => {
    expect(settingsOf({})).toEqual(DEFAULT_SETTINGS);
  });

  it('has the documented defaults', () => {
    const settings = settingsOf({});
    expect(settings.routing).toEqual({
      topics: { 'job.default': ['default'] },
      pools: { default: { requires: [] } },
      cordoned_workers: [],
      paused_topics: [],
      worker_ttl_ms: 30_000,
    });
    expect(settings.timeouts).toEqual({ dispatch_ms: 60_000, running_ms: 900_000, topics: {} });
    expect(settings.retry.max_attempts).toBe(1);
    expect(settings.safety.on_unavailable).toBe('defer');
    expect(settings.safety.breaker).toEqual({
      failure_threshold: 3,
      open_ms: 30_000,
      half_open_max_probes: 3,
      success_threshold: 2,
    });
    expect(settings.safety.approval_ttl_ms).toBe(604_800_000);
    expect(settings.safety.remote).toEqual({ url: null, timeout_ms: 2_000 });
    expect(settings.limits).toEqual({ max_concurrent: null, tenants: {} });
    expect(settings.dispatch).toEqual({ backoff_base_ms: 500, backoff_cap_ms: 30_000 });
    expect(settings.idempotency_ttl_ms).toBe(86_400_000);
  });

  it('fills the fields a section leaves out with the built-in defaults', () => {
    const settings = settingsOf({ timeouts: { running_ms: 5_000 }, routing: { cordoned_workers: ['w1'] } });
    expect(settings.timeouts.dispatch_ms).toBe(60_000);
    expect(settings.timeouts.running_ms).toBe(5_000);
    expect(settings.routing.topics).toEqual({ 'job.default': ['default'] });
    expect(settings.routing.cordoned_workers).toEqual(['w1']);
  });

  it('reads a null section as its defaults', () => {
    expect(settingsOf({ routing: null, safety: null, idempotency_ttl_ms: null })).toEqual(DEFAULT_SETTINGS);
  });

  it('ignores top-level keys it does not know (they are the user’s)', () => {
    expect(settingsOf({ my_feature_flag: true, model: { name: 'x' } })).toEqual(DEFAULT_SETTINGS);
  });
});

describe('settings values', () => {
  it('normalises a topic mapped to one pool into a list and keeps pool order', () => {
    const settings = settingsOf({
      routing: { topics: { 'job.a': 'cpu', 'job.b': ['gpu', 'cpu'] }, pools: { gpu: { requires: ['cuda'] } } },
    });
    expect(settings.routing.topics).toEqual({ 'job.a': ['cpu'], 'job.b': ['gpu', 'cpu'] });
    expect(settings.routing.pools).toEqual({ gpu: { requires: ['cuda'] } });
  });

  it('reads per-topic timeouts and resolves them per topic', () => {
    const { timeouts } = settingsOf({ timeouts: { running_ms: 1000, topics: { 'job.slow': { running_ms: 9000 } } } });
    expect(timeoutsForTopic(timeouts, 'job.slow')).toEqual({ dispatch_ms: 60_000, running_ms: 9000 });
    expect(timeoutsForTopic(timeouts, 'job.fast')).toEqual({ dispatch_ms: 60_000, running_ms: 1000 });
  });

  it('reads safety rules, throttles, tenants, breaker and remote kernel', () => {
    const { safety } = settingsOf({
      safety: {
        on_unavailable: 'deny',
        breaker: { failure_threshold: 5, open_ms: 1000, half_open_max_probes: 1, success_threshold: 1 },
        drain: { per_second: 2.5, burst: 5 },
        remote: { url: 'https://kernel.internal/v1/check', timeout_ms: 500 },
        rules: {
          deny_topics: ['job.danger.>'],
          approval_risk_tags: ['prod-write'],
          throttles: [{ id: 'video', topics: ['job.video.*'], max_per_second: 10 }],
          constraints: { max_runtime_ms: 60_000 },
          tenants: { acme: { deny_topics: [] } },
        },
      },
    });
    expect(safety.on_unavailable).toBe('deny');
    expect(safety.breaker.failure_threshold).toBe(5);
    expect(safety.drain).toEqual({ per_second: 2.5, burst: 5 });
    expect(safety.remote).toEqual({ url: 'https://kernel.internal/v1/check', timeout_ms: 500 });
    expect(safety.rules.throttles).toEqual([
      { id: 'video', topics: ['job.video.*'], max_per_second: 10, per: 'tenant', retry_after_ms: 1000 },
    ]);
    expect(safety.rules.constraints).toEqual({ max_runtime_ms: 60_000 });
    expect(safety.rules.tenants).toEqual({ acme: { deny_topics: [] } });
  });

  it('reads a tenant named __proto__ as a member', () => {
    const data = JSON.parse('{"limits": {"tenants": {"__proto__": {"max_concurrent": 3}}}}') as Record<string, unknown>;
    const { limits } = settingsOf(data);
    expect(Object.hasOwn(limits.tenants, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(limits.tenants)).toBe(Object.prototype);
  });

  it('reads tenant limits, including an explicit null that lifts the default', () => {
    const { limits } = settingsOf({ limits: { max_concurrent: 10, tenants: { big: { max_concurrent: null } } } });
    expect(limits).toEqual({ max_concurrent: 10, tenants: { big: { max_concurrent: null } } });
  });
});

describe('invalid settings name the path', () => {
  it.each<[string, Record<string, unknown>]>([
    ['routing.pools.gpu.requires', { routing: { pools: { gpu: { requires: 'cuda' } } } }],
    ['routing.pools.gpu.requires[1]', { routing: { pools: { gpu: { requires: ['cuda', 3] } } } }],
    ['routing.pools["gpu.x"]', { routing: { pools: { 'gpu.x': { requires: [] } } } }],
    ['routing.pools.gpu.require', { routing: { pools: { gpu: { require: [] } } } }],
    ['routing.topics["job.a"]', { routing: { topics: { 'job.a': [] } } }],
    ['routing.topics["job.a"][0]', { routing: { topics: { 'job.a': ['bad pool'] } } }],
    ['routing.topics["Job.A"]', { routing: { topics: { 'Job.A': 'cpu' } } }],
    ['routing.paused_topics[0]', { routing: { paused_topics: ['job.>.x'] } }],
    ['routing.worker_ttl_ms', { routing: { worker_ttl_ms: 0 } }],
    ['routing', { routing: [] }],
    ['timeouts.dispach_ms', { timeouts: { dispach_ms: 5 } }],
    ['timeouts.running_ms', { timeouts: { running_ms: 1.5 } }],
    ['timeouts.topics["job.x"].running_ms', { timeouts: { topics: { 'job.x': { running_ms: -1 } } } }],
    ['retry.max_attempts', { retry: { max_attempts: 0 } }],
    ['retry.max_backoff_ms', { retry: { initial_backoff_ms: 5000, max_backoff_ms: 10 } }],
    ['retry.jitter', { retry: { jitter: 2 } }],
    ['safety.on_unavailable', { safety: { on_unavailable: 'panic' } }],
    ['safety.breaker.half_open_max_probes', { safety: { breaker: { half_open_max_probes: 0 } } }],
    ['safety.drain.per_second', { safety: { drain: { per_second: 0 } } }],
    ['safety.remote.url', { safety: { remote: { url: 'ftp://x' } } }],
    ['safety.rules.deny_topics[0]', { safety: { rules: { deny_topics: ['JOB.*'] } } }],
    ['safety.rules.throttles[0].id', { safety: { rules: { throttles: [{ topics: ['job.>'] }] } } }],
    [
      'safety.rules.throttles[1].id',
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
    ],
    ['safety.rules.throttles[0].topics', { safety: { rules: { throttles: [{ id: 't', topics: [] }] } } }],
    ['safety.rules.constraints.max_retries', { safety: { rules: { constraints: { max_retries: -1 } } } }],
    ['safety.rules.tenants.acme.tenants', { safety: { rules: { tenants: { acme: { tenants: {} } } } } }],
    ['limits.tenants.acme.max_concurrent', { limits: { tenants: { acme: {} } } }],
    ['limits.max_concurrent', { limits: { max_concurrent: 'ten' } }],
    ['dispatch.backoff_cap_ms', { dispatch: { backoff_base_ms: 1000, backoff_cap_ms: 10 } }],
    ['idempotency_ttl_ms', { idempotency_ttl_ms: '1d' }],
  ])('%s', (field, data) => {
    expect(errorField(data)).toBe(field);
  });

  it('says what is wrong in the message', () => {
    const error = readSettings({ routing: { pools: { gpu: { requires: 'cuda' } } } });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('routing.pools.gpu.requires: must be a list of strings');
    expect((error as ValidationError).code).toBe('invalid_config');
  });
});

describe('validateConfigDocument', () => {
  it('accepts a valid document and returns its data', () => {
    const data = { routing: { topics: { 'job.default': 'default' } }, custom: 1 };
    expect(validateConfigDocument('org', 'acme', data)).toEqual({ ref: { scope: 'org', scope_id: 'acme' }, data });
  });

  it('refuses a bad scope id, a non-object and a bad setting, naming each', () => {
    expect((validateConfigDocument('team', 'acme', {}) as ValidationError).field).toBe('scope_id');
    expect((validateConfigData([]) as ValidationError).field).toBe('data');
    expect((validateConfigData(null) as ValidationError).field).toBe('data');
    expect((validateConfigData({ retry: { multiplier: 0 } }) as ValidationError).field).toBe('retry.multiplier');
  });

  it('says a non-object document is not config data, with the config error code', () => {
    expect(validateConfigData('x')).toMatchObject({
      field: 'data',
      message: 'config data must be a JSON object',
      code: 'invalid_config',
    });
  });

  // Valid samples of each known section (and a user key), to combine into documents.
  const sections: Record<string, unknown[]> = {
    routing: [{ topics: { 'job.a': ['x', 'y'] } }, { pools: { x: { requires: ['cuda'] } } }, null],
    timeouts: [{ running_ms: 10 }, { topics: { 'job.a': { dispatch_ms: 1 } } }],
    retry: [{ max_attempts: 3, initial_backoff_ms: 10, max_backoff_ms: 10 }, {}],
    safety: [{ on_unavailable: 'deny' }, { rules: { deny_topics: ['job.>'] } }],
    limits: [{ max_concurrent: 0 }, { tenants: { t: { max_concurrent: 2 } } }],
    user: [{ anything: [1, 2] }, 'text'],
  };
  const document = fc.record(
    Object.fromEntries(Object.entries(sections).map(([key, values]) => [key, fc.constantFrom(...values)])),
    { requiredKeys: [] },
  );

  it('property: documents that are valid alone always merge into a valid effective config', () => {
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 5 }), (documents) => {
        for (const data of documents) expect(validateConfigData(data)).not.toBeInstanceOf(ValidationError);
        const [system, org, team, workflow, step] = documents.map((data) => ({ revision: 1, data }));
        const merged = mergeConfigLevels({
          system: system ?? null,
          org: org ?? null,
          team: team ?? null,
          workflow: workflow ?? null,
          step: step ?? null,
        });
        expect(readSettings(merged)).not.toBeInstanceOf(ValidationError);
      }),
    );
  });
});
