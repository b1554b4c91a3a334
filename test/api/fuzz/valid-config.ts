/** Config data that a PUT must accept: valid settings sections and the user's own keys. */
import fc from 'fast-check';

const duration = fc.integer({ min: 1, max: 86_400_000 });
// Never `__proto__`: the API refuses prototype keys in bodies (a 400 by design, see src/api/json-body.ts).
const name = fc.stringMatching(/^[a-z0-9_-]{1,12}$/).filter((text) => text !== '__proto__');

const retry = fc
  .record({
    max_attempts: fc.integer({ min: 1, max: 20 }),
    initial_backoff_ms: fc.integer({ min: 0, max: 60_000 }),
    extra_backoff_ms: fc.integer({ min: 0, max: 600_000 }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ extra_backoff_ms, ...rest }) => ({ ...rest, max_backoff_ms: rest.initial_backoff_ms + extra_backoff_ms }));

const timeouts = fc.record({ dispatch_ms: duration, running_ms: duration }, { requiredKeys: [] });

const limits = fc.record(
  {
    max_concurrent: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    tenants: fc.dictionary(
      name,
      fc.record({ max_concurrent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }) }),
    ),
  },
  { requiredKeys: [] },
);

const routing = fc.record(
  {
    topics: fc.dictionary(
      name.map((n) => `job.${n}`),
      name,
    ),
    pools: fc.dictionary(name, fc.record({ requires: fc.uniqueArray(name, { maxLength: 3 }) })),
    cordoned_workers: fc.uniqueArray(name, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** Keys that are not settings pass through to jobs as they are. */
const userKey = fc.stringMatching(/^x_[a-z0-9_]{1,10}$/);

export const validConfigData: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record({ retry, timeouts, limits, routing }, { requiredKeys: [] }),
    fc.dictionary(userKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  )
  .map(([settings, own]) => ({ ...own, ...settings }))
  // The API refuses prototype keys anywhere in a body (src/api/json-body.ts): not part of a valid request.
  .filter((data) => !/"(__proto__|prototype)":/.test(JSON.stringify(data)));
