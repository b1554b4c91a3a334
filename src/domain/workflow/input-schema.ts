/**
 * The run input's JSON Schema (SPEC 2.1): compiled by ajv (strict, with ajv-formats) when a
 * definition is saved, so an unknown keyword, format or unresolved `$ref` is a save error; and
 * applied when a run starts, the error naming the offending field (`input.user.email`).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { canonicalJson } from '../shared/canonical-json.ts';
import { ValidationError } from '../shared/errors.ts';
import type { JsonSchema } from './definition.ts';

// Strict about keywords and formats (a typo must not silently accept everything), not about the
// valid-but-loose shapes strict mode also flags (`required` naming undeclared properties, untyped
// tuples). `addUsedSchema: false`: two workflows may use the same `$id` for different schemas.
const ajv = new Ajv({
  strict: true,
  strictRequired: false,
  strictTypes: false,
  strictTuples: false,
  allErrors: false,
  addUsedSchema: false,
  logger: false,
});
formatsPlugin.default(ajv);

// Compiled validators by the schema's canonical JSON, bounded; evicted ones leave ajv's cache too.
const validators = new Map<string, { readonly schema: JsonSchema; readonly validate: ValidateFunction }>();
const MAX_VALIDATORS = 500;

function compile(schema: JsonSchema): ValidateFunction | string {
  const key = canonicalJson(schema);
  const found = validators.get(key);
  if (found !== undefined) return found.validate;
  try {
    const validate = ajv.compile(schema);
    if (validators.size >= MAX_VALIDATORS) evictOldest();
    validators.set(key, { schema, validate });
    return validate;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function evictOldest(): void {
  const oldest = validators.entries().next();
  if (oldest.done === true) return;
  const [key, entry] = oldest.value;
  validators.delete(key);
  if (typeof entry.schema === 'object') ajv.removeSchema(entry.schema);
}

/** Null when the schema compiles; else the problem, for a `ValidationError` on `input_schema`. */
export function checkInputSchema(schema: JsonSchema): string | null {
  const compiled = compile(schema);
  return typeof compiled === 'string' ? compiled : null;
}

/** Validates a run input; the error's field is `input` or a path inside it (`input.items[2].id`). */
export function validateRunInput(schema: JsonSchema | null, input: unknown): ValidationError | null {
  if (schema === null) return null;
  const validate = compile(schema);
  if (typeof validate === 'string') {
    return new ValidationError('input_schema', `the workflow's input schema does not compile: ${validate}`);
  }
  if (validate(input)) return null;
  const error = validate.errors?.[0];
  const field = error === undefined ? 'input' : fieldOf(error);
  return new ValidationError(field, `${field} ${error?.message ?? 'is invalid'}`, 'invalid_input');
}

/** `/items/2/id` → `input.items[2].id`; a missing required property is named itself. */
function fieldOf(error: ErrorObject): string {
  let field = 'input';
  for (const token of error.instancePath.split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    field = /^(0|[1-9][0-9]*)$/.test(key) ? `${field}[${key}]` : appendKey(field, key);
  }
  const missing: unknown = error.keyword === 'required' ? error.params.missingProperty : undefined;
  return typeof missing === 'string' ? appendKey(field, missing) : field;
}

function appendKey(path: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
