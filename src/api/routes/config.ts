/**
 * Config documents (SPEC 4): `GET/PUT/DELETE /api/v1/config/{scope}/{scope_id}`, their history, and
 * the effective config. A tenant's keys see their org's documents (and read the system document, which
 * shapes every effective config anyway); another org's documents are 404; only an admin key bound to
 * `*` may change `system`.
 */
import type { Precondition } from '../../domain/config/document-decider.ts';
import { orgOfScope, type ScopeRef } from '../../domain/config/scope.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { actorOf, canSeeTenant, type Principal } from '../auth/principal.ts';
import type { ApiConfig } from '../config.ts';
import type { ApiDeps } from '../deps.ts';
import { minPositionOf, withPosition } from '../positions.ts';
import { operation } from '../operation.ts';
import { EmptyBody, NoContent, page, PositionHeader } from '../schemas/common.ts';
import {
  ConfigDocument,
  ConfigEventsQuery,
  ConfigHistoryEntry,
  ConfigParams,
  EffectiveConfigAnswer,
  EffectiveQuery,
  PreconditionHeaders,
  PutConfigAnswer,
  PutConfigBody,
} from '../schemas/config.ts';

const TAGS = ['config'];

export function registerConfigRoutes(app: App, deps: ApiDeps, config: ApiConfig): void {
  const service = deps.config;

  /** A document the caller may read: its org's, or system. Anything else does not exist for them. */
  const readable = (principal: Principal, scope: string, scopeId: string): ScopeRef => {
    const ref = service.parseRef(scope, scopeId);
    const org = orgOfScope(ref);
    if (org !== null && !canSeeTenant(principal, org)) {
      throw new NotFoundError(`no ${ref.scope} config document ${ref.scope_id}`, 'config_not_found');
    }
    return ref;
  };
  const writable = (principal: Principal, scope: string, scopeId: string): ScopeRef => {
    const ref = readable(principal, scope, scopeId);
    if (ref.scope === 'system' && !principal.global) {
      throw new ForbiddenError(
        'only an admin key bound to tenant "*" may change the system config',
        'global_key_required',
      );
    }
    return ref;
  };

  app.get(
    '/api/v1/config/effective',
    operation({
      operationId: 'getEffectiveConfig',
      summary: 'The effective config for an org, team, workflow and step',
      description:
        'system → org → team → workflow → step, shallow merge (a top-level key of a later level replaces the earlier value whole), from the config read model. Pass the `position` of a config write as `min_position` to read it.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404, 503],
      querystring: EffectiveQuery,
      response: { 200: EffectiveConfigAnswer },
    }),
    async (request) => {
      const principal = principalOf(request);
      const query = request.query;
      if (!canSeeTenant(principal, query.org_id)) throw new NotFoundError(`no org ${query.org_id}`, 'org_not_found');
      const min = minPositionOf(request, query.min_position);
      return service.effective(
        {
          org_id: query.org_id,
          team_id: query.team_id ?? null,
          workflow_id: query.workflow_id ?? null,
          step_id: query.step_id ?? null,
        },
        min === null ? undefined : { minPosition: min.token, timeoutMs: config.minPositionWaitMs, field: min.field },
      );
    },
  );

  app.get(
    '/api/v1/config/:scope/:scope_id',
    operation({
      operationId: 'getConfigDocument',
      summary: 'One config document, as the event store has it now',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404],
      params: ConfigParams,
      response: { 200: ConfigDocument },
    }),
    async (request, reply) => {
      const ref = readable(principalOf(request), request.params.scope, request.params.scope_id);
      const { document, position } = await service.get(ref);
      if (document === null)
        throw new NotFoundError(`no ${ref.scope} config document ${ref.scope_id}`, 'config_not_found');
      void reply.header('etag', `"${document.revision}"`);
      return { ...document, position };
    },
  );

  app.put(
    '/api/v1/config/:scope/:scope_id',
    operation({
      operationId: 'putConfigDocument',
      summary: 'Write a whole config document',
      description:
        'Replaces the document (a new revision). Writing the data it already has changes nothing (`changed: false`, same revision). `If-Match: "<revision>"` makes the write conditional (412 on a mismatch).',
      tags: TAGS,
      access: { role: 'admin' },
      errors: [404, 409, 412],
      params: ConfigParams,
      headers: PreconditionHeaders,
      body: PutConfigBody,
      response: { 200: { ...PutConfigAnswer, headers: { ...PositionHeader, etag: { type: 'string' } } } },
    }),
    async (request, reply) => {
      const principal = principalOf(request);
      const ref = writable(principal, request.params.scope, request.params.scope_id);
      const precondition = preconditionOf(request.headers['if-match'], request.headers['if-none-match']);
      const result = await service.put(ref, request.body.data, precondition, {
        actor: actorOf(principal),
        trace_id: request.traceId,
      });
      if (result.state.status !== 'present') throw new Error('a put left the document absent');
      withPosition(reply, result.position);
      void reply.header('etag', `"${result.state.revision}"`);
      return {
        scope: ref.scope,
        scope_id: ref.scope_id,
        org_id: orgOfScope(ref),
        revision: result.state.revision,
        data: result.state.data,
        changed: result.appended !== null,
        position: result.position,
      };
    },
  );

  app.delete(
    '/api/v1/config/:scope/:scope_id',
    operation({
      operationId: 'deleteConfigDocument',
      summary: 'Delete a config document (its history is kept)',
      tags: TAGS,
      access: { role: 'admin' },
      errors: [404, 409, 412],
      params: ConfigParams,
      headers: PreconditionHeaders,
      body: EmptyBody,
      response: { 204: { ...NoContent, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const principal = principalOf(request);
      const ref = writable(principal, request.params.scope, request.params.scope_id);
      const precondition = preconditionOf(request.headers['if-match'], request.headers['if-none-match']);
      const result = await service.delete(ref, precondition, { actor: actorOf(principal), trace_id: request.traceId });
      withPosition(reply, result.position);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/config/:scope/:scope_id/events',
    operation({
      operationId: 'listConfigDocumentEvents',
      summary: 'Who changed a config document, and how',
      description: 'Every change, oldest first: type, time, actor, trace id, position, revision and the data written.',
      tags: TAGS,
      access: { role: 'viewer' },
      errors: [404],
      params: ConfigParams,
      querystring: ConfigEventsQuery,
      response: { 200: page(ConfigHistoryEntry, 'Changes, oldest first') },
    }),
    async (request) => {
      const ref = readable(principalOf(request), request.params.scope, request.params.scope_id);
      const after = request.query.cursor === undefined ? 0 : Number(request.query.cursor);
      if (!Number.isSafeInteger(after) || after < 0) {
        throw new ValidationError('cursor', 'cursor is not one this API returned', 'invalid_cursor');
      }
      const found = await service.history(ref, { after, limit: request.query.limit ?? 100 });
      if (found.items.length === 0 && after === 0) {
        throw new NotFoundError(`no ${ref.scope} config document ${ref.scope_id} was ever written`, 'config_not_found');
      }
      return { items: found.items, next_cursor: found.next === null ? null : String(found.next) };
    },
  );
}

/** `If-Match: "<revision>"` or `*`; `If-None-Match: *`. Anything else is a 400 naming the header. */
export function preconditionOf(ifMatch: string | undefined, ifNoneMatch: string | undefined): Precondition {
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw new ValidationError('If-None-Match', 'send If-Match or If-None-Match, not both', 'invalid_precondition');
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return { kind: 'absent' };
    throw new ValidationError('If-None-Match', 'If-None-Match takes only *', 'invalid_precondition');
  }
  if (ifMatch === undefined) return { kind: 'any' };
  const text = ifMatch.trim();
  if (text === '*') return { kind: 'exists' };
  const match = /^"?([1-9][0-9]{0,15}|0)"?$/.exec(text);
  if (match?.[1] === undefined) {
    throw new ValidationError(
      'If-Match',
      'If-Match must be "<revision>" (a quoted number) or *',
      'invalid_precondition',
    );
  }
  return { kind: 'revision', revision: Number(match[1]) };
}
