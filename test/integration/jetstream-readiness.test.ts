/**
 * Start-up against a NATS server whose JetStream does not answer yet: the process waits (and says so)
 * until it does, within a bound, instead of dying of the first timed-out request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForJetStream } from '../../src/adapters/jetstream/connection.ts';
import type { Logger } from '../../src/app/ports.ts';
import {
  ensureServerBinaries,
  freePort,
  type Spawned,
  spawnUntilReady,
  startNatsServer,
  stopChild,
} from '../harness/servers.ts';
import { waitFor } from '../harness/wait-for.ts';

function recordingLogger(lines: string[]): Logger {
  const record = (_: object, message?: string) => {
    lines.push(message ?? '');
  };
  return { debug: record, info: record, warn: record, error: record };
}

describe('waiting for JetStream at start-up', () => {
  const servers: Spawned[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await stopChild(server, 'SIGTERM');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const plainServer = (port: number) =>
    spawnUntilReady(ensureServerBinaries().nats, ['-a', '127.0.0.1', '-p', String(port)], /Server is ready/, 'nats');
  const jetStreamServer = (port: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'coretex-js-ready-'));
    dirs.push(dir);
    return spawnUntilReady(
      ensureServerBinaries().nats,
      ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
      /Server is ready/,
      'nats -js',
    );
  };

  it('gives up after its bound with an error saying JetStream did not answer', { timeout: 30_000 }, async () => {
    const port = await freePort();
    servers.push(await plainServer(port));
    const nc = await connect({ servers: `127.0.0.1:${port}` });
    const lines: string[] = [];
    try {
      await expect(waitForJetStream(nc, recordingLogger(lines), 1_500)).rejects.toThrow(
        /JetStream did not answer within 1500 ms/,
      );
      expect(lines).toContain('JetStream not ready; waiting');
    } finally {
      await nc.close();
    }
  });

  it(
    'returns once JetStream answers, here after the server comes back with it enabled',
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      const plain = await plainServer(port);
      servers.push(plain);
      const nc = await connect({ servers: `127.0.0.1:${port}`, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      const lines: string[] = [];
      try {
        const ready = waitForJetStream(nc, recordingLogger(lines), 45_000);
        let settled = false;
        void ready.then(
          () => (settled = true),
          () => (settled = true),
        );
        await waitFor('a first "not ready" warning', () => lines.includes('JetStream not ready; waiting'));
        expect(settled).toBe(false);
        await stopChild(servers.pop() ?? null, 'SIGTERM');
        servers.push(await jetStreamServer(port));
        await ready;
      } finally {
        await nc.close();
      }
    },
  );

  it(
    'fails at once, saying why, when JetStream is not enabled for the account or its API is not permitted',
    { timeout: 30_000 },
    async () => {
      const server = await startNatsServer({
        config: [
          'accounts {',
          '  WITH_JS: { jetstream: enabled, users: [',
          '    { user: allowed, password: allowed },',
          '    { user: denied, password: denied, permissions: { publish: { deny: ["$JS.API.>"] } } }',
          '  ] }',
          '  NO_JS: { users: [ { user: nojs, password: nojs } ] }',
          '}',
        ].join('\n'),
      });
      const refused = async (user: string) => {
        const nc = await connect({ servers: server.url, user, pass: user });
        const lines: string[] = [];
        try {
          // Well inside the 30 s bound: a wait that retried would not end before the test times out.
          return await waitForJetStream(nc, recordingLogger(lines), 30_000).then(
            () => 'answered',
            (error: unknown) => `${String(error)}; warned ${lines.length} times`,
          );
        } finally {
          await nc.close();
        }
      };
      try {
        expect(await refused('allowed')).toBe('answered');
        expect(await refused('nojs')).toMatch(/JetStream is not enabled for this account.*; warned 0 times/);
        expect(await refused('denied')).toMatch(/no permission for the JetStream API.*; warned 0 times/);
      } finally {
        await server.dispose();
      }
    },
  );
});
