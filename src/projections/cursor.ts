/** The opaque page cursor: base64url of the last item's (score, member), stable while items change. */
import { ValidationError } from '../domain/shared/errors.ts';
import type { ScoredMember } from './reader.ts';

export function encodeCursor(item: ScoredMember): string {
  return Buffer.from(JSON.stringify([item.score, item.member])).toString('base64url');
}

export function decodeCursor(cursor: string): ScoredMember {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && typeof value[1] === 'string') {
      return { score: value[0] as number, member: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('cursor', 'cursor is not one this API returned', 'invalid_cursor');
}
