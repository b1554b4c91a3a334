/** Reads the settings view (settings.ts) from an effective config's `data`, or one document's. */
import type { ValidationError } from '../shared/errors.ts';
import { readRouting } from './read-routing.ts';
import { readSafety } from './read-safety.ts';
import { readDispatch, readIdempotencyTtl, readLimits, readRetry, readTimeouts } from './read-sections.ts';
import { catchValidation, type JsonObject } from './reader.ts';
import type { Settings } from './settings.ts';

/** The settings, or a `ValidationError` whose `field` is the path of the first bad value. */
export function readSettings(data: JsonObject): Settings | ValidationError {
  return catchValidation(() => ({
    routing: readRouting(data),
    timeouts: readTimeouts(data),
    retry: readRetry(data),
    safety: readSafety(data),
    limits: readLimits(data),
    dispatch: readDispatch(data),
    idempotency_ttl_ms: readIdempotencyTtl(data),
  }));
}
