import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';
import { DEFAULT_STEP_RETRY, type WorkflowDefinition } from '../../../../src/domain/workflow/definition.ts';
import { parseWorkflowDefinition } from '../../../../src/domain/workflow/parse-definition.ts';

const context = { workflow_id: 'deploy', org_id: 'acme' };

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

function stepsError(steps: Record<string, unknown>): ValidationError {
  return rejected({ name: 'x', steps });
}

describe('a valid definition', () => {
  it('fills every default and keeps what was given', () => {
    const definition = parsed({
      name: 'Deploy',
      description: 'ship it',
      team_id: 'platform',
      input_schema: { type: 'object', properties: { version: { type: 'string' } }, required: ['version'] },
      timeout_ms: 3_600_000,
      steps: {
        build: { topic: 'job.build', input: { version: '${input.version}' }, output_path: 'artifacts.build' },
        gate: { type: 'approval', depends_on: ['build'], input: { summary: 'release ${input.version}' } },
        deploy: {
          depends_on: ['gate', 'build'],
          for_each: 'steps.build.output.regions',
          max_parallel: 2,
          join: 'ignore_failures',
          input: { region: '${item}', n: '${index}' },
          retry: { max_retries: 3, initial_backoff_ms: 500 },
          timeout_ms: 60_000,
          labels: { service: 'api' },
          route_labels: { region: 'eu', 'placement.rack': 'r1' },
          requires: ['docker'],
          meta: { owner: 'ops' },
        },
        wait: { type: 'delay', depends_on: ['deploy'], delay_ms: 1000 },
        notify: { type: 'notify', depends_on: ['wait'], condition: 'steps.deploy.status == "SUCCEEDED"' },
      },
    });
    expect(definition).toMatchObject({ id: 'deploy', org_id: 'acme', team_id: 'platform', timeout_ms: 3_600_000 });
    expect(definition.steps.build).toMatchObject({
      type: 'job',
      topic: 'job.build',
      depends_on: [],
      join: 'all',
      max_parallel: null,
      retry: DEFAULT_STEP_RETRY,
      timeout_ms: null,
    });
    expect(definition.steps.deploy?.retry).toEqual({ ...DEFAULT_STEP_RETRY, max_retries: 3, initial_backoff_ms: 500 });
    expect(definition.steps.deploy?.route_labels).toEqual({ region: 'eu', 'placement.rack': 'r1' });
    expect(definition.steps.gate).toMatchObject({ type: 'approval', topic: null });
    expect(definition.steps.notify?.topic).toBe('job.default');
  });

  it('names the workflow after its id when no name is given, and accepts a matching id and org', () => {
    const definition = parsed({ id: 'deploy', org_id: 'acme', steps: { a: {} } });
    expect(definition.name).toBe('deploy');
  });

  it('accepts step ids that are Object.prototype member names as plain steps', () => {
    const definition = parsed({ steps: { constructor: {}, tostring: { depends_on: ['constructor'] } } });
    expect(Object.keys(definition.steps)).toEqual(['constructor', 'tostring']);
  });
});

describe('validation errors name the step and the field', () => {
  it.each([
    ['an unknown dependency', { a: {}, b: { depends_on: ['a', 'nope'] } }, 'steps.b.depends_on', /unknown step "nope"/],
    [
      'a cycle (named)',
      { a: { depends_on: ['c'] }, b: { depends_on: ['a'] }, c: { depends_on: ['b'] } },
      'steps.a.depends_on',
      /cycle: a → c → b → a/,
    ],
    ['a self-dependency', { a: { depends_on: ['a'] } }, 'steps.a.depends_on', /cycle: a → a/],
    [
      'an unknown step type',
      { a: { type: 'script' } },
      'steps.a.type',
      /one of: job, condition, approval, delay, notify/,
    ],
    ['a bad step id', { 'Build!': {} }, 'steps["Build!"]', /must match/],
    ['a too long step id', { ['a'.repeat(49)]: {} }, `steps.${'a'.repeat(49)}`, /must match/],
    ['a CEL syntax error in a condition', { a: { condition: 'input.x ==' } }, 'steps.a.condition', /./],
    ['a condition that is not a bool', { a: { condition: '1 + 2' } }, 'steps.a.condition', /must give a bool, not int/],
    ['an unknown variable', { a: { condition: 'env.x' } }, 'steps.a.condition', /Unknown variable: env/],
    ['item outside for_each', { a: { input: { x: '${item}' } } }, 'steps.a.input.x', /item/],
    ['a for_each that is not a list', { a: { for_each: '"abc"' } }, 'steps.a.for_each', /must give a list, not string/],
    ['a bad template', { a: { input: ['ok', { deep: '${input.x' }] } }, 'steps.a.input[1].deep', /unclosed/],
    [
      'an expression reading a step not depended on',
      { a: {}, b: { condition: 'steps.a.output.ok' } },
      'steps.b.condition',
      /does not depend on/,
    ],
    ['an expression reading an unknown step', { a: { input: '${steps.zz.output}' } }, 'steps.a.input', /unknown step/],
    [
      'a topic on an approval step',
      { a: { type: 'approval', topic: 'job.x' } },
      'steps.a.topic',
      /an approval step has no topic/,
    ],
    ['a bad topic', { a: { topic: 'jobs.x' } }, 'steps.a.topic', /must match/],
    ['an unknown field', { a: { retries: 3 } }, 'steps.a.retries', /unknown field/],
    ['a condition step without a condition', { a: { type: 'condition' } }, 'steps.a.condition', /needs a condition/],
    ['a delay step without a delay', { a: { type: 'delay' } }, 'steps.a.delay_ms', /needs delay_ms or delay_until/],
    [
      'both delays',
      { a: { delay_ms: 5, delay_until: 'timestamp("2030-01-01T00:00:00Z")' } },
      'steps.a.delay_until',
      /not both/,
    ],
    [
      'a delay_until that is not a time',
      { a: { type: 'delay', delay_until: '"soon"' } },
      'steps.a.delay_until',
      /timestamp/,
    ],
    ['max_parallel without for_each', { a: { max_parallel: 2 } }, 'steps.a.max_parallel', /for_each steps only/],
    ['an unknown join', { a: { for_each: '[1]', join: 'some' } }, 'steps.a.join', /one of: all, any, ignore_failures/],
    ['max_parallel 0', { a: { for_each: '[1]', max_parallel: 0 } }, 'steps.a.max_parallel', /at least 1/],
    ['too many retries', { a: { retry: { max_retries: 21 } } }, 'steps.a.retry.max_retries', /at most 20/],
    [
      'a backoff cap below the start',
      { a: { retry: { initial_backoff_ms: 10, max_backoff_ms: 5 } } },
      'steps.a.retry.max_backoff_ms',
      /at least initial/,
    ],
    ['a zero timeout', { a: { timeout_ms: 0 } }, 'steps.a.timeout_ms', /at least 1/],
    ['a reserved label', { a: { labels: { run_id: 'x' } } }, 'steps.a.labels.run_id', /set by Coretex/],
    [
      'a route label that is not placement',
      { a: { route_labels: { team: 'x' } } },
      'steps.a.route_labels.team',
      /a route label is/,
    ],
    ['a bad capability', { a: { requires: ['gpu', 'bad cap'] } }, 'steps.a.requires[1]', /must match/],
    [
      'overlapping output paths',
      { a: { output_path: 'out.a' }, b: { output_path: 'out' } },
      'steps.b.output_path',
      /overlaps steps.a.output_path/,
    ],
    ['a bad output path', { a: { output_path: 'a..b' } }, 'steps.a.output_path', /dot-separated/],
  ])('%s', (_what, steps, field, message) => {
    const error = stepsError(steps);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['a body that is not an object', [], ''],
    ['no steps', { name: 'x', steps: {} }, 'steps'],
    ['an unknown top-level field', { name: 'x', steps: { a: {} }, stepz: {} }, 'stepz'],
    ['an id other than the URL one', { id: 'other', steps: { a: {} } }, 'id'],
    ['another org', { org_id: 'evil', steps: { a: {} } }, 'org_id'],
    ['a bad team', { team_id: 'a b', steps: { a: {} } }, 'team_id'],
    ['a run timeout of zero', { timeout_ms: 0, steps: { a: {} } }, 'timeout_ms'],
    [
      'an input schema with an unknown keyword',
      { input_schema: { type: 'object', propertees: {} }, steps: { a: {} } },
      'input_schema',
    ],
    ['an input schema with a bad type', { input_schema: { type: 'objekt' }, steps: { a: {} } }, 'input_schema'],
    [
      'an input schema with an unknown format',
      { input_schema: { type: 'string', format: 'colour' }, steps: { a: {} } },
      'input_schema',
    ],
    [
      'an input schema with an unresolvable $ref',
      { input_schema: { $ref: 'https://example.com/s.json' }, steps: { a: {} } },
      'input_schema',
    ],
    ['an input schema that is a list', { input_schema: [], steps: { a: {} } }, 'input_schema'],
  ])('%s', (_what, body, field) => {
    expect(rejected(body).field).toBe(field);
  });

  it('rejects too many steps', () => {
    const steps = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s${i}`, {}]));
    expect(stepsError(steps).field).toBe('steps');
  });

  it('rejects a workflow id that could not be a stream or key id', () => {
    const result = parseWorkflowDefinition({ steps: { a: {} } }, { workflow_id: 'a.b', org_id: 'acme' });
    expect(result instanceof ValidationError && result.field).toBe('id');
  });
});
