/**
 * Validation on save (SPEC 2.1): a raw JSON body becomes a `WorkflowDefinition` with its defaults,
 * or a `ValidationError` (code `invalid_workflow`, 400) whose `field` names the step and the field:
 * unknown `depends_on`, cycles (named: `a → b → a`), bad CEL, bad JSON Schemas, unknown step
 * types, bad ids and limits, and expressions reading a step the step does not depend on (its
 * output would not exist yet when the expression runs).
 */
import {
  catchValidation,
  childPath,
  expectObject,
  invalid,
  member,
  readNullableString,
  readNumber,
} from '../config/reader.ts';
import { TEAM_PATTERN } from '../config/scope.ts';
import { ValidationError } from '../shared/errors.ts';
import { CLIENT_ID_PATTERN, STEP_ID_PATTERN } from '../shared/ids.ts';
import {
  DEFINITION_LIMITS as LIMITS,
  type JsonSchema,
  type StepDefinition,
  type WorkflowDefinition,
} from './definition.ts';
import { ancestorsOf, type DependencyMap, findCycle } from './graph.ts';
import { checkInputSchema } from './input-schema.ts';
import { type ParsedStep, parseStep } from './parse-step.ts';

const TOP_FIELDS = ['id', 'name', 'description', 'org_id', 'team_id', 'input_schema', 'timeout_ms', 'steps'];

/** What the request names outside the body: the workflow id (URL or body) and the caller's org. */
export interface DefinitionContext {
  readonly workflow_id: string;
  readonly org_id: string;
}

export function parseWorkflowDefinition(
  raw: unknown,
  context: DefinitionContext,
): WorkflowDefinition | ValidationError {
  const result = catchValidation(() => read(raw, context));
  return result instanceof ValidationError
    ? new ValidationError(result.field, result.message, 'invalid_workflow', { cause: result.cause })
    : result;
}

function read(raw: unknown, context: DefinitionContext): WorkflowDefinition {
  const body = expectObject(raw, '');
  for (const key of Object.keys(body)) {
    if (!TOP_FIELDS.includes(key))
      throw invalid(childPath('', key), `unknown field (expected one of: ${TOP_FIELDS.join(', ')})`);
  }
  if (!CLIENT_ID_PATTERN.test(context.workflow_id))
    throw invalid('id', `a workflow id must match ${CLIENT_ID_PATTERN}`);
  const id = member(body, 'id');
  if (id !== undefined && id !== context.workflow_id)
    throw invalid('id', `must be "${context.workflow_id}" (the workflow's id)`);
  const org = member(body, 'org_id');
  if (org !== undefined && org !== null && org !== context.org_id)
    throw invalid('org_id', `must be "${context.org_id}" (your org)`);

  const name = readNullableString(body, 'name', '', (text) =>
    text.length > LIMITS.max_name_length ? `must be at most ${LIMITS.max_name_length} characters` : null,
  );
  const description = member(body, 'description');
  if (description !== undefined && description !== null) {
    if (typeof description !== 'string') throw invalid('description', 'must be a string');
    if (description.length > LIMITS.max_description_length) {
      throw invalid('description', `must be at most ${LIMITS.max_description_length} characters`);
    }
  }
  const teamId = readNullableString(body, 'team_id', '', (text) =>
    TEAM_PATTERN.test(text) ? null : `must match ${TEAM_PATTERN}`,
  );
  const steps = readSteps(body);
  return {
    id: context.workflow_id,
    name: name ?? context.workflow_id,
    description: typeof description === 'string' ? description : null,
    org_id: context.org_id,
    team_id: teamId,
    input_schema: readInputSchema(body),
    timeout_ms:
      member(body, 'timeout_ms') === undefined || member(body, 'timeout_ms') === null
        ? null
        : readNumber(body, 'timeout_ms', '', 1, { integer: true, min: 1, max: LIMITS.max_run_timeout_ms }),
    steps,
  };
}

function readInputSchema(body: Readonly<Record<string, unknown>>): JsonSchema | null {
  const schema = member(body, 'input_schema');
  if (schema === undefined || schema === null) return null;
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || Array.isArray(schema))) {
    throw invalid('input_schema', 'must be a JSON Schema (an object or a boolean)');
  }
  const problem = checkInputSchema(schema as JsonSchema);
  if (problem !== null) throw invalid('input_schema', problem);
  return schema as JsonSchema;
}

function readSteps(body: Readonly<Record<string, unknown>>): Readonly<Record<string, StepDefinition>> {
  const raw = expectObject(member(body, 'steps'), 'steps');
  const ids = Object.keys(raw);
  if (ids.length === 0) throw invalid('steps', 'a workflow needs at least one step');
  if (ids.length > LIMITS.max_steps) throw invalid('steps', `at most ${LIMITS.max_steps} steps`);
  const parsed = new Map<string, ParsedStep>();
  for (const id of ids) {
    const path = childPath('steps', id);
    if (!STEP_ID_PATTERN.test(id)) throw invalid(path, `a step id must match ${STEP_ID_PATTERN}`);
    parsed.set(id, parseStep(raw[id], path));
  }
  const graph: DependencyMap = Object.fromEntries([...parsed].map(([id, { step }]) => [id, step.depends_on]));
  checkDependencies(parsed);
  const cycle = findCycle(graph);
  if (cycle !== null) {
    throw invalid(childPath(childPath('steps', cycle[0] ?? ''), 'depends_on'), `cycle: ${cycle.join(' → ')}`);
  }
  checkStepRefs(parsed, graph);
  checkOutputPaths(parsed);
  return Object.fromEntries([...parsed].map(([id, { step }]) => [id, step]));
}

function checkDependencies(parsed: ReadonlyMap<string, ParsedStep>): void {
  for (const [id, { step }] of parsed) {
    for (const dep of step.depends_on) {
      if (!parsed.has(dep)) throw invalid(childPath(childPath('steps', id), 'depends_on'), `unknown step "${dep}"`);
    }
  }
}

/** An expression may read only steps its step depends on, directly or not: nothing else has settled. */
function checkStepRefs(parsed: ReadonlyMap<string, ParsedStep>, graph: DependencyMap): void {
  for (const [id, { refs }] of parsed) {
    const ancestors = ancestorsOf(graph, id);
    for (const { field, stepIds } of refs) {
      for (const ref of stepIds) {
        if (!parsed.has(ref)) throw invalid(field, `reads steps.${ref}, an unknown step`);
        if (!ancestors.has(ref)) {
          throw invalid(field, `reads steps.${ref}, which step "${id}" does not depend on (add it to depends_on)`);
        }
      }
    }
  }
}

/** Two outputs at the same place, or one inside the other, would overwrite each other. */
function checkOutputPaths(parsed: ReadonlyMap<string, ParsedStep>): void {
  const seen: { id: string; path: string }[] = [];
  for (const [id, { step }] of parsed) {
    const path = step.output_path;
    if (path === null) continue;
    const clash = seen.find(
      (other) => path === other.path || path.startsWith(`${other.path}.`) || other.path.startsWith(`${path}.`),
    );
    if (clash !== undefined) {
      throw invalid(
        childPath(childPath('steps', id), 'output_path'),
        `overlaps steps.${clash.id}.output_path ("${clash.path}")`,
      );
    }
    seen.push({ id, path });
  }
}
