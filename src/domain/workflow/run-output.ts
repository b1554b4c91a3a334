/**
 * A succeeded run's output (SPEC 2.2): each succeeded step with an `output_path` puts its output
 * there (`deploy.url` → `{"deploy": {"url": ...}}`); an output kept by pointer appears as
 * `{"result_ptr": ...}`. Paths never overlap (checked on save); skipped steps leave theirs out.
 */
import { type RunData, runStep, stepDefinition, stepOrder } from './run-state.ts';

export function buildRunOutput(run: RunData): Readonly<Record<string, unknown>> {
  const output: Record<string, unknown> = {};
  for (const stepId of stepOrder(run.definition)) {
    const path = stepDefinition(run, stepId).output_path;
    const step = runStep(run, stepId);
    if (path === null || step.status !== 'SUCCEEDED') continue;
    setPath(output, path.split('.'), step.output_ptr === null ? step.output : { result_ptr: step.output_ptr });
  }
  return output;
}

/** Own properties only, defined rather than assigned: a key such as `__proto__` stays plain data. */
function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  const [key, ...rest] = keys;
  if (key === undefined) return;
  if (rest.length === 0) {
    define(target, key, value);
    return;
  }
  const existing = Object.hasOwn(target, key) ? target[key] : undefined;
  const child = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {};
  define(target, key, child);
  setPath(child, rest, value);
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
