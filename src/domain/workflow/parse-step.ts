/**
 * Reads one step of a definition being saved. Throws `ValidationError`s whose field names the step
 * and the field (`steps.build.retry.max_retries`); `parseWorkflowDefinition` turns them into values.
 * Fields a step type does not use are errors, not silently ignored (a `topic` on an approval step
 * is a mistake the author should hear about).
 */
import {
  checkStringList,
  childPath,
  expectObject,
  invalid,
  isJsonObject,
  member,
  readEnum,
  readInteger,
  readNumber,
  readStringList,
  type JsonObject,
} from '../config/reader.ts';
import { isPlacementKey, PREFERRED_POOL_LABEL, PREFERRED_WORKER_LABEL } from '../dispatch/placement.ts';
import { TOPIC_PATTERN } from '../dispatch/routing.ts';
import { STEP_ID_PATTERN } from '../shared/ids.ts';
import {
  DEFAULT_STEP_RETRY,
  DEFINITION_LIMITS as LIMITS,
  JOIN_POLICIES,
  STEP_JOB_LABELS,
  STEP_TYPES,
  type StepDefinition,
  type StepRetry,
  type StepType,
} from './definition.ts';
import { checkExpression, type ExpressionKind, type ExpressionScope } from './expressions.ts';
import { checkTemplate } from './template.ts';

const JOB_FIELDS = [
  'type',
  'topic',
  'depends_on',
  'condition',
  'for_each',
  'max_parallel',
  'join',
  'input',
  'output_path',
  'retry',
  'timeout_ms',
  'delay_ms',
  'delay_until',
  'labels',
  'route_labels',
  'requires',
  'meta',
] as const;

const FIELDS_BY_TYPE: Readonly<Record<StepType, readonly string[]>> = {
  job: JOB_FIELDS,
  notify: JOB_FIELDS,
  condition: ['type', 'depends_on', 'condition', 'input', 'output_path', 'meta'],
  approval: ['type', 'depends_on', 'condition', 'input', 'output_path', 'timeout_ms', 'meta'],
  delay: ['type', 'depends_on', 'condition', 'delay_ms', 'delay_until', 'meta'],
};

export const OUTPUT_PATH_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const LABEL_KEY_PATTERN = /^[A-Za-z0-9_.:/-]{1,128}$/;
const CAPABILITY_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The step ids an expression field reads, for the graph checks that follow. */
export interface StepRefs {
  readonly field: string;
  readonly stepIds: readonly string[];
}

export interface ParsedStep {
  readonly step: StepDefinition;
  readonly refs: readonly StepRefs[];
}

export function parseStep(value: unknown, path: string): ParsedStep {
  const raw = expectObject(value, path);
  const type = readEnum(raw, 'type', path, STEP_TYPES, 'job');
  const allowed = FIELDS_BY_TYPE[type];
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    const known = (JOB_FIELDS as readonly string[]).includes(key);
    const article = type === 'approval' ? 'an' : 'a';
    throw invalid(childPath(path, key), known ? `${article} ${type} step has no ${key}` : `unknown field`);
  }
  const refs: StepRefs[] = [];
  const expression = (key: string, scope: ExpressionScope, kind: ExpressionKind): string | null => {
    const text = member(raw, key);
    if (text === undefined || text === null) return null;
    const at = childPath(path, key);
    if (typeof text !== 'string' || text.trim() === '') throw invalid(at, 'must be a CEL expression (a string)');
    if (text.length > LIMITS.max_expression_length) {
      throw invalid(at, `must be at most ${LIMITS.max_expression_length} characters`);
    }
    const checked = checkExpression(text, scope, kind);
    if (typeof checked === 'string') throw invalid(at, checked);
    refs.push({ field: at, stepIds: checked.stepRefs });
    return text;
  };

  const condition = expression('condition', 'step', 'bool');
  if (type === 'condition' && condition === null)
    throw invalid(childPath(path, 'condition'), 'a condition step needs a condition');
  const forEach = expression('for_each', 'step', 'list');
  const delayUntil = expression('delay_until', 'step', 'time');
  const input = member(raw, 'input') ?? null;
  const inputRefs = new Set<string>();
  const problem = checkTemplate(input, forEach === null ? 'step' : 'child', inputRefs);
  if (problem !== null) {
    const base = childPath(path, 'input');
    const at =
      problem.path === '' ? base : problem.path.startsWith('[') ? base + problem.path : `${base}.${problem.path}`;
    throw invalid(at, problem.message);
  }
  refs.push({ field: childPath(path, 'input'), stepIds: [...inputRefs].sort() });

  if (forEach === null) {
    for (const key of ['max_parallel', 'join']) {
      if (member(raw, key) !== undefined) throw invalid(childPath(path, key), 'applies to for_each steps only');
    }
  }
  const delayMs = member(raw, 'delay_ms') === undefined ? null : readInteger(raw, 'delay_ms', path, 0, 0);
  if (delayMs !== null && delayMs > LIMITS.max_delay_ms) {
    throw invalid(childPath(path, 'delay_ms'), `must be at most ${LIMITS.max_delay_ms}`);
  }
  if (delayMs !== null && delayUntil !== null)
    throw invalid(childPath(path, 'delay_until'), 'give delay_ms or delay_until, not both');
  if (type === 'delay' && delayMs === null && delayUntil === null)
    throw invalid(childPath(path, 'delay_ms'), 'a delay step needs delay_ms or delay_until');

  const step: StepDefinition = {
    type,
    topic: type === 'job' || type === 'notify' ? readTopic(raw, path) : null,
    depends_on: readStringList(raw, 'depends_on', path, (id) =>
      STEP_ID_PATTERN.test(id) ? null : `a step id must match ${STEP_ID_PATTERN}`,
    ),
    condition,
    for_each: forEach,
    max_parallel:
      member(raw, 'max_parallel') === undefined ? null : readBounded(raw, 'max_parallel', path, 1, LIMITS.max_parallel),
    join: readEnum(raw, 'join', path, JOIN_POLICIES, 'all'),
    input,
    output_path: readOutputPath(raw, path),
    retry: readRetry(raw, path),
    timeout_ms:
      member(raw, 'timeout_ms') === undefined
        ? null
        : readBounded(raw, 'timeout_ms', path, 1, LIMITS.max_step_timeout_ms),
    delay_ms: delayMs,
    delay_until: delayUntil,
    labels: readLabels(raw, 'labels', path, (key) =>
      STEP_JOB_LABELS.includes(key) ? `${key} is set by Coretex on every step job` : null,
    ),
    route_labels: readLabels(raw, 'route_labels', path, (key) =>
      isPlacementKey(key) || key === PREFERRED_POOL_LABEL || key === PREFERRED_WORKER_LABEL
        ? null
        : 'a route label is region, zone, gpu, placement.<name>, preferred_pool or preferred_worker_id',
    ),
    requires: readRequires(raw, path),
    meta: readMeta(raw, path),
  };
  if (step.depends_on.length > LIMITS.max_depends_on) {
    throw invalid(childPath(path, 'depends_on'), `at most ${LIMITS.max_depends_on} dependencies`);
  }
  if (Object.keys(step.labels).length + Object.keys(step.route_labels).length > LIMITS.max_labels) {
    throw invalid(
      childPath(path, 'labels'),
      `labels and route_labels hold at most ${LIMITS.max_labels} entries together`,
    );
  }
  return { step, refs };
}

function readBounded(raw: JsonObject, key: string, path: string, min: number, max: number): number {
  return readNumber(raw, key, path, min, { integer: true, min, max });
}

function readTopic(raw: JsonObject, path: string): string {
  const topic = member(raw, 'topic');
  if (topic === undefined || topic === null) return 'job.default';
  if (typeof topic !== 'string' || !TOPIC_PATTERN.test(topic)) {
    throw invalid(childPath(path, 'topic'), `must match ${TOPIC_PATTERN}`);
  }
  return topic;
}

function readOutputPath(raw: JsonObject, path: string): string | null {
  const value = member(raw, 'output_path');
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !OUTPUT_PATH_PATTERN.test(value)) {
    throw invalid(childPath(path, 'output_path'), `must be dot-separated keys matching ${OUTPUT_PATH_PATTERN}`);
  }
  return value;
}

function readRetry(raw: JsonObject, path: string): StepRetry {
  const value = member(raw, 'retry');
  if (value === undefined || value === null) return DEFAULT_STEP_RETRY;
  const at = childPath(path, 'retry');
  const retry = expectObject(value, at);
  const fields = ['max_retries', 'initial_backoff_ms', 'max_backoff_ms', 'multiplier'];
  for (const key of Object.keys(retry)) {
    if (!fields.includes(key))
      throw invalid(childPath(at, key), `unknown field (expected one of: ${fields.join(', ')})`);
  }
  const defaults = DEFAULT_STEP_RETRY;
  const result: StepRetry = {
    max_retries: readNumber(retry, 'max_retries', at, defaults.max_retries, {
      integer: true,
      min: 0,
      max: LIMITS.max_retries,
    }),
    initial_backoff_ms: readNumber(retry, 'initial_backoff_ms', at, defaults.initial_backoff_ms, {
      integer: true,
      min: 0,
      max: LIMITS.max_backoff_ms,
    }),
    max_backoff_ms: readNumber(retry, 'max_backoff_ms', at, defaults.max_backoff_ms, {
      integer: true,
      min: 0,
      max: LIMITS.max_backoff_ms,
    }),
    multiplier: readNumber(retry, 'multiplier', at, defaults.multiplier, { min: 1, max: LIMITS.max_multiplier }),
  };
  if (result.max_backoff_ms < result.initial_backoff_ms) {
    throw invalid(childPath(at, 'max_backoff_ms'), 'must be at least initial_backoff_ms');
  }
  return result;
}

function readLabels(
  raw: JsonObject,
  key: string,
  path: string,
  checkKey: (key: string) => string | null,
): Readonly<Record<string, string>> {
  const value = member(raw, key);
  if (value === undefined || value === null) return {};
  const at = childPath(path, key);
  const labels = expectObject(value, at);
  const entries: [string, string][] = [];
  for (const name of Object.keys(labels).sort()) {
    const entryPath = childPath(at, name);
    const problem = LABEL_KEY_PATTERN.test(name) ? checkKey(name) : `a label key must match ${LABEL_KEY_PATTERN}`;
    if (problem !== null) throw invalid(entryPath, problem);
    const text = labels[name];
    if (typeof text !== 'string' || text === '' || text.length > 256) {
      throw invalid(entryPath, 'a label value is a non-empty string of at most 256 characters');
    }
    entries.push([name, text]);
  }
  return Object.fromEntries(entries);
}

function readRequires(raw: JsonObject, path: string): readonly string[] {
  const value = member(raw, 'requires');
  if (value === undefined || value === null) return [];
  const at = childPath(path, 'requires');
  const list = checkStringList(value, at, (text) =>
    CAPABILITY_PATTERN.test(text) ? null : `must match ${CAPABILITY_PATTERN}`,
  );
  if (list.length > LIMITS.max_requires) throw invalid(at, `at most ${LIMITS.max_requires} capabilities`);
  return list;
}

function readMeta(raw: JsonObject, path: string): Readonly<Record<string, unknown>> {
  const value = member(raw, 'meta');
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw invalid(childPath(path, 'meta'), 'must be an object');
  return value;
}
