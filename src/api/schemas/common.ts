/** Schemas shared by the routes: problem details, positions, pages. */
import { type TSchema, Type } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the kind of problem: `urn:coretex:problem:<code>`' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable, machine-readable' }),
    field: Type.Optional(Type.String({ description: 'The offending field, for validation errors' })),
    request_id: Type.Optional(Type.String({ description: 'For server errors: quote it when reporting' })),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

export const PositionTokenSchema = Type.String({
  pattern: '^[a-z]+:(0|[1-9][0-9]{0,15})$',
  description: 'A position token `<stream>:<sequence>`, e.g. `config:42`',
  examples: ['config:42'],
});

export const MinPositionQuery = Type.String({
  pattern: '^[a-z]+:(0|[1-9][0-9]{0,15})$',
  description:
    'Wait (bounded, default 2 s) until the read model has applied this position (a `position` from a command answer); else 503 with Retry-After. Also accepted as the `X-Coretex-Min-Position` header.',
});

export const CursorQuery = Type.String({ maxLength: 512, description: 'Opaque: `next_cursor` of the previous page' });

export const PositionHeader = {
  'x-coretex-position': Type.String({ description: 'The position token of the command (as `position` in the body)' }),
};

export function page<T extends TSchema>(item: T, description: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
    },
    { description },
  );
}

export const NoContent = Type.Null({ description: 'No content' });

/** Commands that take no options: no body at all, or `{}` (anything else is 400). */
export const EmptyBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })], {
  description: 'No options: send no body, or {}',
});

/** `?tenant=`: the tenant a key bound to `*` acts on (a tenant key may name only its own). */
export const TenantQuery = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description:
    'The tenant to act on. Required for keys bound to `*` on single-resource operations; a tenant key may only name its own tenant (another is 404).',
});

export const IsoTime = Type.String({ description: 'ISO 8601 (UTC)' });

export const NullableIso = Type.Union([IsoTime, Type.Null()]);

/** Every id a job can have: a client's, a ULID, or one Coretex derives (`<id>.r1`, `bus.42`, `<run>.<step>.1`). */
export const JobIdSchema = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,4}$',
  description: 'A job id: a client id (`^[A-Za-z0-9_-]{1,64}$`), a ULID, or an id Coretex derived (contains `.`)',
});

export const JobErrorSchema = Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]);

export const OperationStarted = Type.Object(
  {
    operation_id: Type.String(),
    position: PositionTokenSchema,
    status_url: Type.String({ description: '`GET` it for the operation’s progress' }),
  },
  { description: 'The bulk operation is recorded and runs in the background' },
);
