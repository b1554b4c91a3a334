/**
 * Hostile and malformed request parts: bodies (wrong shapes, unknown fields, bad JSON, oversized,
 * prototype keys, deep nesting), content types, auth headers and preconditions, query strings and
 * path parameters. Shared by every endpoint the fuzz test covers.
 */
import fc from 'fast-check';
import { type KeyName, KEYS, secretOf } from '../support/harness.ts';

/** A raw body: the text sent, whatever it parses to. */
export const hostileBody = (valid: fc.Arbitrary<unknown>, limitBytes: number): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .tuple(
        valid,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
          minKeys: 1,
          maxKeys: 3,
        }),
      )
      .map(([body, extra]) =>
        JSON.stringify(typeof body === 'object' && body !== null ? { ...extra, ...body, ...extra } : extra),
      ),
    fc.record({ data: fc.jsonValue({ maxDepth: 3 }) }).map((v) => JSON.stringify(v)),
    fc
      .record({
        data: fc.dictionary(
          fc.constantFrom('retry', 'timeouts', 'routing', 'safety', 'limits', 'dispatch', 'idempotency_ttl_ms'),
          fc.jsonValue({ maxDepth: 3 }),
        ),
      })
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 64 }),
    fc.constantFrom(
      '',
      '{',
      '[',
      'null',
      'true',
      '"x"',
      '{"data":',
      '{"data":{}}}',
      '\u0000',
      '{"data":{"__proto__":{"polluted":1}}}',
      '{"__proto__":{"x":1},"data":{}}',
      '{"constructor":{"prototype":{"x":1}},"data":{}}',
    ),
    fc.integer({ min: 1, max: 3 }).map((n) => JSON.stringify({ data: { x_big: 'y'.repeat(limitBytes * n) } })),
    fc.integer({ min: 50, max: 2000 }).map((depth) => `${'{"data":'.repeat(depth)}{}${'}'.repeat(depth)}`),
    fc.constant(undefined),
  );

export const hostileContentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'application/jsonx',
      'multipart/form-data; boundary=x',
      '*/*',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s)) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const token = (min: number, max: number) =>
  fc.string({ minLength: min, maxLength: max }).filter((s) => /^[\x20-\x7e]*$/.test(s));

export type Caller =
  { readonly kind: 'key'; readonly key: KeyName } | { readonly kind: 'raw'; readonly headers: Record<string, string> };

/** Callers: half the time the key the endpoint needs (so requests get past auth), else any key or garbage. */
export const hostileCaller = (preferred: KeyName): fc.Arbitrary<Caller> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant<Caller>({ kind: 'key', key: preferred }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...(Object.keys(KEYS) as KeyName[])).map((key): Caller => ({ kind: 'key', key })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constant({}),
          token(0, 40).map((t) => ({ authorization: `Bearer ${t}` })),
          token(0, 40).map((t) => ({ authorization: t })),
          token(1, 40).map((t) => ({ 'x-api-key': t })),
          fc
            .constantFrom(...(Object.keys(KEYS) as KeyName[]))
            .map((key) => ({ authorization: `Basic ${secretOf(key)}` })),
        )
        .map((headers): Caller => ({ kind: 'raw', headers })),
    },
  );

export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'if-match': fc.oneof(
      fc.constantFrom('"1"', '"2"', '*', '"0"', 'W/"1"', '"1", "2"', '""', '"99999999999999999999"'),
      token(0, 30),
    ),
    'if-none-match': fc.oneof(fc.constant('*'), token(0, 10)),
    traceparent: fc.oneof(fc.constant('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), token(0, 60)),
    'x-request-id': token(0, 200),
    'x-coretex-min-position': fc.oneof(fc.constantFrom('config:1', 'job:0', 'config:99999999999999999'), token(0, 20)),
  },
  { requiredKeys: [] },
);

export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(token(1, 10), token(0, 20), { maxKeys: 3 })
      .map((q) => `?${new URLSearchParams(q).toString()}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('?%', '?a=%zz', '?&&=', '?min_position=config:1', '?data=1&data=2') },
);

/** A path segment: usually plausible, sometimes hostile (never empty: an empty segment is another route). */
export const hostileSegment = (plausible: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: plausible },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '..',
        '.',
        '%',
        '*',
        '>',
        'a b',
        'ä',
        '\u0000',
        'x'.repeat(300),
        '__proto__',
        'constructor',
      ),
    },
  );
