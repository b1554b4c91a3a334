import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../src/domain/shared/canonical-json.ts';

/** The same JSON value with every object's keys in a different (arbitrary) order. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, index) => reorder(item, seed + index));
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const rotated = keys.map((_, index) => keys[(index + seed) % keys.length] as string).reverse();
    // Object.fromEntries defines own properties, so a "__proto__" key stays a key (`out[key] = ...`
    // would set the prototype instead and drop it).
    return Object.fromEntries(
      rotated.map((key) => [key, reorder((value as Record<string, unknown>)[key], seed + key.length)]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('sorts integer-like keys as text, not in the engine order (RFC 8785)', () => {
    // A JS object lists "2" before "10"; code-unit order puts "10" first.
    expect(canonicalJson({ b: 0, 2: 0, 10: 0 })).toBe('{"10":0,"2":0,"b":0}');
  });

  it('sorts by UTF-16 code units, not by locale', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3 })).toBe('{"Z":3,"z":2,"é":1}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('writes numbers and strings as JSON.stringify does', () => {
    expect(canonicalJson({ n: 1e21, m: 0.1, z: -0, s: 'line\n"q"\u2028' })).toBe(
      `{"m":0.1,"n":1e+21,"s":${JSON.stringify('line\n"q"\u2028')},"z":0}`,
    );
  });

  it('leaves out undefined members and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
  });

  it('writes non-finite numbers as null and a top-level undefined as null', () => {
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('honours toJSON', () => {
    expect(canonicalJson({ when: { toJSON: () => 'later' } })).toBe('{"when":"later"}');
  });

  it('rejects cycles and bigints', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
    // The message is all a developer gets from a hash taken over a bad value: it names the problem.
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    expect(() => canonicalJson({ big: 1n })).toThrow(/bigint/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('property: the text does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        expect(canonicalJson(reorder(value, seed))).toBe(canonicalJson(value));
      }),
      { examples: [[{ ['__proto__']: null }, 0]] },
    );
  });

  it('property: it is valid JSON for the same value, and canonical again after a round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const parsed: unknown = JSON.parse(text);
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(parsed)).toBe(text);
      }),
    );
  });
});
