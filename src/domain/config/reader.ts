/**
 * A small reader for untyped config JSON. Each helper takes the value and its path and either returns
 * a typed value or throws a `ValidationError` whose `field` is that path (`routing.pools.gpu.requires`,
 * `safety.rules.throttles[0].topics`). The throws stay inside this folder: the public entry points
 * (`readSettings`, `validateConfigData`) catch them and return the error as a value.
 */
import { ValidationError } from '../shared/errors.ts';

export type JsonObject = Readonly<Record<string, unknown>>;

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `a.b` for plain keys; `a["job.default"]` for keys a dot would make ambiguous. */
export function childPath(path: string, key: string): string {
  if (BARE_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

export function invalid(path: string, message: string): ValidationError {
  return new ValidationError(path, `${path}: ${message}`, 'invalid_config');
}

export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function expectObject(value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) throw invalid(path, 'must be an object');
  return value;
}

/** A missing key reads as `undefined`; every other value is checked. */
export function member(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Catches typos (`dispach_ms`) that would otherwise silently fall back to a default. */
export function rejectUnknownKeys(object: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw invalid(childPath(path, key), `unknown setting (expected one of: ${allowed.join(', ')})`);
    }
  }
}

/**
 * The section at `object[key]` as an object, with its keys checked. Absent or `null` reads as empty,
 * so every field takes its default (`null` is how a lower config level resets a section).
 */
export function section(object: JsonObject, key: string, path: string, allowed: readonly string[]): JsonObject {
  const value = member(object, key);
  const at = childPath(path, key);
  if (value === undefined || value === null) return {};
  const result = expectObject(value, at);
  rejectUnknownKeys(result, allowed, at);
  return result;
}

interface NumberRules {
  readonly min?: number;
  /** Exclusive lower bound (a rate must be above 0). */
  readonly above?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

function checkNumber(value: unknown, path: string, rules: NumberRules): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
  if (rules.integer === true && !Number.isSafeInteger(value)) throw invalid(path, 'must be an integer');
  if (rules.min !== undefined && value < rules.min) throw invalid(path, `must be at least ${rules.min}`);
  if (rules.above !== undefined && value <= rules.above) throw invalid(path, `must be greater than ${rules.above}`);
  if (rules.max !== undefined && value > rules.max) throw invalid(path, `must be at most ${rules.max}`);
  return value;
}

export function readNumber(
  object: JsonObject,
  key: string,
  path: string,
  fallback: number,
  rules: NumberRules = {},
): number {
  const value = member(object, key);
  return value === undefined ? fallback : checkNumber(value, childPath(path, key), rules);
}

/** Durations and counts: integers, at least `min` (default 0). */
export function readInteger(object: JsonObject, key: string, path: string, fallback: number, min = 0): number {
  return readNumber(object, key, path, fallback, { integer: true, min });
}

/** `null` is a value here (e.g. "no limit"); only a missing key takes the fallback. */
export function readNullableInteger(
  object: JsonObject,
  key: string,
  path: string,
  fallback: number | null,
  min = 0,
): number | null {
  const value = member(object, key);
  if (value === undefined) return fallback;
  if (value === null) return null;
  return checkNumber(value, childPath(path, key), { integer: true, min });
}

export function readOptionalInteger(object: JsonObject, key: string, path: string, min = 0): number | undefined {
  const value = member(object, key);
  return value === undefined ? undefined : checkNumber(value, childPath(path, key), { integer: true, min });
}

export function readEnum<T extends string>(
  object: JsonObject,
  key: string,
  path: string,
  options: readonly T[],
  fallback: T,
): T {
  const value = member(object, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw invalid(childPath(path, key), `must be one of: ${options.join(', ')}`);
  }
  return value as T;
}

export function readNullableString(
  object: JsonObject,
  key: string,
  path: string,
  check: (text: string) => string | null = () => null,
): string | null {
  const value = member(object, key);
  if (value === undefined || value === null) return null;
  const at = childPath(path, key);
  if (typeof value !== 'string' || value === '') throw invalid(at, 'must be a non-empty string');
  const problem = check(value);
  if (problem !== null) throw invalid(at, problem);
  return value;
}

/**
 * A list of strings. `check` returns a problem description or null. Duplicates are dropped, order is
 * kept (order matters for pool preference, not for sets of tags).
 */
export function checkStringList(
  value: unknown,
  path: string,
  check: (text: string) => string | null = () => null,
): readonly string[] {
  if (!Array.isArray(value)) throw invalid(path, 'must be a list of strings');
  const out: string[] = [];
  value.forEach((item: unknown, index) => {
    const at = indexPath(path, index);
    if (typeof item !== 'string' || item === '') throw invalid(at, 'must be a non-empty string');
    const problem = check(item);
    if (problem !== null) throw invalid(at, problem);
    if (!out.includes(item)) out.push(item);
  });
  return out;
}

export function readStringList(
  object: JsonObject,
  key: string,
  path: string,
  check: (text: string) => string | null = () => null,
): readonly string[] {
  const value = member(object, key);
  return value === undefined ? [] : checkStringList(value, childPath(path, key), check);
}

/** A map whose keys the user names (pools, tenants, topics); each value read by `readEntry`. */
export function readMap<T>(
  object: JsonObject,
  key: string,
  path: string,
  readEntry: (value: unknown, path: string, name: string) => T,
  checkName: (name: string) => string | null = () => null,
): Readonly<Record<string, T>> {
  const value = member(object, key);
  const at = childPath(path, key);
  if (value === undefined) return {};
  const entries = expectObject(value, at);
  // Entries, then Object.fromEntries: a plain assignment of a key named `__proto__` would set the
  // object's prototype instead of a member.
  const out: [string, T][] = [];
  for (const name of Object.keys(entries).sort()) {
    const entryPath = childPath(at, name);
    const problem = checkName(name);
    if (problem !== null) throw invalid(entryPath, problem);
    out.push([name, readEntry(entries[name], entryPath, name)]);
  }
  return Object.fromEntries(out);
}

/** Runs a reader that throws `ValidationError`, returning the error as a value. */
export function catchValidation<T>(read: () => T): T | ValidationError {
  try {
    return read();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

/** A `check` for the list and map readers: a problem unless the text matches. */
export function patternCheck(pattern: RegExp, what = 'it'): (text: string) => string | null {
  return (text) => (pattern.test(text) ? null : `${what} must match ${pattern}`);
}
