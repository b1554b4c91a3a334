/**
 * A projector process for fault tests: runs the probe projection's runner against real NATS + Redis
 * until killed. CORETEX_CRASH_AT (if set) makes it die at a named crash point. Prints one JSON line
 * per commit: {"checkpoint": n}.
 */
import { ProjectionRunner } from '../../../src/app/projections/runner.ts';
import { probeProjection } from '../../support/probe-projection.ts';
import { projectorDeps } from '../../support/projector-deps.ts';

const [natsUrl, redisUrl, prefix, owner, ttl] = process.argv.slice(2);
if (!natsUrl || !redisUrl || !prefix || !owner)
  throw new Error('usage: probe-projector nats redis prefix owner [ttlMs]');
const runner = new ProjectionRunner(await projectorDeps({ natsUrl, redisUrl, prefix }), probeProjection, {
  owner,
  leaseTtlMs: Number(ttl ?? 1000),
  pollMs: 100,
  maxBatch: 7,
  onCommit: (_stream, checkpoint) => process.stdout.write(`${JSON.stringify({ checkpoint })}\n`),
});
runner.start();
process.stdout.write(`${JSON.stringify({ started: owner })}\n`);
