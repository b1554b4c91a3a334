/** The config document decider (SPEC 4): given events, when a command, then an event or an error. */
import { describe, expect, it } from 'vitest';
import {
  type ConfigCommand,
  type ConfigDocumentState,
  type ConfigEvent,
  configStreamId,
  decideConfig,
  evolveConfig,
  NO_CONFIG_DOCUMENT,
  type Precondition,
  SYSTEM_CONFIG_TENANT,
} from '../../../../src/domain/config/document-decider.ts';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';

function given(...events: ConfigEvent[]) {
  const state = events.reduce<ConfigDocumentState>(evolveConfig, NO_CONFIG_DOCUMENT);
  return {
    when: (command: ConfigCommand) => decideConfig(command, state),
  };
}

const put = (
  data: unknown,
  precondition: Precondition = { kind: 'any' },
  scope = 'org',
  scopeId = 'acme',
): ConfigCommand => ({
  type: 'PutConfig',
  scope,
  scope_id: scopeId,
  data,
  precondition,
});
const del = (precondition: Precondition = { kind: 'any' }): ConfigCommand => ({
  type: 'DeleteConfig',
  scope: 'org',
  scope_id: 'acme',
  precondition,
});
const putEvent = (revision: number, data: Record<string, unknown>, previous = revision - 1): ConfigEvent => ({
  type: 'ConfigPut',
  data: { scope: 'org', scope_id: 'acme', org_id: 'acme', revision, previous_revision: previous, data },
});
const deletedEvent = (revision: number): ConfigEvent => ({
  type: 'ConfigDeleted',
  data: { scope: 'org', scope_id: 'acme', org_id: 'acme', revision },
});

describe('config document decider', () => {
  it('a first put is revision 1', () => {
    expect(given().when(put({ a: 1 }))).toEqual({ events: [putEvent(1, { a: 1 }, 0)] });
  });

  it('a put of equal data (any key order) changes nothing', () => {
    expect(given(putEvent(1, { a: 1, b: 2 })).when(put({ b: 2, a: 1 }))).toEqual({ events: [] });
  });

  it('revisions go on across a delete: deleted at 2, written again at 3', () => {
    expect(given(putEvent(1, { a: 1 }), putEvent(2, { a: 2 }), deletedEvent(2)).when(put({ a: 3 }))).toEqual({
      events: [putEvent(3, { a: 3 }, 0)],
    });
  });

  it('If-Match: the current revision passes, another is precondition_failed', () => {
    const history = [putEvent(1, { a: 1 }), putEvent(2, { a: 2 })];
    expect(given(...history).when(put({ a: 3 }, { kind: 'revision', revision: 2 }))).toEqual({
      events: [putEvent(3, { a: 3 })],
    });
    const stale = given(...history).when(put({ a: 3 }, { kind: 'revision', revision: 1 }));
    expect(stale).toMatchObject({ name: 'ConflictError', code: 'precondition_failed' });
    expect(given().when(put({}, { kind: 'revision', revision: 1 }))).toMatchObject({ code: 'precondition_failed' });
    expect(given().when(put({}, { kind: 'exists' }))).toMatchObject({ code: 'precondition_failed' });
    expect(given(...history).when(put({}, { kind: 'absent' }))).toMatchObject({ code: 'precondition_failed' });
    expect(given().when(put({}, { kind: 'absent' }))).toEqual({ events: [putEvent(1, {}, 0)] });
  });

  it('If-Match: * passes when the document exists; each failed precondition says why', () => {
    const history = [putEvent(1, { a: 1 }), putEvent(2, { a: 2 })];
    expect(given(...history).when(put({ a: 3 }, { kind: 'exists' }))).toEqual({ events: [putEvent(3, { a: 3 })] });
    expect(given().when(put({}, { kind: 'exists' }))).toMatchObject({ message: 'the document does not exist' });
    expect(given(...history).when(put({}, { kind: 'absent' }))).toMatchObject({
      message: 'the document exists at revision 2',
    });
    expect(given(...history).when(put({}, { kind: 'revision', revision: 1 }))).toMatchObject({
      message: 'expected revision 1, the document is at revision 2',
    });
    expect(given().when(put({}, { kind: 'revision', revision: 1 }))).toMatchObject({
      message: 'expected revision 1, but the document does not exist',
    });
  });

  it('invalid data names the field under data; invalid scopes name scope or scope_id', () => {
    const bad = given().when(put({ retry: { max_attempts: 0 } }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).field).toBe('data.retry.max_attempts');
    expect((given().when(put([])) as ValidationError).field).toBe('data');
    expect((given().when(put({}, { kind: 'any' }, 'org', 'a:b')) as ValidationError).field).toBe('scope_id');
    expect((given().when(put({}, { kind: 'any' }, 'nope', 'a')) as ValidationError).field).toBe('scope');
  });

  it('delete: of a present document records its revision; of an absent one is not found', () => {
    expect(given(putEvent(1, { a: 1 })).when(del())).toEqual({ events: [deletedEvent(1)] });
    expect(given().when(del())).toMatchObject({ name: 'NotFoundError', code: 'config_not_found' });
    expect(given(putEvent(1, {}), deletedEvent(1)).when(del())).toMatchObject({ name: 'NotFoundError' });
    expect(given(putEvent(1, {})).when(del({ kind: 'revision', revision: 3 }))).toMatchObject({
      code: 'precondition_failed',
    });
    expect(given().when(del())).toMatchObject({ message: 'no org config document acme' });
    const badScope: ConfigCommand = {
      type: 'DeleteConfig',
      scope: 'org',
      scope_id: 'a:b',
      precondition: { kind: 'any' },
    };
    expect(given(putEvent(1, {})).when(badScope)).toMatchObject({ name: 'ValidationError', field: 'scope_id' });
  });

  it('streams: tenant = the org; system documents under a tenant no org can have', () => {
    expect(configStreamId({ scope: 'team', scope_id: 'acme:platform' })).toEqual({
      type: 'config',
      tenant: 'acme',
      id: 'team:acme:platform',
    });
    expect(configStreamId({ scope: 'system', scope_id: 'default' }).tenant).toBe(SYSTEM_CONFIG_TENANT);
    expect(SYSTEM_CONFIG_TENANT).not.toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('evolve is total: an unknown event type leaves the state as it was', () => {
    const state = evolveConfig(NO_CONFIG_DOCUMENT, putEvent(1, { a: 1 }));
    expect(evolveConfig(state, { type: 'SomethingNew', data: {} } as unknown as ConfigEvent)).toBe(state);
  });
});
