/** ARCHITECTURE.md section 8: each error has a literal name, a stable code (with a default) and an optional cause. */
import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  ConflictError,
  ForbiddenError,
  isCoretexError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../../../src/domain/shared/errors.ts';

describe('the error taxonomy', () => {
  it('names each error and gives it its default code', () => {
    const errors = [
      [new ValidationError('retry.max_attempts', 'must be ≥ 1'), 'ValidationError', 'invalid_field'],
      [new NotFoundError('no such job'), 'NotFoundError', 'not_found'],
      [new ConflictError('already running'), 'ConflictError', 'conflict'],
      [new ConcurrencyError('job:acme:1', 4), 'ConcurrencyError', 'concurrency_conflict'],
      [new ForbiddenError('not yours'), 'ForbiddenError', 'forbidden'],
      [new UnavailableError('redis is down'), 'UnavailableError', 'unavailable'],
    ] as const;
    for (const [error, name, code] of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.cause).toBeUndefined();
      expect(Object.hasOwn(error, 'cause')).toBe(false);
      expect(isCoretexError(error)).toBe(true);
    }
  });

  it('keeps the message, the field, a custom code and the cause', () => {
    const cause = new Error('root');
    const validation = new ValidationError('labels', 'labels must be a map', 'too_many_labels', { cause });
    expect(validation).toMatchObject({ field: 'labels', message: 'labels must be a map', code: 'too_many_labels' });
    expect(validation.cause).toBe(cause);
    expect(new NotFoundError('gone', 'job_not_found', { cause })).toMatchObject({ code: 'job_not_found', cause });
    expect(new ConflictError('busy', 'job_exists', { cause })).toMatchObject({ code: 'job_exists', cause });
    expect(new ForbiddenError('no', 'tenant_mismatch', { cause })).toMatchObject({ code: 'tenant_mismatch', cause });
    expect(new UnavailableError('down', 'not_caught_up', 250, { cause })).toMatchObject({
      message: 'down',
      code: 'not_caught_up',
      retryAfterMs: 250,
      cause,
    });
  });

  it('says which stream was not where it was expected', () => {
    const error = new ConcurrencyError('job:acme:01J', 7, { cause: 'raced' });
    expect(error).toMatchObject({
      streamId: 'job:acme:01J',
      expectedPosition: 7,
      message: 'stream job:acme:01J is not at position 7',
      cause: 'raced',
    });
  });

  it('retries an unavailable dependency after a second by default', () => {
    expect(new UnavailableError('down').retryAfterMs).toBe(1000);
  });

  it('tells its own errors from others', () => {
    expect(isCoretexError(new Error('plain'))).toBe(false);
    expect(isCoretexError(new TypeError('type'))).toBe(false);
    expect(isCoretexError({ name: 'ValidationError', message: 'not an Error' })).toBe(false);
    expect(isCoretexError(null)).toBe(false);
    expect(isCoretexError('ConflictError')).toBe(false);
    const named = new Error('foreign');
    named.name = 'NotFoundError';
    expect(isCoretexError(named)).toBe(true);
  });
});
