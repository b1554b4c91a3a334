/**
 * A config document (SPEC 4): one scope's JSON object `data` with a `revision` (1 on its first write,
 * +1 on each; an absent document counts as revision 0 in versions). `validateConfigDocument` is what a
 * PUT runs before anything is written.
 */
import { ValidationError } from '../shared/errors.ts';
import { readSettings } from './read-settings.ts';
import { isJsonObject, type JsonObject } from './reader.ts';
import { parseScopeRef, type ScopeRef } from './scope.ts';

export interface ConfigDocument extends ScopeRef {
  readonly revision: number;
  readonly data: JsonObject;
}

/**
 * Checks a document about to be written: a valid scope and scope id, `data` a JSON object, and every
 * setting it holds valid on its own. Since the merge replaces top-level keys whole, documents that
 * pass this always merge into a valid effective config. The error's `field` is `scope`, `scope_id`,
 * `data`, or the path of the bad setting (`routing.pools.gpu.requires`).
 */
export function validateConfigDocument(
  scope: string,
  scopeId: string,
  data: unknown,
): { readonly ref: ScopeRef; readonly data: JsonObject } | ValidationError {
  const ref = parseScopeRef(scope, scopeId);
  if (ref instanceof ValidationError) return ref;
  const checked = validateConfigData(data);
  if (checked instanceof ValidationError) return checked;
  return { ref, data: checked };
}

export function validateConfigData(data: unknown): JsonObject | ValidationError {
  if (!isJsonObject(data)) return new ValidationError('data', 'config data must be a JSON object', 'invalid_config');
  const settings = readSettings(data);
  return settings instanceof ValidationError ? settings : data;
}
