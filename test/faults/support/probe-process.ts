/**
 * The fault suite's probe projector (a process, killed and restarted with the Coretex engine): the
 * real `ProjectionRunner` with a projection that INCRs one counter per application of each job and
 * run event (not idempotent on purpose), so an event applied twice shows as a 2 and one skipped as a
 * missing key. CORETEX_CRASH_AT arms the projector's crash points here too.
 * Usage: probe-process <nats> <redis> <prefix> <owner> <leaseTtlMs> [hotWindowMs]
 */
import { ProjectionRunner } from '../../../src/app/projections/runner.ts';
import { projectorDeps } from '../../support/projector-deps.ts';
import { FAULT_PROBE } from './probe-projection.ts';

const [natsUrl, redisUrl, prefix, owner, ttl, hotWindow] = process.argv.slice(2);
if (!natsUrl || !redisUrl || !prefix || !owner) throw new Error('usage: probe-process nats redis prefix owner [ttlMs]');
const deps = await projectorDeps({ natsUrl, redisUrl, prefix, reconnect: true, hotWindowMs: Number(hotWindow ?? 0) });
new ProjectionRunner(deps, FAULT_PROBE, { owner, leaseTtlMs: Number(ttl ?? 1500), pollMs: 100, maxBatch: 64 }).start();
process.stdout.write(`probe runner started: ${owner}\n`);
