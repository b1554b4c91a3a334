/**
 * `${expr}` templates in a step's `input` (SPEC 2.1). Any JSON; every string value may hold
 * templates, each a CEL expression. A string that is exactly one template takes the expression's
 * value with its type (`"${input.count}"` → 3, `"${steps.a.output}"` → an object); a template among
 * other text is interpolated (strings as they are, other values as JSON). `$${` writes a literal
 * `${`. Object keys are never templates.
 */
import { childPath, indexPath } from '../config/reader.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import {
  checkExpression,
  evaluateExpression,
  type Evaluation,
  type ExpressionScope,
  type ExpressionVariables,
} from './expressions.ts';

type Part = { readonly text: string } | { readonly expr: string };

/** The parts of a string, or a problem (an unclosed `${`, an empty expression). */
export function parseTemplate(text: string): readonly Part[] | string {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      literal += '${';
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = closingBrace(text, i + 2);
      if (end < 0) return `unclosed "\${" at ${i}`;
      const expr = text.slice(i + 2, end).trim();
      if (expr === '') return `empty "\${}" at ${i}`;
      if (literal !== '') parts.push({ text: literal });
      literal = '';
      parts.push({ expr });
      i = end + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal !== '') parts.push({ text: literal });
  return parts;
}

/** The `}` that closes a template opened before `from`, skipping braces inside CEL strings and maps. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote !== null) {
      if (char === '\\') i += 1;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

export interface TemplateProblem {
  /** Path inside the template value (`payload.url`, `[2]`), '' for the value itself. */
  readonly path: string;
  readonly message: string;
}

/** Checks every template in a JSON value; collects the step ids they read. */
export function checkTemplate(
  value: unknown,
  scope: ExpressionScope,
  stepRefs: Set<string>,
  path = '',
): TemplateProblem | null {
  if (typeof value === 'string') {
    const parts = parseTemplate(value);
    if (typeof parts === 'string') return { path, message: parts };
    for (const part of parts) {
      if (!('expr' in part)) continue;
      const checked = checkExpression(part.expr, scope, 'any');
      if (typeof checked === 'string') return { path, message: `\${${part.expr}}: ${checked}` };
      for (const ref of checked.stepRefs) stepRefs.add(ref);
    }
    return null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = checkTemplate(item, scope, stepRefs, indexPath(path, index));
      if (problem !== null) return problem;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const problem = checkTemplate(item, scope, stepRefs, childPath(path, key));
      if (problem !== null) return problem;
    }
  }
  return null;
}

/** Renders a template value to JSON; the first failing expression fails the whole rendering. */
export function renderTemplate(value: unknown, variables: ExpressionVariables): Evaluation {
  try {
    return { ok: true, value: render(value, variables) };
  } catch (error) {
    if (error instanceof RenderError) return { ok: false, error: error.message };
    throw error;
  }
}

class RenderError extends Error {}

function render(value: unknown, variables: ExpressionVariables): unknown {
  if (typeof value === 'string') return renderString(value, variables);
  if (Array.isArray(value)) return value.map((item) => render(item, variables));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, render(item, variables)]));
  }
  return value;
}

function renderString(text: string, variables: ExpressionVariables): unknown {
  const parts = parseTemplate(text);
  if (typeof parts === 'string') throw new RenderError(parts);
  const evaluate = (expr: string): unknown => {
    const result = evaluateExpression(expr, variables);
    if (!result.ok) throw new RenderError(`\${${expr}}: ${result.error}`);
    return result.value;
  };
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && 'expr' in only) return evaluate(only.expr);
  return parts
    .map((part) => {
      if ('text' in part) return part.text;
      const value = evaluate(part.expr);
      return typeof value === 'string' ? value : canonicalJson(value);
    })
    .join('');
}
