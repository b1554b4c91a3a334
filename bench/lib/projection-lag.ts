/**
 * Projection lag in milliseconds, probed from outside: every `intervalMs` the probe asks JetStream for
 * the job stream's last sequence S, then lists jobs with `min_position=job:S` — the API answers once
 * the jobs read model has applied S (SPEC 1.12). The time from the stream's answer to the list's
 * answer is how long the newest stored event took to become readable. Under load the newest event
 * was stored within a fraction of a millisecond of the stream's answer; on a quiet stream the read
 * model already has it and the probe reads ~0 (plus one HTTP round trip, included: it is what a
 * client sees). Resolution: the API re-checks the read model every 20 ms while it waits.
 */
import http from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { percentile } from './report.ts';

export interface LagProbe {
  /** Lag samples (ms) since the last call, and clears them. */
  take(): number[];
  stop(): Promise<void>;
}

export async function startLagProbe(options: {
  readonly nc: NatsConnection;
  readonly stream: string;
  readonly apiUrl: string;
  readonly key: string;
  readonly intervalMs: number;
}): Promise<LagProbe> {
  const jsm = await jetstreamManager(options.nc);
  const url = new URL(options.apiUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let samples: number[] = [];
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
  const loop = (async () => {
    while (!stopped) {
      const began = performance.now();
      try {
        const info = await jsm.streams.info(options.stream);
        const stored = performance.now();
        const status = await listAt(info.state.last_seq);
        // A 503 is the bounded wait running out: the lag is at least that long, not a missing sample.
        if (status === 200 || status === 503) samples.push(performance.now() - stored);
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
      samples = [];
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
