/**
 * Positions on the wire (SPEC 1.12): every command answer carries `position` in its body and the
 * `X-Coretex-Position` header (also on 204); lists take `min_position` (query) or
 * `X-Coretex-Min-Position` (header) and wait, bounded, until their read model has applied it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../domain/shared/errors.ts';
import { type PositionToken, parsePositionToken } from '../domain/shared/events.ts';

export const POSITION_HEADER = 'x-coretex-position';
export const MIN_POSITION_HEADER = 'x-coretex-min-position';

export function withPosition(reply: FastifyReply, position: string): FastifyReply {
  return reply.header(POSITION_HEADER, position);
}

export interface MinPosition {
  readonly token: PositionToken;
  readonly field: string;
}

/** The position a list must wait for, from the query (preferred) or the header; null if neither. */
export function minPositionOf(request: FastifyRequest, query: string | undefined): MinPosition | null {
  const header = request.headers[MIN_POSITION_HEADER];
  const [text, field] =
    query !== undefined
      ? [query, 'min_position']
      : typeof header === 'string'
        ? [header, 'X-Coretex-Min-Position']
        : [];
  if (text === undefined || field === undefined) return null;
  const token = parsePositionToken(text.trim());
  if (token === null) {
    throw new ValidationError(
      field,
      `${field} must be a position token <stream>:<sequence>, e.g. job:42`,
      'invalid_position',
    );
  }
  return { token, field };
}
