import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConfigLevels,
  configVersion,
  effectiveConfig,
  mergeConfigLevels,
} from '../../../../src/domain/config/effective.ts';
import { CONFIG_SCOPES } from '../../../../src/domain/config/scope.ts';
import { canonicalJson } from '../../../../src/domain/shared/canonical-json.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('effective config', () => {
  const levels: ConfigLevels = {
    system: { revision: 3, data: { timeouts: { dispatch_ms: 1000, running_ms: 2000 }, routing: { topics: {} }, a: 1 } },
    org: { revision: 1, data: { timeouts: { running_ms: 5 }, b: 2 } },
    team: null,
    workflow: { revision: 2, data: { a: 'workflow' } },
  };

  it('merges shallowly: a later level replaces a top-level key whole', () => {
    expect(mergeConfigLevels(levels)).toEqual({
      // org's timeouts replace system's whole: dispatch_ms does not survive
      timeouts: { running_ms: 5 },
      routing: { topics: {} },
      a: 'workflow',
      b: 2,
    });
  });

  it('names each level revision, 0 for an absent one', () => {
    expect(configVersion(levels)).toBe('system:3|org:1|team:0|workflow:2|step:0');
    expect(configVersion({})).toBe('system:0|org:0|team:0|workflow:0|step:0');
  });

  it('hashes the canonical JSON of the merged data with the given function', () => {
    const result = effectiveConfig(levels, sha256);
    expect(result.hash).toBe(sha256(canonicalJson(result.data)));
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.version).toBe('system:3|org:1|team:0|workflow:2|step:0');
  });

  it('gives the same hash whatever order the keys were written in', () => {
    const reordered: ConfigLevels = {
      system: {
        revision: 3,
        data: { a: 1, routing: { topics: {} }, timeouts: { running_ms: 2000, dispatch_ms: 1000 } },
      },
      org: { revision: 1, data: { b: 2, timeouts: { running_ms: 5 } } },
      workflow: { revision: 2, data: { a: 'workflow' } },
    };
    expect(effectiveConfig(reordered, sha256).hash).toBe(effectiveConfig(levels, sha256).hash);
  });

  it('keeps a key named __proto__ as data, not as a prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const merged = mergeConfigLevels({ org: { revision: 1, data: hostile } });
    expect(Object.keys(merged)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(canonicalJson(merged)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  const data = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'routing'), fc.jsonValue(), { maxKeys: 4 });
  const level = fc.option(fc.record({ revision: fc.nat(50), data }), { nil: null });
  const anyLevels = fc.record({
    system: level,
    org: level,
    team: level,
    workflow: level,
    step: level,
  });

  it('property: every key takes the value of the last level that sets it; absent keys inherit', () => {
    fc.assert(
      fc.property(anyLevels, (given) => {
        const merged = mergeConfigLevels(given);
        const keys = new Set(CONFIG_SCOPES.flatMap((scope) => Object.keys(given[scope]?.data ?? {})));
        expect(new Set(Object.keys(merged))).toEqual(keys);
        for (const key of keys) {
          const last = [...CONFIG_SCOPES].reverse().find((scope) => given[scope]?.data[key] !== undefined);
          expect(merged[key]).toEqual(last === undefined ? undefined : given[last]?.data[key]);
        }
      }),
    );
  });

  it('property: the version lists every scope in order with its revision', () => {
    fc.assert(
      fc.property(anyLevels, (given) => {
        const parts = configVersion(given).split('|');
        expect(parts.map((part) => part.split(':')[0])).toEqual([...CONFIG_SCOPES]);
        CONFIG_SCOPES.forEach((scope, index) => {
          expect(parts[index]).toBe(`${scope}:${given[scope]?.revision ?? 0}`);
        });
      }),
    );
  });
});
