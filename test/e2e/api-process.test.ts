/**
 * `coretex start` as a process (the composition root): it serves the API with the configured keys,
 * runs the config projection in process (a write is visible to the effective config), refuses an open
 * API on a public address, and shuts down gracefully on SIGTERM; with every role, a workflow run
 * started through the API runs to SUCCEEDED on the example worker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/api/auth/api-keys.ts';
import { createClient } from '../../src/api/client/index.ts';
import { waitFor } from '../harness/wait-for.ts';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const started: { child: ChildProcess; dir: string }[] = [];

afterEach(() => {
  for (const { child, dir } of started.splice(0)) {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

function startCoretex(env: Record<string, string>, roles = 'api,projector') {
  const dir = mkdtempSync(join(tmpdir(), 'coretex-e2e-'));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !['NATS_URL', 'REDIS_URL'].includes(name)),
  );
  const child = spawn(process.execPath, [CLI, 'start', '--roles', roles], {
    env: { ...clean, CORETEX_DATA_DIR: dir, CORETEX_FSYNC: 'never', PORT: '0', CORETEX_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ child, dir });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('coretex start --roles api,projector', () => {
  it('serves the API with keys, projects config in process, and stops gracefully on SIGTERM', async () => {
    const keys = JSON.stringify([{ id: 'ops', hash: hashApiKey('ops-secret'), tenant: '*', role: 'admin' }]);
    const coretex = startCoretex({ CORETEX_API_KEYS: keys });
    const url = await waitFor(
      'the API to listen',
      () => /API listening on (http:\/\/\S+)/.exec(coretex.output())?.[1],
      {
        timeoutMs: 20_000,
      },
    );
    const client = createClient({ url, apiKey: 'ops-secret' });
    const put = await client.PUT('/api/v1/config/{scope}/{scope_id}', {
      params: { path: { scope: 'org', scope_id: 'acme' } },
      body: { data: { retry: { max_attempts: 4 } } },
    });
    expect(put.response.status).toBe(200);
    const effective = await client.GET('/api/v1/config/effective', {
      params: { query: { org_id: 'acme', min_position: put.data?.position ?? '' } },
    });
    expect(effective.data).toMatchObject({
      data: { retry: { max_attempts: 4 } },
      version: 'system:0|org:1|team:0|workflow:0|step:0',
    });
    expect((await createClient({ url }).GET('/api/v1/status')).response.status).toBe(401);
    coretex.child.kill('SIGTERM');
    expect(await coretex.exited).toBe(0);
    expect(coretex.output()).toContain('SIGTERM, shutting down');
  });

  it('refuses to start without keys on a non-loopback address, naming the setting', async () => {
    const coretex = startCoretex({ HOST: '0.0.0.0' });
    expect(await coretex.exited).toBe(2);
    expect(coretex.output()).toMatch(/configuration error \(CORETEX_API_KEYS\)/);
  });

  it('warns when it runs open on loopback', async () => {
    const coretex = startCoretex({});
    await waitFor('the API to listen', () => coretex.output().includes('API listening'), { timeoutMs: 20_000 });
    expect(coretex.output()).toMatch(/WARNING: no API keys configured/);
    coretex.child.kill('SIGTERM');
    expect(await coretex.exited).toBe(0);
  });
});

describe('coretex start with every role (embedded)', () => {
  it('a workflow created and started through the API runs to SUCCEEDED on the example worker', async () => {
    const keys = JSON.stringify([{ id: 'author', hash: hashApiKey('author-secret'), tenant: 'acme', role: 'admin' }]);
    const coretex = startCoretex({ CORETEX_API_KEYS: keys }, 'api,scheduler,projector,workflows,reconciler');
    const url = await waitFor(
      'the API to listen',
      () => /API listening on (http:\/\/\S+)/.exec(coretex.output())?.[1],
      {
        timeoutMs: 20_000,
      },
    );
    const client = createClient({ url, apiKey: 'author-secret' });
    const created = await client.POST('/api/v1/workflows', {
      body: { id: 'hello', steps: { greet: { input: { name: '${input.name}' }, output_path: 'greeting' } } },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const started = await client.POST('/api/v1/workflows/{id}/runs', {
      params: { path: { id: 'hello' } },
      body: { input: { name: 'world' } },
    });
    expect(started.response.status, JSON.stringify(started.error)).toBe(201);
    const runId = started.data?.run_id ?? '';
    const run = await waitFor(
      'the run to succeed',
      async () => {
        const found = await client.GET('/api/v1/workflow-runs/{run_id}', { params: { path: { run_id: runId } } });
        return found.data?.status === 'SUCCEEDED' ? found.data : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(run.output).toMatchObject({ greeting: { echo: { name: 'world' } } });
    coretex.child.kill('SIGTERM');
    expect(await coretex.exited).toBe(0);
  });
});
