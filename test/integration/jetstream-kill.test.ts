/**
 * What an acknowledged append survives (docs/deploy.md): nats-server SIGKILLed while several writers
 * append through the real event store, then restarted on its store — every append it acknowledged is
 * still there, at the position the acknowledgement gave, and no later append took that position.
 * (nats-server 2.9 writes each message to its block file before it acknowledges it; the OS keeps what
 * a killed process wrote. An OS crash is another matter: deploy.md.)
 */
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamId } from '../../src/domain/shared/stream.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { openTestEventStore } from '../support/jetstream-events.ts';
import { type RunningServer, startNatsServer } from '../harness/servers.ts';
import { waitFor } from '../harness/wait-for.ts';

const WRITERS = 4;
const KILLS = 2;

describe('nats-server SIGKILLed under appends', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('keeps every acknowledged append', { timeout: 60_000 }, async () => {
    const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const prefix = uniquePrefix();
    const events = await openTestEventStore(nc, prefix);
    /** Acknowledged appends: the run's id by the position its acknowledgement gave. */
    const acked = new Map<number, string>();
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const id = `run-${w}-${i}`;
        try {
          const result = await events.append(
            streamId('run', 'acme', id),
            { type: 'E', data: { id }, actor: 't', time: new Date().toISOString() },
            { expectedPosition: 0, firstPosition: 0 },
          );
          acked.set(result.position, id);
        } catch {
          // Unacknowledged (the server is down): may or may not be stored, so not counted.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const before = acked.size;
        await waitFor('appends acknowledged before the kill', () => acked.size >= before + 100, { timeoutMs: 20_000 });
        const record = await server.restart('SIGKILL');
        expect(record?.signal).toBe('SIGKILL');
      }
      await waitFor('appends acknowledged after the last restart', () => acked.size > 0, { timeoutMs: 20_000 });
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    const stored = new Map<number, string>();
    for (let from = 1; ;) {
      const page = await events.readAll('run', { from, limit: 1000 });
      if (page.length === 0) break;
      for (const e of page) stored.set(e.position, (e.data as { id: string }).id);
      from = (page.at(-1)?.position ?? from) + 1;
    }
    const missing = [...acked].filter(([position, id]) => stored.get(position) !== id);
    expect(acked.size).toBeGreaterThan(KILLS * 100);
    expect(missing.slice(0, 10)).toEqual([]);
    await events.close();
    await nc.close();
  });
});
