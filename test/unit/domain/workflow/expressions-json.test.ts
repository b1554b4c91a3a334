/** CEL values back to JSON, `delay_until` times, and expression type checks: details beside expressions.test.ts. */
import { describe, expect, it } from 'vitest';
import {
  checkExpression,
  evaluateExpression,
  evaluateTime,
  fromCel,
} from '../../../../src/domain/workflow/expressions.ts';

const variables = { input: { n: 2, f: 2.5, name: 'eu' }, steps: {} };

describe('fromCel', () => {
  it('gives JSON back for maps, null-prototype objects and unsigned ints', () => {
    expect(
      fromCel(
        new Map<string, unknown>([
          ['a', 1n],
          ['b', [2n, 'x']],
        ]),
      ),
    ).toEqual({ a: 1, b: [2, 'x'] });
    expect(fromCel(Object.assign(Object.create(null) as object, { a: 3n }))).toEqual({ a: 3 });
    class UnsignedInt {
      readonly value: bigint;
      constructor(value: bigint) {
        this.value = value;
      }
    }
    expect(fromCel(new UnsignedInt(7n))).toBe(7);
    expect(fromCel({ value: 7n })).toEqual({ value: 7 });
    expect(fromCel(2.5)).toBe(2.5);
  });

  it.each([
    [Number.NaN, 'NaN has no JSON form'],
    [Number.POSITIVE_INFINITY, 'Infinity has no JSON form'],
    [new Map([[1n, 'x']]), 'a map with non-string keys has no JSON form'],
    [2n ** 60n, `${2n ** 60n} is beyond the integers JSON keeps exactly`],
    [new Uint8Array([1]), 'a Uint8Array has no JSON form'],
    [new (class Other {})(), 'a Object has no JSON form'],
    [
      new (class Wrapped {
        value = 'x';
      })(),
      'a Object has no JSON form',
    ],
  ])('refuses %s, saying why', (value, message) => {
    expect(() => fromCel(value)).toThrow(message);
  });
});

describe('evaluateTime', () => {
  it('takes a timestamp, an int or a whole double as epoch milliseconds', () => {
    expect(evaluateTime('timestamp("2030-01-01T00:00:00Z")', variables)).toEqual({
      ok: true,
      value: 1_893_456_000_000,
    });
    expect(evaluateTime('input.n', variables)).toEqual({ ok: true, value: 2 });
    expect(evaluateTime('input.f * 2.0', variables)).toEqual({ ok: true, value: 5 });
  });

  it('refuses anything else, saying what it needs', () => {
    for (const text of ['input.f', '"soon"', 'input']) {
      expect(evaluateTime(text, variables)).toEqual({
        ok: false,
        error: 'must give a timestamp or epoch milliseconds',
      });
    }
    expect(evaluateTime('9223372036854775807', variables)).toEqual({
      ok: false,
      error: '9223372036854775807 is beyond the integers JSON keeps exactly',
    });
    expect(evaluateTime('input.missing', variables)).toEqual({ ok: false, error: 'No such key: missing' });
  });
});

describe('evaluateExpression errors', () => {
  it('reports the first line of the error', () => {
    expect(evaluateExpression('input.missing', variables)).toEqual({ ok: false, error: 'No such key: missing' });
    expect(evaluateExpression('1 / 0', variables)).toEqual({ ok: false, error: 'division by zero' });
    expect(evaluateExpression('b"x"', variables)).toEqual({ ok: false, error: 'a Uint8Array has no JSON form' });
  });
});

describe('checkExpression types', () => {
  it('accepts for a time an int, a timestamp or a dyn value, nothing else', () => {
    expect(checkExpression('1', 'step', 'time')).toEqual({ stepRefs: expect.anything() });
    expect(checkExpression('timestamp("2030-01-01T00:00:00Z")', 'step', 'time')).toEqual({
      stepRefs: expect.anything(),
    });
    expect(checkExpression('input.x', 'step', 'time')).toEqual({ stepRefs: expect.anything() });
    expect(checkExpression('"soon"', 'step', 'time')).toBe(
      'must give a timestamp or epoch milliseconds (int), not string',
    );
  });

  it('reports only the first line of a syntax error', () => {
    const problem = checkExpression('input.n +', 'step', 'any');
    expect(typeof problem).toBe('string');
    expect(problem).not.toContain('\n');
    expect(problem).toMatch(/^Unexpected token/);
  });
});
