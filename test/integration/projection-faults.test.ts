/**
 * The projection runner under faults (issue 4), with real NATS + Redis and runner processes: killed at
 * the named crash points, paused past its lease while another takes over, and competing for the lease.
 * The probe projection counts applications per event; every counter must end at exactly 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import type { EventStore } from '../../src/app/ports.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { openTestEventStore } from '../support/jetstream-events.ts';
import { waitFor } from '../harness/wait-for.ts';

const natsUrl = inject('natsUrl');
const redisUrl = inject('redisUrl');
const script = join(import.meta.dirname, 'support/probe-projector.ts');

interface Runner {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  checkpoints: number[];
}

function spawnRunner(prefix: string, owner: string, crashAt?: string, ttlMs = 1000): Runner {
  const child = spawn(process.execPath, [script, natsUrl, redisUrl, prefix, owner, String(ttlMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CORETEX_CRASH_AT: crashAt ?? '' },
  });
  const runner: Runner = {
    child,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal === null ? code : -1))),
    checkpoints: [],
  };
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const message = JSON.parse(line) as { checkpoint?: number };
      if (message.checkpoint !== undefined) runner.checkpoints.push(message.checkpoint);
    }
  });
  child.stderr?.on('data', () => {});
  return runner;
}

async function stopRunner(runner: Runner): Promise<void> {
  if (runner.child.exitCode === null && runner.child.signalCode === null) runner.child.kill('SIGKILL');
  await runner.exited;
}

describe('projection runner faults', () => {
  let nc: NatsConnection;
  let redis: Redis;
  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    await nc.close();
    redis.disconnect();
  });

  async function fixture() {
    const prefix = uniquePrefix('pf');
    const events = await openTestEventStore(nc, prefix);
    const store = new RedisReadModelStore(redis, prefix);
    let appended = 0;
    const append = async (count: number) => {
      await Promise.all(
        Array.from({ length: count }, () =>
          events.append(
            streamId('op', 'acme', `op-${appended++}`),
            { type: 'Probe', data: {}, actor: 'test', time: new Date().toISOString() },
            { expectedPosition: 0, firstPosition: 0 },
          ),
        ),
      );
    };
    const state = async () => {
      const active = await store.activeVersion('probe');
      if (active === null) return null;
      const ns = { projection: 'probe', version: active.version };
      return { ns, checkpoint: await store.checkpoint(ns, 'op') };
    };
    const assertEachAppliedOnce = async () => {
      const head = await events.headPosition('op');
      const current = await state();
      expect(current?.checkpoint).toBe(head);
      const ns = current?.ns ?? { projection: 'probe', version: 0 };
      const pipeline = redis.pipeline();
      for (let p = 1; p <= head; p++) pipeline.get(`{${prefix}:probe:v${ns.version}}:n:${p}`);
      const counts = ((await pipeline.exec()) ?? []).map(([, value]) => value);
      expect(counts.filter((c) => c !== '1')).toEqual([]);
      expect(await store.get(ns, 'total')).toBe(String(head));
    };
    return { prefix, events: events as EventStore, store, append, state, assertEachAppliedOnce };
  }

  for (const point of ['projector.before_commit', 'projector.after_commit_before_next_fetch']) {
    it(`a runner killed at ${point} loses nothing and applies nothing twice`, { timeout: 90_000 }, async () => {
      const f = await fixture();
      await f.append(150);
      for (let round = 0; round < 4; round++) {
        const nth = 1 + Math.floor(Math.random() * 6);
        const crashing = spawnRunner(f.prefix, `crashing-${round}`, `${point}@${nth}`, 500);
        expect(await crashing.exited).toBe(-1);
        await f.append(20);
      }
      const survivor = spawnRunner(f.prefix, 'survivor', undefined, 500);
      try {
        const head = await f.events.headPosition('op');
        await waitFor('the survivor to reach the head', async () => (await f.state())?.checkpoint === head, {
          timeoutMs: 30_000,
        });
        await f.assertEachAppliedOnce();
      } finally {
        await stopRunner(survivor);
      }
    });
  }

  it(
    'a runner paused past its lease cannot apply its batch once another has taken over',
    { timeout: 90_000 },
    async () => {
      const f = await fixture();
      await f.append(100);
      const first = spawnRunner(f.prefix, 'first', undefined, 800);
      let second: Runner | null = null;
      try {
        await waitFor('the first runner to commit', () => first.checkpoints.length > 2, { timeoutMs: 20_000 });
        first.child.kill('SIGSTOP');
        await f.append(60);
        second = spawnRunner(f.prefix, 'second', undefined, 800);
        await waitFor('the second runner to take over and commit', () => second!.checkpoints.length > 0, {
          timeoutMs: 20_000,
        });
        first.child.kill('SIGCONT');
        await f.append(60);
        const head = await f.events.headPosition('op');
        await waitFor('the read model to reach the head', async () => (await f.state())?.checkpoint === head, {
          timeoutMs: 30_000,
        });
        // Whoever holds the lease now, the paused runner's stale batch never landed twice.
        await f.assertEachAppliedOnce();
      } finally {
        await stopRunner(first);
        if (second !== null) await stopRunner(second);
      }
    },
  );

  it('two runners started together: one applies, every event once', { timeout: 60_000 }, async () => {
    const f = await fixture();
    await f.append(120);
    const runners = [spawnRunner(f.prefix, 'a'), spawnRunner(f.prefix, 'b')];
    try {
      const head = await f.events.headPosition('op');
      await waitFor('the head', async () => (await f.state())?.checkpoint === head, { timeoutMs: 30_000 });
      await f.assertEachAppliedOnce();
      expect(runners.filter((r) => r.checkpoints.length > 0)).toHaveLength(1);
    } finally {
      await Promise.all(runners.map(stopRunner));
    }
  });

  it(
    'a wiped Redis is rebuilt from the streams even when no event comes after the wipe',
    { timeout: 60_000 },
    async () => {
      const f = await fixture();
      await f.append(50);
      const runner = spawnRunner(f.prefix, 'quiet');
      try {
        await waitFor('the first build', async () => (await f.state())?.checkpoint === 50, { timeoutMs: 20_000 });
        const keys = [...(await redis.keys(`{${f.prefix}:*`)), ...(await redis.keys(`${f.prefix}:*`))];
        await redis.del(...keys);
        // The stream stays quiet: no commit can fail to tell the runner its read model is gone.
        await waitFor('the rebuild to reach the head', async () => (await f.state())?.checkpoint === 50, {
          timeoutMs: 20_000,
        });
        await f.assertEachAppliedOnce();
      } finally {
        await stopRunner(runner);
      }
    },
  );

  it('a wiped Redis is rebuilt from the streams', { timeout: 60_000 }, async () => {
    const f = await fixture();
    await f.append(80);
    const runner = spawnRunner(f.prefix, 'only');
    try {
      await waitFor('the first build', async () => (await f.state())?.checkpoint === 80, { timeoutMs: 20_000 });
      const keys = [...(await redis.keys(`{${f.prefix}:*`)), ...(await redis.keys(`${f.prefix}:*`))];
      await redis.del(...keys);
      await f.append(40);
      await waitFor('the rebuild to reach the head', async () => (await f.state())?.checkpoint === 120, {
        timeoutMs: 20_000,
      });
      await f.assertEachAppliedOnce();
    } finally {
      await stopRunner(runner);
    }
  });
});
