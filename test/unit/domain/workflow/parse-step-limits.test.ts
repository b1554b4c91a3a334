/** Step fields at and past their limits, and the message of each refusal (beside parse-definition.test.ts). */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';
import { DEFINITION_LIMITS as LIMITS, type WorkflowDefinition } from '../../../../src/domain/workflow/definition.ts';
import { parseWorkflowDefinition } from '../../../../src/domain/workflow/parse-definition.ts';

const context = { workflow_id: 'deploy', org_id: 'acme' };

function parsed(steps: Record<string, unknown>): WorkflowDefinition {
  const result = parseWorkflowDefinition({ steps }, context);
  if (result instanceof ValidationError) throw new Error(`unexpected ${result.field}: ${result.message}`);
  return result;
}

function refusal(steps: Record<string, unknown>): { field: string; message: string } {
  const result = parseWorkflowDefinition({ steps }, context);
  if (!(result instanceof ValidationError)) throw new Error('expected a validation error');
  return { field: result.field, message: result.message };
}

const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const labelsOf = (n: number) => Object.fromEntries(many(n, 'k').map((key) => [key, 'v']));

describe('step limits', () => {
  it('accepts each field at its limit', () => {
    const deps = many(LIMITS.max_depends_on, 'd');
    const steps: Record<string, unknown> = Object.fromEntries(deps.map((id) => [id, {}]));
    steps.a = {
      depends_on: deps,
      condition: `true${' '.repeat(LIMITS.max_expression_length - 4)}`,
      delay_ms: LIMITS.max_delay_ms,
      labels: labelsOf(LIMITS.max_labels - 1),
      route_labels: { zone: 'a' },
      requires: many(LIMITS.max_requires, 'c'),
      retry: { initial_backoff_ms: 10, max_backoff_ms: 10, multiplier: LIMITS.max_multiplier },
    };
    const a = parsed(steps).steps.a;
    expect(a?.depends_on).toHaveLength(LIMITS.max_depends_on);
    expect(a?.requires).toHaveLength(LIMITS.max_requires);
    expect(a?.retry).toMatchObject({ initial_backoff_ms: 10, max_backoff_ms: 10, multiplier: LIMITS.max_multiplier });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'too many dependencies',
      {
        ...Object.fromEntries(many(LIMITS.max_depends_on + 1, 'd').map((id) => [id, {}])),
        a: { depends_on: many(LIMITS.max_depends_on + 1, 'd') },
      },
      'steps.a.depends_on',
      `at most ${LIMITS.max_depends_on} dependencies`,
    ],
    [
      'too long an expression',
      { a: { condition: `true${' '.repeat(LIMITS.max_expression_length - 3)}` } },
      'steps.a.condition',
      `must be at most ${LIMITS.max_expression_length} characters`,
    ],
    ['a blank expression', { a: { condition: '  ' } }, 'steps.a.condition', 'must be a CEL expression (a string)'],
    [
      'an expression that is not text',
      { a: { condition: true } },
      'steps.a.condition',
      'must be a CEL expression (a string)',
    ],
    [
      'too long a delay',
      { a: { delay_ms: LIMITS.max_delay_ms + 1 } },
      'steps.a.delay_ms',
      `must be at most ${LIMITS.max_delay_ms}`,
    ],
    [
      'too many labels with the route labels',
      { a: { labels: labelsOf(LIMITS.max_labels), route_labels: { zone: 'a' } } },
      'steps.a.labels',
      `labels and route_labels hold at most ${LIMITS.max_labels} entries together`,
    ],
    [
      'an empty label value',
      { a: { labels: { k: '' } } },
      'steps.a.labels.k',
      'a label value is a non-empty string of at most 256 characters',
    ],
    [
      'a long label value',
      { a: { labels: { k: 'v'.repeat(257) } } },
      'steps.a.labels.k',
      'a label value is a non-empty string of at most 256 characters',
    ],
    [
      'a label value that is not text',
      { a: { labels: { k: 1 } } },
      'steps.a.labels.k',
      'a label value is a non-empty string of at most 256 characters',
    ],
    [
      'too many capabilities',
      { a: { requires: many(LIMITS.max_requires + 1, 'c') } },
      'steps.a.requires',
      `at most ${LIMITS.max_requires} capabilities`,
    ],
    ['meta that is not an object', { a: { meta: ['x'] } }, 'steps.a.meta', 'must be an object'],
    [
      'an unknown retry field',
      { a: { retry: { retries: 1 } } },
      'steps.a.retry.retries',
      'unknown field (expected one of: max_retries, initial_backoff_ms, max_backoff_ms, multiplier)',
    ],
    ['a multiplier below 1', { a: { retry: { multiplier: 0.5 } } }, 'steps.a.retry.multiplier', 'must be at least 1'],
    [
      'a multiplier above the limit',
      { a: { retry: { multiplier: LIMITS.max_multiplier + 1 } } },
      'steps.a.retry.multiplier',
      `must be at most ${LIMITS.max_multiplier}`,
    ],
    [
      'a fractional retry count',
      { a: { retry: { max_retries: 1.5 } } },
      'steps.a.retry.max_retries',
      'must be an integer',
    ],
    ['a topic that is not text', { a: { topic: 7 } }, 'steps.a.topic', 'must match /^job(\\.[a-z0-9_-]+)+$/'],
  ])('refuses %s', (_what, steps, field, message) => {
    expect(refusal(steps)).toEqual({ field, message: `${field}: ${message}` });
  });

  it('reads null optional fields as absent', () => {
    const a = parsed({
      a: {
        topic: null,
        condition: null,
        labels: null,
        route_labels: null,
        requires: null,
        meta: null,
        retry: null,
        output_path: null,
      },
    }).steps.a;
    expect(a).toMatchObject({
      condition: null,
      labels: {},
      route_labels: {},
      requires: [],
      meta: {},
      output_path: null,
    });
  });

  it('names the article right for each step type', () => {
    expect(refusal({ a: { type: 'approval', topic: 'job.x' } }).message).toBe(
      'steps.a.topic: an approval step has no topic',
    );
    expect(refusal({ a: { type: 'delay', delay_ms: 5, topic: 'job.x' } }).message).toBe(
      'steps.a.topic: a delay step has no topic',
    );
  });
});
