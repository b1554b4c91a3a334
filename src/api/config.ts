/**
 * How the API is configured (the composition root fills this from the environment, see the README):
 * where it listens, its keys, and its limits. With no keys, the API runs open — every caller acts as
 * an admin of `openTenant` — and only when bound to loopback; `assertSafeBinding` refuses the rest.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../app/config-error.ts';
import type { ApiKey } from './auth/api-keys.ts';

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly keys: readonly ApiKey[];
  /** The tenant an open (keyless, loopback-only) API acts for. */
  readonly openTenant: string;
  /** Requests per key (or per client address when open) per window. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly bodyLimitBytes: number;
  /** The longest a request may take before it is answered 503 (streams excepted). */
  readonly requestTimeoutMs: number;
  /** The longest a list waits for `min_position` before answering 503. */
  readonly minPositionWaitMs: number;
}

export const DEFAULT_API_CONFIG: ApiConfig = {
  host: '127.0.0.1',
  port: 8080,
  keys: [],
  openTenant: 'default',
  rateLimit: { max: 6000, windowMs: 60_000 },
  bodyLimitBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  minPositionWaitMs: 2_000,
};

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare.startsWith('::ffff:')) return bare.slice(7).startsWith('127.');
  return false;
}

/** An API without keys is open to anyone who can reach it: allowed on loopback only. */
export function assertSafeBinding(config: Pick<ApiConfig, 'host' | 'keys'>): void {
  if (config.keys.length === 0 && !isLoopback(config.host)) {
    throw new ConfigError(
      'CORETEX_API_KEYS',
      `no API keys are configured, so the API would be open to anyone reaching ${config.host}: ` +
        'set CORETEX_API_KEYS (see `coretex api-key new`) or bind HOST to 127.0.0.1',
    );
  }
}
