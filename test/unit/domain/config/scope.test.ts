import { describe, expect, it } from 'vitest';
import { orgOfScope, parseScopeRef, scopeChain } from '../../../../src/domain/config/scope.ts';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';

function fieldOf(result: unknown): string | null {
  return result instanceof ValidationError ? result.field : null;
}

describe('parseScopeRef', () => {
  it.each([
    ['system', 'default'],
    ['org', 'acme'],
    ['team', 'acme:data-eng'],
    ['workflow', 'acme:nightly_etl'],
    ['step', 'acme:nightly_etl:load-2'],
  ])('accepts %s %s', (scope, scopeId) => {
    expect(parseScopeRef(scope, scopeId)).toEqual({ scope, scope_id: scopeId });
  });

  it('names the scope field for an unknown scope', () => {
    expect(fieldOf(parseScopeRef('tenant', 'acme'))).toBe('scope');
  });

  it.each([
    ['system', 'acme'],
    ['org', 'acme:team'],
    ['org', ''],
    ['org', 'ac me'],
    ['team', 'acme'],
    ['team', 'acme:'],
    ['workflow', 'acme:wf.1'],
    ['step', 'acme:wf'],
    ['step', 'acme:wf:Upper'],
    ['step', 'acme:wf:s:extra'],
  ])('names the scope_id field for %s %j', (scope, scopeId) => {
    expect(fieldOf(parseScopeRef(scope, scopeId))).toBe('scope_id');
  });

  it('says what a scope and each scope id look like', () => {
    expect(parseScopeRef('tenant', 'acme')).toMatchObject({
      message: 'scope must be one of: system, org, team, workflow, step',
      code: 'invalid_scope',
    });
    expect(parseScopeRef('system', 'acme')).toMatchObject({
      message: 'the system scope id is "default"',
      code: 'invalid_scope_id',
    });
    expect(parseScopeRef('step', 'acme:wf')).toMatchObject({
      message: 'a step scope id is <org>:<workflow_id>:<step_id>',
      code: 'invalid_scope_id',
    });
    expect(parseScopeRef('team', 'acme:')).toMatchObject({
      message: 'team in <org>:<team> must match /^[A-Za-z0-9_-]{1,64}$/',
      code: 'invalid_scope_id',
    });
  });

  it('tells the org a scope belongs to', () => {
    expect(orgOfScope({ scope: 'system', scope_id: 'default' })).toBeNull();
    expect(orgOfScope({ scope: 'org', scope_id: 'acme' })).toBe('acme');
    expect(orgOfScope({ scope: 'step', scope_id: 'acme:wf:s' })).toBe('acme');
  });
});

describe('scopeChain', () => {
  it('names every level the key reaches, in merge order', () => {
    expect(scopeChain({ org_id: 'acme', team_id: 'ops', workflow_id: 'wf', step_id: 's1' })).toEqual({
      system: { scope: 'system', scope_id: 'default' },
      org: { scope: 'org', scope_id: 'acme' },
      team: { scope: 'team', scope_id: 'acme:ops' },
      workflow: { scope: 'workflow', scope_id: 'acme:wf' },
      step: { scope: 'step', scope_id: 'acme:wf:s1' },
    });
  });

  it('leaves levels the key does not reach empty', () => {
    expect(scopeChain({ org_id: 'acme', team_id: null, workflow_id: null, step_id: null })).toMatchObject({
      team: null,
      workflow: null,
      step: null,
    });
  });

  it('reaches the workflow but not a step when only the workflow is given', () => {
    expect(scopeChain({ org_id: 'acme', team_id: null, workflow_id: 'wf', step_id: null })).toMatchObject({
      workflow: { scope: 'workflow', scope_id: 'acme:wf' },
      step: null,
    });
  });

  it('refuses a bad step id, and says why a step needs its workflow', () => {
    expect(scopeChain({ org_id: 'acme', team_id: null, workflow_id: 'wf', step_id: 'Bad' })).toMatchObject({
      field: 'step_id',
      message: 'step_id must match /^[a-z0-9][a-z0-9_-]{0,47}$/',
    });
    expect(scopeChain({ org_id: 'acme', team_id: null, workflow_id: null, step_id: 's' })).toMatchObject({
      message: 'step_id needs workflow_id (a step belongs to a workflow)',
    });
  });

  it('refuses a step without its workflow, and bad ids, naming the field', () => {
    expect(fieldOf(scopeChain({ org_id: 'acme', team_id: null, workflow_id: null, step_id: 's' }))).toBe('step_id');
    expect(fieldOf(scopeChain({ org_id: 'a:b', team_id: null, workflow_id: null, step_id: null }))).toBe('org_id');
    expect(fieldOf(scopeChain({ org_id: 'acme', team_id: 'x y', workflow_id: null, step_id: null }))).toBe('team_id');
    expect(fieldOf(scopeChain({ org_id: 'acme', team_id: null, workflow_id: 'a.b', step_id: null }))).toBe(
      'workflow_id',
    );
  });
});
