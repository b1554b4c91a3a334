/**
 * Projection lag in milliseconds, probed from outside: every `intervalMs` the probe asks JetStream for
 * the job stream's last sequence S, then, at once and side by side:
 *   - reads the `jobs` read model's checkpoint in Redis (every 1 ms) until it reaches S: the
 *     projection lag proper, how long the newest stored event took to be applied;
 *   - lists jobs with `min_position=job:S` — the API answers once the jobs read model has applied S
 *     (SPEC 1.12): what a client sees, the lag plus an HTTP round trip through the (loaded) API.
 * Under load the newest event was stored within a fraction of a millisecond of the stream's answer;
 * on a quiet stream the read model already has it and the probe reads ~0.
 */
import http from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { RedisReadModelStore } from '../../src/adapters/redis/read-model-store.ts';
import { percentile } from './report.ts';

export interface LagSamples {
  /** Stream → read model checkpoint (Redis). */
  readonly readModel: number[];
  /** Stream → a `min_position` list answered by the API. */
  readonly http: number[];
}

export interface LagProbe {
  /** Lag samples (ms) since the last call, and clears them. */
  take(): LagSamples;
  stop(): Promise<void>;
}

/** Reads the applied position of the `jobs` read model's job stream, through the read-model store itself. */
export function jobsCheckpointReader(redis: Redis, prefix: string): () => Promise<number> {
  const store = new RedisReadModelStore(redis, prefix);
  return async () => {
    const active = await store.activeVersion('jobs');
    return active === null ? 0 : store.checkpoint({ projection: 'jobs', version: active.version }, 'job');
  };
}

const GIVE_UP_MS = 10_000;

export async function startLagProbe(options: {
  readonly nc: NatsConnection;
  readonly stream: string;
  readonly apiUrl: string;
  readonly key: string;
  readonly intervalMs: number;
  readonly checkpoint: () => Promise<number>;
}): Promise<LagProbe> {
  const jsm = await jetstreamManager(options.nc);
  const url = new URL(options.apiUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let samples: LagSamples = { readModel: [], http: [] };
  let stopped = false;
  const listAt = (sequence: number) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: `/api/v1/jobs?limit=1&min_position=job:${sequence}`,
          agent,
          headers: { authorization: `Bearer ${options.key}` },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end();
    });
  const applied = async (sequence: number, since: number): Promise<number | null> => {
    for (;;) {
      if ((await options.checkpoint()) >= sequence) return performance.now() - since;
      if (performance.now() - since > GIVE_UP_MS) return null;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const began = performance.now();
      try {
        const info = await jsm.streams.info(options.stream);
        const stored = performance.now();
        const sequence = info.state.last_seq;
        const [model, http] = await Promise.all([
          applied(sequence, stored),
          listAt(sequence).then((status) => ({ status, ms: performance.now() - stored })),
        ]);
        if (model !== null) samples.readModel.push(model);
        // A 503 is the bounded wait running out: the lag is at least that long, not a missing sample.
        if (http.status === 200 || http.status === 503) samples.http.push(http.ms);
      } catch {
        // The stream or API is not there yet (start-up) or going away (shutdown): no sample.
      }
      const rest = options.intervalMs - (performance.now() - began);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  })();
  return {
    take() {
      const taken = samples;
      samples = { readModel: [], http: [] };
      return taken;
    },
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
    },
  };
}

export function lagSummary(samples: readonly number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    n: sorted.length,
  };
}
