/**
 * Authentication in two steps, so the rate limit can key on the caller: `identify` (onRequest, before
 * the rate limit) finds the key the request presents — `Authorization: Bearer <key>` or `X-API-Key` —
 * and `enforce` (preParsing: after the rate limit, before the body is read) answers 401 for a missing
 * or unknown key and 403 for a role or scope the route does not allow. Without configured keys (loopback
 * only, see ApiConfig) every caller is the open principal.
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../domain/shared/errors.ts';
import type { ApiConfig } from '../config.ts';
import { ALL_TENANTS, KeyRing } from './api-keys.ts';
import { type Access, checkAccess, type Principal } from './principal.ts';

export class Unauthorized extends Error {
  readonly statusCode = 401;
  readonly code = 'unauthorized';
}

type Identified = { readonly principal: Principal } | { readonly problem: 'missing' | 'unknown' };

export function createAuthenticator(config: ApiConfig) {
  const ring = new KeyRing(config.keys);
  const open: Principal | null =
    config.keys.length === 0
      ? { keyId: 'open', tenant: config.openTenant, role: 'admin', global: true, rateLimit: null }
      : null;

  function identify(request: FastifyRequest): Identified {
    if (open !== null) return { principal: open };
    const presented = presentedKey(request);
    if (presented === null) return { problem: 'missing' };
    const key = ring.find(presented);
    if (key === null) return { problem: 'unknown' };
    return {
      principal: {
        keyId: key.id,
        tenant: key.tenant,
        role: key.role,
        global: key.tenant === ALL_TENANTS,
        rateLimit: key.rate_limit ?? null,
      },
    };
  }

  function enforce(identified: Identified, access: Access): Principal | null {
    if (access.role === 'public') return 'principal' in identified ? identified.principal : null;
    if (!('principal' in identified)) {
      throw new Unauthorized(
        identified.problem === 'missing'
          ? 'an API key is required: Authorization: Bearer <key> or X-API-Key'
          : 'the API key is not known',
      );
    }
    checkAccess(identified.principal, access);
    return identified.principal;
  }

  return { identify, enforce, open: open !== null };
}

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  return null;
}

/** The principal of a request whose route requires a key (set by `enforce`). */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === null) throw new ForbiddenError('this route has no caller', 'no_principal');
  return principal;
}
