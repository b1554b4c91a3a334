/**
 * Helpers for the workflow endpoint tests: defining a workflow and starting a run through the API
 * (expecting success), reading a run, and waiting until a run (as the event store knows it) matches.
 */
import { expect } from 'vitest';
import { waitFor } from '../../harness/wait-for.ts';
import type { KeyName, RunningApi } from './harness.ts';
import { call, get, post } from './jobs.ts';

export interface RunBody {
  run_id: string;
  tenant: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  input: unknown;
  output: unknown;
  error: { code: string; message: string; step_id: string | null } | null;
  trace_id: string;
  started_by: string;
  rerun_of: { run_id: string; from_step: string | null } | null;
  steps: Record<
    string,
    {
      type: string;
      status: string;
      wait: { reason: string; until: string; request: unknown } | null;
      job_ids: string[];
      attempts: number;
      output: unknown;
      error: { code: string; message: string } | null;
      reused: boolean;
    }
  >;
  position: string;
}

export interface StartedRun {
  run_id: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  trace_id: string;
  position: string;
}

/** Creates the workflow (`id` in the body) as the acme admin and expects 201; the answer. */
export async function defineWorkflow(
  api: RunningApi,
  body: Record<string, unknown>,
  key: KeyName = 'acmeAdmin',
): Promise<{ workflow_id: string; version: number; changed: boolean; position: string }> {
  const res = await post(api, '/api/v1/workflows', body, key);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Starts a run as the acme operator and expects 201; the answer. */
export async function startRunOf(
  api: RunningApi,
  workflowId: string,
  body: Record<string, unknown> = {},
  key: KeyName = 'acmeOperator',
): Promise<StartedRun> {
  const res = await post(api, `/api/v1/workflows/${workflowId}/runs`, body, key);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function runOf(api: RunningApi, runId: string, key: KeyName = 'acmeViewer'): Promise<RunBody> {
  const res = await get(api, `/api/v1/workflow-runs/${runId}`, key);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<RunBody>();
}

/** Waits until `GET /workflow-runs/{id}` satisfies `done`; that run. */
export function runWhen(
  api: RunningApi,
  runId: string,
  what: string,
  done: (run: RunBody) => boolean,
  timeoutMs = 15_000,
): Promise<RunBody> {
  return waitFor(
    `run ${runId}: ${what}`,
    async () => {
      const run = await runOf(api, runId);
      return done(run) ? run : undefined;
    },
    { timeoutMs },
  );
}

export const put = (api: RunningApi, url: string, body: unknown, headers: Record<string, string> = {}) =>
  call(api, { method: 'PUT', url, key: 'acmeAdmin', body, headers });

export const del = (api: RunningApi, url: string, key: KeyName = 'acmeAdmin', headers: Record<string, string> = {}) =>
  call(api, { method: 'DELETE', url, key, headers });
