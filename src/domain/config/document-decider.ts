/**
 * The config document aggregate (SPEC 4): one stream per (scope, scope id) in the `config` stream,
 * tenant = the document's org (system documents live under `SYSTEM_CONFIG_TENANT`). Two events:
 * `ConfigPut` (the whole new document, with its revision) and `ConfigDeleted`.
 *
 * Revisions count every write of the document ever made, across deletes: a document deleted at
 * revision 3 and written again comes back at revision 4, so a revision number always names one
 * content (an effective-config version string never means two different configs). A deleted document
 * reads as absent: revision 0 in versions, 404 by id.
 *
 * A put whose data equals the current data (as canonical JSON) changes nothing: client retries do not
 * bump revisions.
 */
import { canonicalJson } from '../shared/canonical-json.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { DomainEvent } from '../shared/events.ts';
import { type StreamId, streamId } from '../shared/stream.ts';
import { validateConfigDocument } from './document.ts';
import type { JsonObject } from './reader.ts';
import { type ConfigScope, orgOfScope, type ScopeRef } from './scope.ts';

/**
 * The tenant system documents are stored under. It contains a `.`, which no org id may (TENANT_PATTERN),
 * so no org can ever own the system document's stream or see its events through a tenant filter.
 */
export const SYSTEM_CONFIG_TENANT = '.system';

export interface ConfigPutData {
  readonly scope: ConfigScope;
  readonly scope_id: string;
  /** The org the document belongs to; null for system. */
  readonly org_id: string | null;
  readonly revision: number;
  /** The revision this write replaced (0 when the document was absent). */
  readonly previous_revision: number;
  readonly data: JsonObject;
}

export interface ConfigDeletedData {
  readonly scope: ConfigScope;
  readonly scope_id: string;
  readonly org_id: string | null;
  /** The revision that was deleted. */
  readonly revision: number;
}

export type ConfigPut = DomainEvent<'ConfigPut', ConfigPutData>;
export type ConfigDeleted = DomainEvent<'ConfigDeleted', ConfigDeletedData>;
export type ConfigEvent = ConfigPut | ConfigDeleted;
export type ConfigEventType = ConfigEvent['type'];
export const CONFIG_EVENT_TYPES: readonly ConfigEventType[] = ['ConfigPut', 'ConfigDeleted'];

export type ConfigDocumentState =
  | { readonly status: 'absent'; readonly last_revision: number }
  | { readonly status: 'present'; readonly revision: number; readonly data: JsonObject };

export const NO_CONFIG_DOCUMENT: ConfigDocumentState = { status: 'absent', last_revision: 0 };

/**
 * What a write requires of the current document (HTTP `If-Match` / `If-None-Match`):
 * `any` (unconditional), `revision` (present at exactly this revision), `exists` (`If-Match: *`),
 * `absent` (`If-None-Match: *`).
 */
export type Precondition =
  | { readonly kind: 'any' }
  | { readonly kind: 'revision'; readonly revision: number }
  | { readonly kind: 'exists' }
  | { readonly kind: 'absent' };

export interface PutConfig {
  readonly type: 'PutConfig';
  readonly scope: string;
  readonly scope_id: string;
  readonly data: unknown;
  readonly precondition: Precondition;
}

export interface DeleteConfig {
  readonly type: 'DeleteConfig';
  readonly scope: string;
  readonly scope_id: string;
  readonly precondition: Precondition;
}

export type ConfigCommand = PutConfig | DeleteConfig;

export interface ConfigDecision {
  readonly events: readonly [] | readonly [ConfigEvent];
}

export type ConfigDecisionResult = ConfigDecision | ValidationError | ConflictError | NotFoundError;

/** The stream of a config document: `config:<org>:<scope>:<scope_id>`. */
export function configStreamId(ref: ScopeRef): StreamId {
  return streamId('config', orgOfScope(ref) ?? SYSTEM_CONFIG_TENANT, `${ref.scope}:${ref.scope_id}`);
}

export function evolveConfig(state: ConfigDocumentState, event: ConfigEvent): ConfigDocumentState {
  switch (event.type) {
    case 'ConfigPut':
      return { status: 'present', revision: event.data.revision, data: event.data.data };
    case 'ConfigDeleted':
      return { status: 'absent', last_revision: event.data.revision };
    default: {
      // Unknown types (a newer schema) leave the document as it was: evolve is total.
      const _never: never = event;
      void _never;
      return state;
    }
  }
}

export function decideConfig(command: ConfigCommand, state: ConfigDocumentState): ConfigDecisionResult {
  const problem = checkPrecondition(command.precondition, state);
  if (problem !== null) return problem;
  switch (command.type) {
    case 'PutConfig':
      return decidePut(command, state);
    case 'DeleteConfig':
      return decideDelete(command, state);
  }
}

function decidePut(command: PutConfig, state: ConfigDocumentState): ConfigDecisionResult {
  const checked = validateConfigDocument(command.scope, command.scope_id, command.data);
  if (checked instanceof ValidationError) return inRequest(checked);
  if (state.status === 'present' && canonicalJson(state.data) === canonicalJson(checked.data)) return { events: [] };
  const previous = state.status === 'present' ? state.revision : 0;
  const last = state.status === 'present' ? state.revision : state.last_revision;
  return {
    events: [
      {
        type: 'ConfigPut',
        data: {
          scope: checked.ref.scope,
          scope_id: checked.ref.scope_id,
          org_id: orgOfScope(checked.ref),
          revision: last + 1,
          previous_revision: previous,
          data: checked.data,
        },
      },
    ],
  };
}

function decideDelete(command: DeleteConfig, state: ConfigDocumentState): ConfigDecisionResult {
  const checked = validateConfigDocument(command.scope, command.scope_id, {});
  if (checked instanceof ValidationError) return inRequest(checked);
  if (state.status === 'absent') {
    return new NotFoundError(`no ${command.scope} config document ${command.scope_id}`, 'config_not_found');
  }
  return {
    events: [
      {
        type: 'ConfigDeleted',
        data: {
          scope: checked.ref.scope,
          scope_id: checked.ref.scope_id,
          org_id: orgOfScope(checked.ref),
          revision: state.revision,
        },
      },
    ],
  };
}

/** `If-Match` / `If-None-Match`: a mismatch is `precondition_failed` (the API answers 412). */
function checkPrecondition(precondition: Precondition, state: ConfigDocumentState): ConflictError | null {
  const current = state.status === 'present' ? state.revision : null;
  switch (precondition.kind) {
    case 'any':
      return null;
    case 'exists':
      return current === null ? preconditionFailed('the document does not exist') : null;
    case 'absent':
      return current === null ? null : preconditionFailed(`the document exists at revision ${current}`);
    case 'revision':
      if (current === precondition.revision) return null;
      return preconditionFailed(
        current === null
          ? `expected revision ${precondition.revision}, but the document does not exist`
          : `expected revision ${precondition.revision}, the document is at revision ${current}`,
      );
  }
}

function preconditionFailed(message: string): ConflictError {
  return new ConflictError(message, 'precondition_failed');
}

/**
 * The document validator names fields relative to the document (`routing.pools`) or `data` itself;
 * in a request they live under `data`, and scope errors name the path parameters.
 */
function inRequest(error: ValidationError): ValidationError {
  if (error.field === 'scope' || error.field === 'scope_id' || error.field === 'data') return error;
  return new ValidationError(`data.${error.field}`, error.message, error.code);
}

/** The decider as the generic command handler takes it. */
export const configDocumentDecider: {
  readonly initialState: ConfigDocumentState;
  evolve(state: ConfigDocumentState, event: ConfigEvent): ConfigDocumentState;
  decide(command: ConfigCommand, state: ConfigDocumentState): ConfigDecisionResult;
} = { initialState: NO_CONFIG_DOCUMENT, evolve: evolveConfig, decide: decideConfig };
