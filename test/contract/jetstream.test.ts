/** Every port contract against the JetStream adapters, on a real nats-server (see test/harness). */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import { NatsBus } from '../../src/adapters/jetstream/bus.ts';
import { JetStreamBlobStore } from '../../src/adapters/jetstream/blob-store.ts';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { JetStreamKvStore } from '../../src/adapters/jetstream/kv-store.ts';
import { KvCursorStore } from '../../src/app/coordination/kv-cursor-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../src/app/coordination/kv-lease-store.ts';
import { systemClock } from '../../src/app/ports.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { BLOB_COMPOSITIONS, blobContract } from './blob.contract.ts';
import { busContract } from './bus.contract.ts';
import { cursorContract } from './cursor.contract.ts';
import { eventStoreContract } from './event-store.contract.ts';
import { kvContract } from './kv.contract.ts';
import { leaseContract } from './lease.contract.ts';

const natsUrl = inject('natsUrl');
const PARTITIONS = 4;

async function dropPrefix(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for await (const info of jsm.streams.list()) {
    const name = info.config.name;
    if (
      name.startsWith(`${prefix.toUpperCase()}_`) ||
      name.startsWith(`KV_${prefix}_`) ||
      name.startsWith(`OBJ_${prefix}_`)
    )
      await jsm.streams.delete(name);
  }
}

/**
 * The connections of one fixture: `count` at first, `another()` for a reopen (a new client of the same
 * server), all closed and the prefix's streams dropped by `dispose`.
 */
async function clients(prefix: string, count: number) {
  const connections = await Promise.all(Array.from({ length: count }, () => connect({ servers: natsUrl })));
  return {
    nth: (i: number) => connections[i] as NatsConnection,
    async another(): Promise<NatsConnection> {
      const nc = await connect({ servers: natsUrl });
      connections.push(nc);
      return nc;
    },
    async dispose(): Promise<void> {
      await dropPrefix(connections[0] as NatsConnection, prefix);
      await Promise.all(connections.map((nc) => nc.close()));
    },
  };
}

function settings(prefix: string) {
  return { prefix, partitions: PARTITIONS, replicas: 1, hotWindowMs: 0, maxBytes: -1, duplicateWindowMs: 30_000 };
}

eventStoreContract(
  'jetstream',
  async () => {
    const prefix = uniquePrefix();
    const connections: NatsConnection[] = [await connect({ servers: natsUrl })];
    let store = await JetStreamEventStore.open(connections[0] as NatsConnection, settings(prefix));
    return {
      store,
      partitions: PARTITIONS,
      async reopen() {
        await store.close();
        await connections.at(-1)?.close();
        const nc = await connect({ servers: natsUrl });
        connections.push(nc);
        store = await JetStreamEventStore.open(nc, settings(prefix));
        return store;
      },
      async dispose() {
        await store.close();
        const nc = connections.at(-1) as NatsConnection;
        await dropPrefix(nc, prefix);
        await nc.close();
      },
    };
  },
  25,
);

kvContract('jetstream', async () => {
  const prefix = uniquePrefix();
  const nc = await connect({ servers: natsUrl });
  return {
    kv: new JetStreamKvStore(nc, { prefix, replicas: 1 }),
    async dispose() {
      await dropPrefix(nc, prefix);
      await nc.close();
    },
  };
});

leaseContract('jetstream kv', async () => {
  const prefix = uniquePrefix();
  const [a, b] = [await connect({ servers: natsUrl }), await connect({ servers: natsUrl })];
  const leases = async (nc: NatsConnection) =>
    new KvLeaseStore(
      await new JetStreamKvStore(nc, { prefix, replicas: 1 }).bucket<LeaseRecord>('leases'),
      systemClock,
    );
  return {
    leases: await leases(a),
    other: await leases(b),
    async dispose() {
      await dropPrefix(a, prefix);
      await Promise.all([a.close(), b.close()]);
    },
  };
});

cursorContract('jetstream kv', async () => {
  const prefix = uniquePrefix();
  const ncs = await clients(prefix, 2);
  const cursors = async (nc: NatsConnection) =>
    new KvCursorStore(await new JetStreamKvStore(nc, { prefix, replicas: 1 }).bucket<number>('cursors'));
  return {
    cursors: await cursors(ncs.nth(0)),
    other: await cursors(ncs.nth(1)),
    reopen: async () => cursors(await ncs.another()),
    dispose: () => ncs.dispose(),
  };
});

busContract('nats', async () => {
  const prefix = uniquePrefix();
  const nc = await connect({ servers: natsUrl });
  const bus = await NatsBus.open(nc, { prefix, replicas: 1, captureMaxAgeMs: 3_600_000 });
  return {
    bus,
    prefix,
    async dispose() {
      await bus.close();
      await dropPrefix(nc, prefix);
      await nc.close();
    },
  };
});

for (const [suffix, wrap] of BLOB_COMPOSITIONS) {
  blobContract(`jetstream object store${suffix}`, async () => {
    const prefix = uniquePrefix();
    const ncs = await clients(prefix, 1);
    const open = async (nc: NatsConnection) => wrap(await JetStreamBlobStore.open(nc, { prefix, replicas: 1 }));
    return {
      blobs: await open(ncs.nth(0)),
      reopen: async () => open(await ncs.another()),
      async footprint() {
        const jsm = await jetstreamManager(ncs.nth(0));
        const info = await jsm.streams.info(`OBJ_${prefix}_archive`);
        return info.state.num_subjects ?? 0;
      },
      dispose: () => ncs.dispose(),
    };
  });
}
