/**
 * Workflow definition details beside parse-definition.test.ts: the top-level fields at their limits,
 * the messages a client reads, and output paths that clash or merely look alike.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';
import { DEFINITION_LIMITS as LIMITS, type WorkflowDefinition } from '../../../../src/domain/workflow/definition.ts';
import { parseWorkflowDefinition } from '../../../../src/domain/workflow/parse-definition.ts';

const context = { workflow_id: 'deploy', org_id: 'acme' };
const steps = { a: {} };

function parsed(body: Record<string, unknown>): WorkflowDefinition {
  const result = parseWorkflowDefinition(body, context);
  if (result instanceof ValidationError) throw new Error(`unexpected ${result.field}: ${result.message}`);
  return result;
}

function rejected(body: unknown): ValidationError {
  const result = parseWorkflowDefinition(body, context);
  if (!(result instanceof ValidationError)) throw new Error('expected a validation error');
  expect(result.code).toBe('invalid_workflow');
  return result;
}

describe('top-level fields', () => {
  it('keeps a description, and reads a null one, a null org and a null timeout as absent', () => {
    expect(parsed({ description: 'ship it', steps }).description).toBe('ship it');
    expect(parsed({ description: null, org_id: null, timeout_ms: null, input_schema: null, steps })).toMatchObject({
      description: null,
      org_id: 'acme',
      timeout_ms: null,
      input_schema: null,
    });
  });

  it('accepts a name and a description at their length limits, and refuses one character more', () => {
    const name = 'n'.repeat(LIMITS.max_name_length);
    const description = 'd'.repeat(LIMITS.max_description_length);
    expect(parsed({ name, description, steps })).toMatchObject({ name, description });
    expect(rejected({ name: `${name}n`, steps })).toMatchObject({
      field: 'name',
      message: `name: must be at most ${LIMITS.max_name_length} characters`,
    });
    expect(rejected({ description: `${description}d`, steps })).toMatchObject({
      field: 'description',
      message: `description: must be at most ${LIMITS.max_description_length} characters`,
    });
    expect(rejected({ description: 42, steps })).toMatchObject({
      field: 'description',
      message: 'description: must be a string',
    });
    expect(rejected({ name: '', steps }).field).toBe('name');
  });

  it('accepts the largest number of steps and refuses one more, saying so', () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, {}]));
    expect(Object.keys(parsed({ steps: many(LIMITS.max_steps) }).steps)).toHaveLength(LIMITS.max_steps);
    expect(rejected({ steps: many(LIMITS.max_steps + 1) })).toMatchObject({
      message: `steps: at most ${LIMITS.max_steps} steps`,
    });
    expect(rejected({ steps: {} })).toMatchObject({ message: 'steps: a workflow needs at least one step' });
  });

  it('reads a run timeout as an integer', () => {
    expect(parsed({ timeout_ms: 60_000, steps }).timeout_ms).toBe(60_000);
    expect(rejected({ timeout_ms: 1.5, steps })).toMatchObject({
      field: 'timeout_ms',
      message: 'timeout_ms: must be an integer',
    });
  });

  it('takes a boolean or an object as an input schema, nothing else', () => {
    expect(parsed({ input_schema: true, steps }).input_schema).toBe(true);
    expect(parsed({ input_schema: false, steps }).input_schema).toBe(false);
    expect(parsed({ input_schema: { type: 'object' }, steps }).input_schema).toEqual({ type: 'object' });
    for (const input_schema of ['object', 3, []]) {
      expect(rejected({ input_schema, steps })).toMatchObject({
        field: 'input_schema',
        message: 'input_schema: must be a JSON Schema (an object or a boolean)',
      });
    }
  });

  it('says what is wrong with the id, the org, the team or an unknown field', () => {
    expect(rejected({ id: 'other', steps }).message).toBe('id: must be "deploy" (the workflow\'s id)');
    expect(rejected({ org_id: 'evil', steps }).message).toBe('org_id: must be "acme" (your org)');
    expect(rejected({ team_id: 'a b', steps }).message).toBe('team_id: must match /^[A-Za-z0-9_-]{1,64}$/');
    expect(rejected({ stepz: {}, steps }).message).toMatch(
      /^stepz: unknown field \(expected one of: [a-z_]+(, [a-z_]+)+\)$/,
    );
    const badId = parseWorkflowDefinition({ steps }, { workflow_id: 'a.b', org_id: 'acme' });
    expect(badId).toMatchObject({ field: 'id', message: 'id: a workflow id must match /^[A-Za-z0-9_-]{1,64}$/' });
  });
});

describe('output paths', () => {
  it.each([
    ['the same path', 'out.a', 'out.a'],
    ['a path inside an earlier one', 'out', 'out.a'],
    ['a path around an earlier one', 'out.a.b', 'out.a'],
  ])('refuses %s', (_what, first, second) => {
    expect(rejected({ steps: { a: { output_path: first }, b: { output_path: second } } })).toMatchObject({
      field: 'steps.b.output_path',
      message: `steps.b.output_path: overlaps steps.a.output_path ("${first}")`,
    });
  });

  it.each([
    ['siblings', 'out.a', 'out.b'],
    ['a shared prefix that is not a parent', 'out.a', 'out.ab'],
    ['the same tail under another parent', 'x.a', 'y.x.a'],
  ])('accepts %s', (_what, first, second) => {
    expect(parsed({ steps: { a: { output_path: first }, b: { output_path: second } } }).steps.b?.output_path).toBe(
      second,
    );
  });
});
