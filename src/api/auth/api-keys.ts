/**
 * API keys (SPEC 6): configured hashed (SHA-256, hex), each bound to a tenant (or `*`, every tenant)
 * and a role. `CORETEX_API_KEYS` holds them as JSON:
 *
 *   [{"id": "ci", "hash": "<sha256 hex of the key>", "tenant": "acme", "role": "operator"}]
 *
 * `rate_limit` (requests per window) may override the default for one key. `coretex api-key new`
 * makes a key and prints its entry; `coretex api-key hash` hashes a key read from stdin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../app/config-error.ts';
import { TENANT_PATTERN } from '../../domain/shared/ids.ts';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Every tenant: a key bound to `*` reads across tenants and may act on the installation. */
export const ALL_TENANTS = '*';

export interface ApiKey {
  readonly id: string;
  /** SHA-256 of the key, lowercase hex. */
  readonly hash: string;
  readonly tenant: string;
  readonly role: Role;
  readonly rate_limit?: number;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const HEX64 = /^[0-9a-f]{64}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A fresh key: 32 random bytes, base64url, with a recognisable prefix (for secret scanners). */
export function generateApiKey(): string {
  return `ctx_${randomBytes(32).toString('base64url')}`;
}

/** Parses `CORETEX_API_KEYS`; every problem names the entry. Empty or unset: no keys. */
export function parseApiKeys(text: string | undefined, setting = 'CORETEX_API_KEYS'): ApiKey[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(setting, `${setting} must be a JSON list of {id, hash, tenant, role}`);
  }
  if (!Array.isArray(value))
    throw new ConfigError(setting, `${setting} must be a JSON list of {id, hash, tenant, role}`);
  const seen = new Set<string>();
  const hashes = new Set<string>();
  return value.map((entry: unknown, index): ApiKey => {
    const where = `${setting}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigError(setting, `${where} must be an object {id, hash, tenant, role}`);
    }
    const { id, hash, tenant, role, rate_limit: rateLimit, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ConfigError(setting, `${where} has unknown field(s) ${unknown.join(', ')}`);
    if (typeof id !== 'string' || !KEY_ID.test(id)) throw new ConfigError(setting, `${where}.id must match ${KEY_ID}`);
    if (seen.has(id)) throw new ConfigError(setting, `${where}.id "${id}" is used twice`);
    seen.add(id);
    const digest = typeof hash === 'string' ? hash.replace(/^sha256:/, '').toLowerCase() : '';
    if (!HEX64.test(digest)) {
      throw new ConfigError(setting, `${where}.hash must be the SHA-256 of the key in hex (coretex api-key hash)`);
    }
    if (hashes.has(digest)) throw new ConfigError(setting, `${where}.hash is the same key as an earlier entry`);
    hashes.add(digest);
    if (typeof tenant !== 'string' || (tenant !== ALL_TENANTS && !TENANT_PATTERN.test(tenant))) {
      throw new ConfigError(setting, `${where}.tenant must be "*" or match ${TENANT_PATTERN}`);
    }
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new ConfigError(setting, `${where}.role must be one of ${ROLES.join(', ')}`);
    }
    if (rateLimit !== undefined && (!Number.isSafeInteger(rateLimit) || (rateLimit as number) < 1)) {
      throw new ConfigError(setting, `${where}.rate_limit must be a positive integer`);
    }
    return {
      id,
      hash: digest,
      tenant,
      role: role as Role,
      ...(rateLimit === undefined ? {} : { rate_limit: rateLimit as number }),
    };
  });
}

/** Looks keys up by the hash of what the client sent. */
export class KeyRing {
  readonly #byHash: ReadonlyMap<string, ApiKey>;

  constructor(keys: readonly ApiKey[]) {
    this.#byHash = new Map(keys.map((key) => [key.hash, key]));
  }

  get size(): number {
    return this.#byHash.size;
  }

  find(presented: string): ApiKey | null {
    const digest = hashApiKey(presented);
    const key = this.#byHash.get(digest);
    // The map lookup already matched; the constant-time compare keeps the final check branch-free.
    if (key === undefined || !timingSafeEqual(Buffer.from(key.hash, 'hex'), Buffer.from(digest, 'hex'))) return null;
    return key;
  }
}
