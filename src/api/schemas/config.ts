/** Config service schemas (SPEC 4). */
import { Type } from 'typebox';
import { CursorQuery, MinPositionQuery, PositionTokenSchema } from './common.ts';

export const ScopeSchema = Type.Union(
  [Type.Literal('system'), Type.Literal('org'), Type.Literal('team'), Type.Literal('workflow'), Type.Literal('step')],
  { description: 'Merge order: system → org → team → workflow → step' },
);

export const ConfigParams = Type.Object(
  {
    scope: ScopeSchema,
    scope_id: Type.String({
      minLength: 1,
      maxLength: 256,
      description:
        'system: `default`; org: `<org>`; team: `<org>:<team>`; workflow: `<org>:<workflow_id>`; step: `<org>:<workflow_id>:<step_id>`',
    }),
  },
  { additionalProperties: false },
);

export const ConfigData = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'The whole document: a JSON object. Known top-level keys (routing, timeouts, retry, safety, limits, dispatch, idempotency_ttl_ms) are validated; other keys are passed to jobs as they are.',
});

export const ConfigDocument = Type.Object(
  {
    scope: ScopeSchema,
    scope_id: Type.String(),
    org_id: Type.Union([Type.String(), Type.Null()]),
    revision: Type.Integer({ minimum: 1, description: 'Also the ETag: `"<revision>"`' }),
    data: ConfigData,
    updated_at: Type.String({ description: 'ISO 8601' }),
    updated_by: Type.String({ description: 'The actor of the last change, `api:<key id>`' }),
    position: PositionTokenSchema,
  },
  { description: 'The document, as the event store has it now' },
);

export const PreconditionHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 256,
      description: '`"<revision>"`: write only if the document is at this revision (else 412); `*`: only if it exists',
    }),
  ),
  'if-none-match': Type.Optional(
    Type.String({ maxLength: 256, description: '`*`: write only if the document does not exist (else 412)' }),
  ),
});

export const PutConfigBody = Type.Object({ data: ConfigData }, { additionalProperties: false });

export const PutConfigAnswer = Type.Object(
  {
    scope: ScopeSchema,
    scope_id: Type.String(),
    org_id: Type.Union([Type.String(), Type.Null()]),
    revision: Type.Integer({ minimum: 1 }),
    data: ConfigData,
    changed: Type.Boolean({ description: 'False when the data equalled the current document: nothing was written' }),
    position: PositionTokenSchema,
  },
  { description: 'The document after the write, with the position of its event' },
);

export const ConfigEventsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(CursorQuery),
  },
  { additionalProperties: false },
);

export const ConfigHistoryEntry = Type.Object({
  type: Type.String({ description: '`ConfigPut` or `ConfigDeleted`' }),
  time: Type.String(),
  actor: Type.String(),
  trace_id: Type.Union([Type.String(), Type.Null()]),
  position: PositionTokenSchema,
  revision: Type.Integer(),
  data: Type.Union([ConfigData, Type.Null()], { description: 'The document after the change; null for a delete' }),
});

export const EffectiveQuery = Type.Object(
  {
    org_id: Type.String({ minLength: 1, maxLength: 64 }),
    team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    workflow_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    step_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    min_position: Type.Optional(MinPositionQuery),
  },
  { additionalProperties: false },
);

export const EffectiveConfigAnswer = Type.Object(
  {
    data: ConfigData,
    version: Type.String({ description: 'Each level’s revision: `system:3|org:1|team:0|workflow:2|step:0`' }),
    hash: Type.String({ description: 'SHA-256 (hex) of the canonical JSON of `data`' }),
  },
  { description: 'The merged config' },
);
