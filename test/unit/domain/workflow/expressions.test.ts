import { describe, expect, it } from 'vitest';
import { checkExpression, evaluateExpression, evaluateTime } from '../../../../src/domain/workflow/expressions.ts';
import { validateRunInput } from '../../../../src/domain/workflow/input-schema.ts';
import { checkTemplate, parseTemplate, renderTemplate } from '../../../../src/domain/workflow/template.ts';

const variables = {
  input: { n: 2, f: 2.5, name: 'eu', list: [1, 2, 3], flags: { on: true } },
  steps: { build: { status: 'SUCCEEDED', output: { regions: ['eu', 'us'], count: 2 }, output_ptr: null } },
};

function value(text: string, vars: Parameters<typeof evaluateExpression>[1] = variables): unknown {
  const result = evaluateExpression(text, vars);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('CEL over JSON', () => {
  it('reads JSON integers as CEL ints and gives JSON numbers back', () => {
    expect(value('input.n + 1')).toBe(3);
    expect(value('input.list.map(x, x * 10)')).toEqual([10, 20, 30]);
    expect(value('size(steps.build.output.regions)')).toBe(2);
    expect(value('input.f * 2.0')).toBe(5);
  });

  it('gives maps, lists and timestamps back as JSON', () => {
    expect(value('{"a": input.n, "b": [input.name]}')).toEqual({ a: 2, b: ['eu'] });
    expect(value('timestamp("2030-01-02T03:04:05Z")')).toBe('2030-01-02T03:04:05.000Z');
    expect(value('steps.build.status == "SUCCEEDED" && input.flags.on')).toBe(true);
  });

  it('reports, never throws, what has no JSON form or fails at run time', () => {
    for (const text of ['b"abc"', 'duration("1s")', '9223372036854775807', 'input.missing', '1 / 0', 'input.f + 1']) {
      const result = evaluateExpression(text, variables);
      expect(result.ok, text).toBe(false);
    }
  });

  it('gives item and index to for_each children', () => {
    expect(value('item.id + index', { ...variables, child: { item: { id: 5 }, index: 2 } })).toBe(7);
  });

  it('reads delay_until as a timestamp or epoch milliseconds', () => {
    expect(evaluateTime('timestamp("1970-01-01T00:00:01Z")', variables)).toEqual({ ok: true, value: 1000 });
    expect(evaluateTime('input.n * 1000', variables)).toEqual({ ok: true, value: 2000 });
    expect(evaluateTime('"soon"', variables).ok).toBe(false);
  });

  it('finds the steps an expression reads, by select and by literal index', () => {
    expect(checkExpression('steps.b.output + steps["a"].output + size(steps)', 'step', 'any')).toEqual({
      stepRefs: ['a', 'b'],
    });
    expect(checkExpression('has(steps.c.output)', 'step', 'bool')).toEqual({ stepRefs: ['c'] });
  });

  it('type-checks against the kind a field needs', () => {
    expect(checkExpression('1', 'step', 'bool')).toMatch(/must give a bool/);
    expect(checkExpression('[1]', 'step', 'list')).toEqual({ stepRefs: [] });
    expect(checkExpression('index', 'step', 'any')).toMatch(/index/);
    expect(checkExpression('index', 'child', 'any')).toEqual({ stepRefs: [] });
  });
});

describe('${expr} templates', () => {
  it('keeps the type of a whole-string template and interpolates the rest', () => {
    const result = renderTemplate(
      {
        n: '${input.n}',
        list: '${steps.build.output.regions}',
        text: 'n=${input.n} in ${input.name}',
        obj: 'o=${input.flags}',
        keep: 7,
      },
      variables,
    );
    expect(result).toEqual({
      ok: true,
      value: { n: 2, list: ['eu', 'us'], text: 'n=2 in eu', obj: 'o={"on":true}', keep: 7 },
    });
  });

  it('reads braces inside CEL strings and maps, and $${ as a literal', () => {
    expect(parseTemplate('${ {"a": "}"}.a }')).toEqual([{ expr: '{"a": "}"}.a' }]);
    expect(renderTemplate('$${input.n} is ${input.n}', variables)).toEqual({ ok: true, value: '${input.n} is 2' });
    expect(renderTemplate('${ {"k": input.n}.k }', variables)).toEqual({ ok: true, value: 2 });
  });

  it('fails the rendering on the first failing expression', () => {
    expect(renderTemplate(['${input.n}', { x: '${input.nope}' }], variables)).toEqual({
      ok: false,
      error: expect.stringMatching(/input.nope/) as unknown,
    });
  });

  it('names the path of a bad template on save', () => {
    const refs = new Set<string>();
    expect(checkTemplate({ a: [1, { b: '${oops(}' }] }, 'step', refs)).toMatchObject({ path: 'a[1].b' });
    expect(checkTemplate({ a: '${' }, 'step', refs)).toMatchObject({
      path: 'a',
      message: expect.stringMatching(/unclosed/) as unknown,
    });
    expect(checkTemplate({ a: '${ }' }, 'step', refs)).toMatchObject({
      message: expect.stringMatching(/empty/) as unknown,
    });
    expect(checkTemplate({ a: '${steps.x.output}', b: ['${steps.y.output}'] }, 'step', refs)).toBeNull();
    expect([...refs].sort()).toEqual(['x', 'y']);
  });
});

describe('run input against the input schema', () => {
  const schema = {
    type: 'object',
    properties: {
      user: { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] },
      items: { type: 'array', items: { type: 'integer' } },
    },
    required: ['user'],
  };

  it('accepts a valid input, and any input without a schema', () => {
    expect(validateRunInput(schema, { user: { email: 'a@example.com' }, items: [1] })).toBeNull();
    expect(validateRunInput(null, 'anything')).toBeNull();
  });

  it.each([
    [{}, 'input.user'],
    [{ user: {} }, 'input.user.email'],
    [{ user: { email: 'nope' } }, 'input.user.email'],
    [{ user: { email: 'a@example.com' }, items: [1, 'x'] }, 'input.items[1]'],
    ['text', 'input'],
  ])('names the field: %j', (input, field) => {
    const error = validateRunInput(schema, input);
    expect(error?.name).toBe('ValidationError');
    expect(error?.field).toBe(field);
    expect(error?.code).toBe('invalid_input');
  });

  it('lets two workflows use one $id for different schemas', () => {
    expect(validateRunInput({ $id: 'https://x/s', type: 'string' }, 'a')).toBeNull();
    expect(validateRunInput({ $id: 'https://x/s', type: 'integer' }, 1)).toBeNull();
    expect(validateRunInput({ $id: 'https://x/s', type: 'integer' }, 'a')?.field).toBe('input');
  });
});
