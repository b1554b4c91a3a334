/**
 * Replication guard (SPEC 9, ARCHITECTURE.md section 3): on nats-server < 2.11, replicated streams do
 * not serialize expected-sequence checks (nats-server#4320), so two writers could both pass the same
 * optimistic-concurrency check. Event streams and compare-and-set KV buckets must then be R1.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { ConfigError } from '../../app/config-error.ts';
import { serverAtLeast } from './connection.ts';

export const MIN_SERVER_FOR_REPLICATED_CAS = '2.11.0';

export function assertReplicasSupported(nc: NatsConnection, replicas: number, what: string): void {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new ConfigError('CORETEX_REPLICAS', `replicas must be a positive integer, got ${replicas}`);
  }
  if (replicas > 1 && !serverAtLeast(nc, MIN_SERVER_FOR_REPLICATED_CAS)) {
    throw new ConfigError(
      'CORETEX_REPLICAS',
      `${what} with ${replicas} replicas needs nats-server >= ${MIN_SERVER_FOR_REPLICATED_CAS} ` +
        `(connected: ${nc.info?.version ?? 'unknown'}): older servers do not serialize expected-sequence ` +
        'checks on replicated streams (nats-server#4320), so optimistic concurrency would not hold. Use replicas=1.',
    );
  }
}
