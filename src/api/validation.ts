/**
 * Request validation with TypeBox's compiler, the same schemas that generate the OpenAPI document.
 * Bodies are checked as sent — no coercion, no defaults, and never stripping unknown fields (Fastify's
 * default ajv set-up removes properties `additionalProperties: false` forbids, which would turn a typo
 * into a silently ignored field); query strings, path parameters and headers are strings on the wire,
 * so they are converted to the schema's types first.
 */
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value: unknown) => {
    // Converting costs more than checking, and most requests need none (headers are strings, most
    // queries carry none of the numeric fields): a value already valid as sent is taken as it is.
    if (check.Check(value)) return { value };
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as FastifySchemaValidationError[] };
  };
};

interface SchemaError {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly params?: Record<string, unknown>;
  readonly message?: string;
}

const LOCATION: Readonly<Record<string, string>> = {
  body: '',
  querystring: '',
  params: '',
  headers: 'header ',
};

/**
 * The field a validation error names, as a path into its part of the request (`data`, `limit`,
 * `retry.max_attempts`), and a message naming it. The most specific error wins: an unknown or missing
 * property over the "schema is false" echo TypeBox reports for the same property, a deeper path over
 * a shallower one.
 */
export function describeValidationError(
  errors: readonly SchemaError[],
  context: string,
): { field: string; message: string } {
  // Within a rank the deepest path wins: for a union (`null` or an object), the object member's
  // `reason: must be string` says more than the root's `must be null`.
  const ranked = [...errors].sort((a, b) => rank(a) - rank(b) || depth(b) - depth(a));
  const error = ranked[0] ?? {};
  const base = pointerToPath(error.instancePath ?? '');
  let field = base;
  let message = error.message ?? 'is invalid';
  const params = error.params ?? {};
  if (error.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
    const [name] = params.additionalProperties as unknown[];
    field = join(base, String(name));
    message = 'is not a known field';
  } else if (error.keyword === 'required' && Array.isArray(params.requiredProperties)) {
    const [name] = params.requiredProperties as unknown[];
    field = join(base, String(name));
    message = 'is required';
  }
  if (field === '') field = context === 'querystring' ? 'query' : context;
  return { field, message: `${LOCATION[context] ?? ''}${field}: ${message}` };
}

const RANKS: Readonly<Record<string, number>> = { additionalProperties: 0, required: 1, boolean: 3 };

function rank(error: SchemaError): number {
  return RANKS[error.keyword ?? ''] ?? 2;
}

function depth(error: SchemaError): number {
  const path = error.instancePath ?? '';
  return path === '' ? 0 : path.split('/').length;
}

function join(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

/** `/retry/max_attempts` → `retry.max_attempts`; `/items/0` → `items[0]`. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : join(path, part)), '');
}
