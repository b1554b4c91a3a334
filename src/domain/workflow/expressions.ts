/**
 * CEL for workflows (SPEC 2.1), through `@marcbachmann/cel-js` (a parser and evaluator, never
 * `eval`). Scope: `input` (the run input), `steps.<id>.output` / `.status` (settled steps), and
 * inside `for_each` children `item` / `index`.
 *
 * JSON and CEL differ on numbers: CEL integers are `int` (BigInt here) and `1 + 1.0` is an error.
 * JSON integers therefore enter as `int` (so `input.count + 1` works) and leave as JSON numbers;
 * anything without a JSON form (bytes, durations, integers beyond 2^53) is an evaluation error.
 */
import { type ASTNode, Environment } from '@marcbachmann/cel-js';

/** Which variables an expression may use. */
export type ExpressionScope = 'step' | 'child';

/** What an expression must give. */
export type ExpressionKind = 'bool' | 'list' | 'time' | 'any';

const LIMITS = { maxAstNodes: 2_000, maxDepth: 64, maxListElements: 1_000, maxMapEntries: 1_000 };

// Building an environment is the expensive part, so there is one per scope for the process.
const stepEnvironment = new Environment({ homogeneousAggregateLiterals: false, limits: LIMITS })
  .registerVariable('input', 'dyn')
  .registerVariable('steps', 'map');
const childEnvironment = stepEnvironment.clone().registerVariable('item', 'dyn').registerVariable('index', 'int');

function environmentFor(scope: ExpressionScope): Environment {
  return scope === 'step' ? stepEnvironment : childEnvironment;
}

const ACCEPTED_TYPES: Readonly<Record<ExpressionKind, (type: string) => boolean>> = {
  bool: (type) => type === 'bool' || type === 'dyn',
  list: (type) => type === 'dyn' || type.startsWith('list'),
  time: (type) => type === 'dyn' || type === 'google.protobuf.Timestamp' || type === 'int',
  any: () => true,
};

const KIND_NAMES: Readonly<Record<ExpressionKind, string>> = {
  bool: 'a bool',
  list: 'a list',
  time: 'a timestamp or epoch milliseconds (int)',
  any: 'a value',
};

export interface CheckedExpression {
  /** The step ids the expression reads through `steps.<id>` or `steps["<id>"]`. */
  readonly stepRefs: readonly string[];
}

/** Parses and type-checks; a string is the problem, for a `ValidationError`. */
export function checkExpression(
  text: string,
  scope: ExpressionScope,
  kind: ExpressionKind,
): CheckedExpression | string {
  const env = environmentFor(scope);
  const result = env.check(text);
  if (!result.valid) return firstLine(result.error?.message ?? 'invalid expression');
  const type = result.type ?? 'dyn';
  if (!ACCEPTED_TYPES[kind](type)) return `must give ${KIND_NAMES[kind]}, not ${type}`;
  return { stepRefs: stepRefsOf(env.parse(text).ast) };
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return newline < 0 ? message : message.slice(0, newline);
}

/** Walks the AST for `steps.<id>` and `steps["<id>"]` (a computed key cannot be checked on save). */
function stepRefsOf(root: ASTNode): readonly string[] {
  const refs = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!isNode(node)) return;
    if ((node.op === '.' || node.op === '.?') && isStepsId(node.args[0])) refs.add(node.args[1]);
    if ((node.op === '[]' || node.op === '[?]') && isStepsId(node.args[0])) {
      const key = node.args[1];
      if (key.op === 'value' && typeof key.args === 'string') refs.add(key.args);
    }
    visit(node.args);
  };
  visit(root);
  return [...refs].sort();
}

function isNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

function isStepsId(node: ASTNode): boolean {
  return node.op === 'id' && node.args === 'steps';
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** `steps.<id>` in expressions: a settled step (large outputs are kept by pointer, output null). */
export interface StepView {
  readonly status: string;
  readonly output: unknown;
  readonly output_ptr: string | null;
}

/** The variables of one evaluation, as JSON (converted to CEL values here). */
export interface ExpressionVariables {
  readonly input: unknown;
  readonly steps: Readonly<Record<string, StepView>>;
  /** Present for `for_each` children. */
  readonly child?: { readonly item: unknown; readonly index: number };
}

export type Evaluation =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

type Compiled = ReturnType<Environment['parse']>;

// Parsed expressions by scope and text. Bounded: definitions come and go in a long-lived process.
const compiled = new Map<string, Compiled>();
const MAX_COMPILED = 2_000;

function compile(text: string, scope: ExpressionScope): Compiled {
  const key = `${scope}\u0000${text}`;
  const found = compiled.get(key);
  if (found !== undefined) return found;
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  const parsed = environmentFor(scope).parse(text);
  compiled.set(key, parsed);
  return parsed;
}

/** Evaluates to JSON. Never throws for a bad expression or value: the step fails instead. */
export function evaluateExpression(text: string, variables: ExpressionVariables): Evaluation {
  const scope: ExpressionScope = variables.child === undefined ? 'step' : 'child';
  try {
    const context: Record<string, unknown> = { input: toCel(variables.input), steps: toCel(variables.steps) };
    if (variables.child !== undefined) {
      context.item = toCel(variables.child.item);
      context.index = BigInt(variables.child.index);
    }
    const value: unknown = compile(text, scope)(context);
    return { ok: true, value: fromCel(value) };
  } catch (error) {
    return { ok: false, error: firstLine(error instanceof Error ? error.message : String(error)) };
  }
}

// Run state is never mutated, so a converted value can be reused by identity: a fan-out of n
// children renders n inputs over the same step outputs without converting them n times.
const converted = new WeakMap<object, unknown>();

/** JSON → CEL: integers become `int`; everything else keeps its shape. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  const known = converted.get(value);
  if (known !== undefined) return known;
  const result = Array.isArray(value)
    ? value.map(toCel)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  converted.set(value, result);
  return result;
}

/** CEL → JSON; throws on a value without a JSON form (caught by `evaluateExpression`). */
export function fromCel(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return bigintToNumber(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} has no JSON form`);
    return value;
  }
  if (Array.isArray(value)) return value.map(fromCel);
  if (isTimestamp(value)) return value.toISOString();
  if (value instanceof Map) {
    const entries: [string, unknown][] = [];
    for (const [key, item] of value) {
      if (typeof key !== 'string') throw new Error('a map with non-string keys has no JSON form');
      entries.push([key, fromCel(item)]);
    }
    return Object.fromEntries(entries);
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromCel(item)]));
  }
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'bigint') {
    return bigintToNumber(value.value); // an unsigned int
  }
  throw new Error(`a ${Object.prototype.toString.call(value).slice(8, -1)} has no JSON form`);
}

function bigintToNumber(value: bigint): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`${value} is beyond the integers JSON keeps exactly`);
  return number;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

interface Timestamp {
  getTime(): number;
  toISOString(): string;
}

/** CEL timestamps are JS dates (recognised without naming the global, which the domain may not use). */
function isTimestamp(value: unknown): value is Timestamp {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** A `delay_until` value (before `fromCel`): a timestamp, or epoch milliseconds as an int. */
export function evaluateTime(text: string, variables: ExpressionVariables): Evaluation {
  const scope: ExpressionScope = variables.child === undefined ? 'step' : 'child';
  try {
    const value: unknown = compile(text, scope)({ input: toCel(variables.input), steps: toCel(variables.steps) });
    if (isTimestamp(value)) {
      const ms = value.getTime();
      return Number.isFinite(ms) ? { ok: true, value: ms } : { ok: false, error: 'an invalid timestamp' };
    }
    if (typeof value === 'bigint') return { ok: true, value: bigintToNumber(value) };
    if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
    return { ok: false, error: 'must give a timestamp or epoch milliseconds' };
  } catch (error) {
    return { ok: false, error: firstLine(error instanceof Error ? error.message : String(error)) };
  }
}
