/** The event store on a test's nats-server: 4 partitions, R1, no hot window or size limit. */
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';

export function openTestEventStore(nc: NatsConnection, prefix: string): Promise<JetStreamEventStore> {
  return JetStreamEventStore.open(nc, {
    prefix,
    partitions: 4,
    replicas: 1,
    hotWindowMs: 0,
    maxBytes: -1,
    duplicateWindowMs: 30_000,
  });
}
