/**
 * The JSON body parser. Like Fastify's, it refuses keys that could reach an object's prototype
 * (`__proto__`, `constructor.prototype`) — code later down the line may copy request objects with
 * `Object.assign` — but says so (400, code `forbidden_key`) instead of calling the body invalid JSON.
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../domain/shared/errors.ts';

class BadJson extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_INVALID_JSON_BODY';
}

function rejectPrototypeKeys(key: string, value: unknown): unknown {
  if (
    key === '__proto__' ||
    (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value)
  ) {
    throw new ValidationError(
      'body',
      `the body has a key named ${key === '__proto__' ? '__proto__' : 'constructor.prototype'}, which is not accepted`,
      'forbidden_key',
    );
  }
  return value;
}

/**
 * Whether the text could hold a forbidden key: a key is either written out or spelled with `\u`
 * escapes, so a text with neither word and no escape cannot (the reviver costs most of a parse).
 */
function mayNamePrototype(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
}

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(new BadJson('the body is empty; send a JSON value or no body at all'), undefined);
      return;
    }
    try {
      done(null, mayNamePrototype(text) ? JSON.parse(text, rejectPrototypeKeys) : JSON.parse(text));
    } catch (error) {
      if (error instanceof ValidationError) done(error, undefined);
      // A syntax error describes the client's text, never our internals.
      else
        done(
          new BadJson(`the body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`),
          undefined,
        );
    }
  });
}
