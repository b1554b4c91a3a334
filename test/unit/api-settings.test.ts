/** The API's settings from the environment (README configuration table): defaults and named errors. */
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/api/auth/api-keys.ts';
import { ConfigError } from '../../src/app/config-error.ts';
import { loadSettings } from '../../src/settings.ts';

describe('API settings', () => {
  it('defaults: loopback:8080, no keys (open), 6000 requests a minute, 1 MiB bodies, 30 s, 2 s', () => {
    expect(loadSettings({}).api).toEqual({
      host: '127.0.0.1',
      port: 8080,
      keys: [],
      openTenant: 'default',
      rateLimit: { max: 6000, windowMs: 60_000 },
      bodyLimitBytes: 1_048_576,
      requestTimeoutMs: 30_000,
      minPositionWaitMs: 2_000,
    });
  });

  it('reads every variable', () => {
    const hash = hashApiKey('k');
    const api = loadSettings({
      HOST: '0.0.0.0',
      PORT: '9000',
      CORETEX_API_KEYS: JSON.stringify([{ id: 'ci', hash, tenant: 'acme', role: 'operator' }]),
      CORETEX_API_OPEN_TENANT: 'lab',
      CORETEX_API_RATE_LIMIT: '100/10s',
      CORETEX_API_BODY_LIMIT: '2048',
      CORETEX_API_TIMEOUT: '5s',
      CORETEX_API_READ_WAIT: '500ms',
    }).api;
    expect(api).toEqual({
      host: '0.0.0.0',
      port: 9000,
      keys: [{ id: 'ci', hash, tenant: 'acme', role: 'operator' }],
      openTenant: 'lab',
      rateLimit: { max: 100, windowMs: 10_000 },
      bodyLimitBytes: 2048,
      requestTimeoutMs: 5_000,
      minPositionWaitMs: 500,
    });
  });

  it('names the bad variable', () => {
    const cases: Record<string, string> = {
      PORT: '99999',
      CORETEX_API_RATE_LIMIT: 'lots',
      CORETEX_API_BODY_LIMIT: '10',
      CORETEX_API_TIMEOUT: 'soon',
      CORETEX_API_KEYS: '[{"id":"x"}]',
      CORETEX_API_OPEN_TENANT: 'a.b',
    };
    for (const [name, value] of Object.entries(cases)) {
      try {
        loadSettings({ [name]: value });
        expect.fail(`${name}=${value} was accepted`);
      } catch (error) {
        expect(error, name).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).setting).toBe(name);
      }
    }
  });
});
