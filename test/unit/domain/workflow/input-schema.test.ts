/** SPEC 2.1: a run input checked against the workflow's JSON Schema, the error naming the field. */
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../../src/domain/workflow/definition.ts';
import { checkInputSchema, validateRunInput } from '../../../../src/domain/workflow/input-schema.ts';

const schema = {
  type: 'object',
  required: ['user'],
  properties: {
    user: {
      type: 'object',
      required: ['email'],
      properties: { email: { type: 'string', format: 'email' } },
    },
    items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } },
    'a/b': { type: 'string' },
    'til~de': { type: 'string' },
    'two words': { type: 'string' },
    x10: { type: 'string' },
    '10x': { type: 'string' },
    '1a2': { type: 'string' },
  },
} as unknown as JsonSchema;

const user = { email: 'ops@example.com' };

describe('validateRunInput', () => {
  it('accepts any input when the workflow has no schema, and a valid one when it has', () => {
    expect(validateRunInput(null, 'anything')).toBeNull();
    expect(validateRunInput(schema, { user, items: [{ id: 1 }] })).toBeNull();
  });

  it.each([
    ['a missing top-level property', {}, 'input.user', "must have required property 'user'"],
    ['a missing nested property', { user: {} }, 'input.user.email', "must have required property 'email'"],
    ['a bad format', { user: { email: 'nope' } }, 'input.user.email', 'must match format "email"'],
    ['a bad list item', { user, items: [{ id: 1 }, { id: 'x' }] }, 'input.items[1].id', 'must be integer'],
    ['a key with a slash', { user, 'a/b': 1 }, 'input["a/b"]', 'must be string'],
    ['a key with a tilde', { user, 'til~de': 1 }, 'input["til~de"]', 'must be string'],
    ['a key with a space', { user, 'two words': 1 }, 'input["two words"]', 'must be string'],
    ['a key ending in digits', { user, x10: 1 }, 'input.x10', 'must be string'],
    ['a key starting with digits', { user, '10x': 1 }, 'input.10x', 'must be string'],
    ['a key with digits around a letter', { user, '1a2': 1 }, 'input.1a2', 'must be string'],
    ['an input that is not an object', [], 'input', 'must be object'],
  ])('names the field of %s', (_what, input, field, message) => {
    expect(validateRunInput(schema, input)).toMatchObject({
      field,
      message: `${field} ${message}`,
      code: 'invalid_input',
    });
  });

  it('reports a schema that does not compile against the schema, not the input', () => {
    const error = validateRunInput({ type: 'objekt' }, {});
    expect(error).toMatchObject({ field: 'input_schema' });
    expect(error?.message).toMatch(/^the workflow's input schema does not compile: /);
    expect(checkInputSchema({ type: 'objekt' })).toMatch(/^schema is invalid: data\/type/);
  });

  it('keeps schemas apart that share an $id', () => {
    const a = { $id: 'https://example.com/input.json', type: 'string' } as unknown as JsonSchema;
    const b = { $id: 'https://example.com/input.json', type: 'number' } as unknown as JsonSchema;
    expect(checkInputSchema(a)).toBeNull();
    expect(checkInputSchema(b)).toBeNull();
    expect(validateRunInput(a, 'x')).toBeNull();
    expect(validateRunInput(b, 1)).toBeNull();
    expect(validateRunInput(a, 1)).toMatchObject({ field: 'input' });
    expect(validateRunInput(b, 'x')).toMatchObject({ field: 'input' });
  });
});
