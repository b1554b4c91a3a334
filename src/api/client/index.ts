/**
 * The typed Coretex API client: openapi-fetch over the types generated from the OpenAPI document
 * (`npm run gen:client` writes schema.d.ts). Every path, parameter, body and answer is typed; errors
 * come back as problem details in `error`.
 *
 *   const coretex = createClient({ url: 'http://127.0.0.1:8080', apiKey });
 *   const { data, error } = await coretex.GET('/api/v1/config/effective', { params: { query: { org_id: 'acme' } } });
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type { paths };
export type CoretexClient = Client<paths>;

export interface ClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>`; omit for an open (loopback, keyless) API. */
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Another fetch (tests route it through the app without a socket). */
  readonly fetch?: typeof globalThis.fetch;
}

export function createClient(options: ClientOptions): CoretexClient {
  return createFetchClient<paths>({
    baseUrl: options.url.replace(/\/+$/, ''),
    headers: {
      ...options.headers,
      ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
    },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
