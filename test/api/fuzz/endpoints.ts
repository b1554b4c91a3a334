/**
 * The command endpoints under fuzz (the job, approval, DLQ and parked-input ones are in
 * job-endpoints.ts, the workflow and run ones in workflow-endpoints.ts). Later endpoints join by adding an entry: its OpenAPI path template,
 * how to generate plausible path parameters, a valid request (key, parameters, body, headers) that the
 * endpoint must accept, and what to prepare before a valid request (a document to delete, ...).
 */
import fc from 'fast-check';
import type { KeyName, RunningApi } from '../support/harness.ts';
import { JOB_COMMAND_ENDPOINTS } from './job-endpoints.ts';
import { validConfigData } from './valid-config.ts';
import { WORKFLOW_COMMAND_ENDPOINTS } from './workflow-endpoints.ts';

export interface ValidRequest {
  readonly key: KeyName;
  readonly params: Readonly<Record<string, string>>;
  /** The JSON body; undefined sends none. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FuzzEndpoint {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As in the OpenAPI document: `/api/v1/config/{scope}/{scope_id}`. */
  readonly template: string;
  /** Plausible values per path parameter (the hostile generator mixes in garbage). */
  readonly params: Readonly<Record<string, fc.Arbitrary<string>>>;
  /** A body the endpoint accepts (hostile bodies are built around it). */
  readonly validBody: fc.Arbitrary<unknown>;
  readonly valid: fc.Arbitrary<ValidRequest>;
  /**
   * Run before a valid request is sent (e.g. create what it deletes); may answer the request to send
   * instead, completed with what only the preparation knows (an id, a hash).
   */
  readonly prepare?: (api: RunningApi, request: ValidRequest) => Promise<ValidRequest | void>;
  /** Statuses a valid request may get (2xx). */
  readonly accepted: readonly number[];
  /** The key that may call it: hostile requests use it half the time, so they get past auth. */
  readonly caller: KeyName;
  /** How many valid requests to generate (default: the suite's). */
  readonly validRuns?: number;
}

const scope = fc.constantFrom('system', 'org', 'team', 'workflow', 'step');
const scopeId = fc.oneof(
  fc.constantFrom('default', 'acme', 'globex', 'acme:platform', 'acme:etl', 'acme:etl:load'),
  fc.stringMatching(/^[a-z]{1,6}(:[a-z]{1,6}){0,2}$/),
);
const acmeDoc = fc.oneof(
  fc.constant({ scope: 'org', scope_id: 'acme' }),
  fc.stringMatching(/^[a-z0-9_-]{1,10}$/).map((team) => ({ scope: 'team', scope_id: `acme:${team}` })),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/).map((wf) => ({ scope: 'workflow', scope_id: `acme:${wf}` })),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/))
    .map(([wf, step]) => ({
      scope: 'step',
      scope_id: `acme:${wf}:${step}`,
    })),
);

export const COMMAND_ENDPOINTS: readonly FuzzEndpoint[] = [
  {
    method: 'PUT',
    template: '/api/v1/config/{scope}/{scope_id}',
    params: { scope, scope_id: scopeId },
    validBody: validConfigData.map((data) => ({ data })),
    valid: fc
      .tuple(
        fc.oneof(
          acmeDoc.map((params) => ({ key: 'acmeAdmin' as const, params })),
          fc.constant({ key: 'starAdmin' as const, params: { scope: 'system', scope_id: 'default' } }),
        ),
        validConfigData,
      )
      .map(([who, data]) => ({ ...who, body: { data } })),
    accepted: [200],
    caller: 'acmeAdmin',
  },
  {
    method: 'DELETE',
    template: '/api/v1/config/{scope}/{scope_id}',
    params: { scope, scope_id: scopeId },
    validBody: fc.constant(undefined),
    valid: acmeDoc.map((params) => ({ key: 'acmeAdmin' as const, params })),
    async prepare(api, request) {
      const res = await api.app.inject({
        method: 'PUT',
        url: `/api/v1/config/${request.params.scope}/${request.params.scope_id}`,
        headers: { ...api.auth('acmeAdmin'), 'content-type': 'application/json' },
        payload: JSON.stringify({ data: { x_prepared: true } }),
      });
      if (res.statusCode !== 200) throw new Error(`prepare failed: ${res.statusCode} ${res.body}`);
    },
    accepted: [204],
    caller: 'acmeAdmin',
  },
  {
    method: 'POST',
    template: '/api/v1/projections/{name}/rebuild',
    params: { name: fc.constantFrom('config', 'jobs', 'nothing', 'job_queues') },
    validBody: fc.constantFrom(undefined, {}),
    valid: fc.tuple(fc.constantFrom('config', 'jobs'), fc.constantFrom(undefined, {})).map(([name, body]) => ({
      key: 'starAdmin' as const,
      params: { name },
      ...(body === undefined ? {} : { body }),
    })),
    async prepare(api) {
      // One rebuild at a time per projection: a second while one runs is 409, not what this checks.
      await api.deps.rebuilds.settled();
    },
    accepted: [202],
    caller: 'starAdmin',
    // Each waits for the previous rebuild to finish: fewer, or the suite takes long.
    validRuns: 40,
  },
  ...JOB_COMMAND_ENDPOINTS,
  ...WORKFLOW_COMMAND_ENDPOINTS,
];

export function pathOf(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name] ?? '';
    try {
      return encodeURIComponent(value);
    } catch {
      return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '?'));
    }
  });
}
