/**
 * Config scopes (SPEC 4) and their ids. A scope id names its ancestors, separated by `:` (which no
 * org, team, workflow or step id may contain), so the id alone says which document a level reads:
 *   system `default` · org `<org>` · team `<org>:<team>` · workflow `<org>:<workflow_id>` ·
 *   step `<org>:<workflow_id>:<step_id>`.
 */
import { ValidationError } from '../shared/errors.ts';
import { CLIENT_ID_PATTERN, STEP_ID_PATTERN, TENANT_PATTERN } from '../shared/ids.ts';

export type ConfigScope = 'system' | 'org' | 'team' | 'workflow' | 'step';

/** In merge order: a later scope overrides an earlier one. */
export const CONFIG_SCOPES: readonly ConfigScope[] = ['system', 'org', 'team', 'workflow', 'step'];

export const SYSTEM_SCOPE_ID = 'default';

/** Team names follow the tenant rule (they appear in the same places: ids, env, index keys). */
export const TEAM_PATTERN = TENANT_PATTERN;

export interface ScopeRef {
  readonly scope: ConfigScope;
  readonly scope_id: string;
}

export function isConfigScope(value: string): value is ConfigScope {
  return (CONFIG_SCOPES as readonly string[]).includes(value);
}

/** The patterns of each part of a scope id, in order. */
const PARTS: Readonly<Record<Exclude<ConfigScope, 'system'>, readonly { name: string; pattern: RegExp }[]>> = {
  org: [{ name: 'org', pattern: TENANT_PATTERN }],
  team: [
    { name: 'org', pattern: TENANT_PATTERN },
    { name: 'team', pattern: TEAM_PATTERN },
  ],
  workflow: [
    { name: 'org', pattern: TENANT_PATTERN },
    { name: 'workflow_id', pattern: CLIENT_ID_PATTERN },
  ],
  step: [
    { name: 'org', pattern: TENANT_PATTERN },
    { name: 'workflow_id', pattern: CLIENT_ID_PATTERN },
    { name: 'step_id', pattern: STEP_ID_PATTERN },
  ],
};

/** Validates a `(scope, scope_id)` pair from a request; the error names `scope` or `scope_id`. */
export function parseScopeRef(scope: string, scopeId: string): ScopeRef | ValidationError {
  if (!isConfigScope(scope)) {
    return new ValidationError('scope', `scope must be one of: ${CONFIG_SCOPES.join(', ')}`, 'invalid_scope');
  }
  if (scope === 'system') {
    return scopeId === SYSTEM_SCOPE_ID
      ? { scope, scope_id: scopeId }
      : new ValidationError('scope_id', `the system scope id is "${SYSTEM_SCOPE_ID}"`, 'invalid_scope_id');
  }
  const parts = PARTS[scope];
  const values = scopeId.split(':');
  const shape = parts.map((part) => `<${part.name}>`).join(':');
  if (values.length !== parts.length) {
    return new ValidationError('scope_id', `a ${scope} scope id is ${shape}`, 'invalid_scope_id');
  }
  for (const [index, part] of parts.entries()) {
    const value = values[index] ?? '';
    if (!part.pattern.test(value)) {
      return new ValidationError('scope_id', `${part.name} in ${shape} must match ${part.pattern}`, 'invalid_scope_id');
    }
  }
  return { scope, scope_id: scopeId };
}

/** The org a scope belongs to (null for system): who may write it is decided from this. */
export function orgOfScope(ref: ScopeRef): string | null {
  if (ref.scope === 'system') return null;
  const colon = ref.scope_id.indexOf(':');
  return colon < 0 ? ref.scope_id : ref.scope_id.slice(0, colon);
}

/** What an effective config is asked for (`GET /api/v1/config/effective?org_id=&team_id=&...`). */
export interface EffectiveConfigKey {
  readonly org_id: string;
  readonly team_id: string | null;
  readonly workflow_id: string | null;
  readonly step_id: string | null;
}

/** One entry per scope in merge order; null where the key does not reach that level. */
export type ScopeChain = Readonly<Record<ConfigScope, ScopeRef | null>>;

/**
 * The documents an effective config reads. A step needs its workflow; a team and a workflow are
 * independent (a workflow belongs to the org, a run carries its team), so both may be given.
 */
export function scopeChain(key: EffectiveConfigKey): ScopeChain | ValidationError {
  const check = (field: string, value: string, pattern: RegExp): ValidationError | null =>
    pattern.test(value) ? null : new ValidationError(field, `${field} must match ${pattern}`);
  const problems = [
    check('org_id', key.org_id, TENANT_PATTERN),
    key.team_id === null ? null : check('team_id', key.team_id, TEAM_PATTERN),
    key.workflow_id === null ? null : check('workflow_id', key.workflow_id, CLIENT_ID_PATTERN),
    key.step_id === null ? null : check('step_id', key.step_id, STEP_ID_PATTERN),
  ];
  const problem = problems.find((found) => found !== null);
  if (problem !== undefined && problem !== null) return problem;
  if (key.step_id !== null && key.workflow_id === null) {
    return new ValidationError('step_id', 'step_id needs workflow_id (a step belongs to a workflow)');
  }
  return {
    system: { scope: 'system', scope_id: SYSTEM_SCOPE_ID },
    org: { scope: 'org', scope_id: key.org_id },
    team: key.team_id === null ? null : { scope: 'team', scope_id: `${key.org_id}:${key.team_id}` },
    workflow: key.workflow_id === null ? null : { scope: 'workflow', scope_id: `${key.org_id}:${key.workflow_id}` },
    step:
      key.step_id === null || key.workflow_id === null
        ? null
        : { scope: 'step', scope_id: `${key.org_id}:${key.workflow_id}:${key.step_id}` },
  };
}
