/**
 * One Coretex installation for a test file: a private prefix on the test servers, a `coretex start`
 * process with every role, the system config the tests need (routing of each test's topic to its own
 * pool, short timeouts), and helpers to wait for jobs over HTTP.
 */
import { inject } from 'vitest';
import { uniquePrefix } from '../../harness/prefix.ts';
import { waitFor } from '../../harness/wait-for.ts';
import { Api } from './api.ts';
import { type CoretexProcess, type Installation, KEYS, startCoretex } from './processes.ts';

export interface E2E {
  readonly installation: Installation;
  readonly coretex: CoretexProcess;
  readonly api: Api;
  readonly admin: Api;
}

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED'];

export async function startInstallation(
  system: Record<string, unknown>,
  env: Record<string, string> = {},
): Promise<E2E> {
  const installation = { natsUrl: inject('natsUrl'), redisUrl: inject('redisUrl'), prefix: uniquePrefix('e') };
  const coretex = await startCoretex(installation, { env });
  const admin = new Api(coretex.url, KEYS.admin);
  const put = await admin.put('/api/v1/config/system/default', { data: system });
  if (put.status !== 200) throw new Error(`config put: ${put.status} ${JSON.stringify(put.body)}`);
  return { installation, coretex, api: new Api(coretex.url, KEYS.acme), admin };
}

export interface JobView {
  readonly job_id: string;
  readonly state: string;
  readonly attempt: number;
  readonly worker_id: string | null;
  readonly result?: unknown;
  readonly error?: { code: string; message: string } | null;
  readonly [field: string]: unknown;
}

/** Waits (long-polling the API) until the job is terminal. */
export async function finished(api: Api, jobId: string, timeoutMs = 30_000): Promise<JobView> {
  return waitFor(
    `job ${jobId} to finish`,
    async () => {
      const answer = await api.get<JobView>(`/api/v1/jobs/${jobId}?wait=5s`);
      return answer.status === 200 && TERMINAL.includes(answer.body.state) ? answer.body : undefined;
    },
    { timeoutMs, intervalMs: 20 },
  );
}

export async function eventTypes(api: Api, jobId: string): Promise<string[]> {
  const answer = await api.get<{ items?: { type: string }[]; events?: { type: string }[] }>(
    `/api/v1/jobs/${jobId}/events`,
  );
  return (answer.body.items ?? answer.body.events ?? []).map((e) => e.type);
}
