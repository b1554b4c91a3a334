/** Every port contract against the embedded adapters (file-backed, as `npm start` runs them). */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '../../src/adapters/embedded/bus.ts';
import { FileBlobStore } from '../../src/adapters/embedded/file-blob-store.ts';
import { EmbeddedEventStore } from '../../src/adapters/embedded/event-store.ts';
import { EmbeddedKvStore } from '../../src/adapters/embedded/kv-store.ts';
import { MemoryReadModelStore } from '../../src/adapters/embedded/read-model-store.ts';
import { KvCursorStore } from '../../src/app/coordination/kv-cursor-store.ts';
import { KvLeaseStore, type LeaseRecord } from '../../src/app/coordination/kv-lease-store.ts';
import { systemClock } from '../../src/app/ports.ts';
import { BLOB_COMPOSITIONS, blobContract } from './blob.contract.ts';
import { busContract } from './bus.contract.ts';
import { cursorContract } from './cursor.contract.ts';
import { eventStoreContract } from './event-store.contract.ts';
import { kvContract } from './kv.contract.ts';
import { leaseContract } from './lease.contract.ts';
import { readModelContract } from './read-model.contract.ts';

const PARTITIONS = 4;
const tempDir = () => mkdtempSync(join(tmpdir(), 'coretex-embedded-'));

eventStoreContract(
  'embedded',
  async () => {
    const dataDir = tempDir();
    const open = () => EmbeddedEventStore.open({ dataDir, partitions: PARTITIONS, fsync: 'always' });
    let store = await open();
    return {
      store,
      partitions: PARTITIONS,
      async reopen() {
        await store.close();
        store = await open();
        return store;
      },
      async dispose() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  100,
);

kvContract('embedded', async () => {
  const dataDir = tempDir();
  const kv = new EmbeddedKvStore({ dataDir });
  return {
    kv,
    async dispose() {
      await kv.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

leaseContract('embedded kv', async () => {
  // One process, one store: both "clients" share it, as the roles of an embedded process do.
  const kv = new EmbeddedKvStore({ dataDir: null });
  const bucket = await kv.bucket<LeaseRecord>('leases');
  return {
    leases: new KvLeaseStore(bucket, systemClock),
    other: new KvLeaseStore(bucket, systemClock),
    async dispose() {
      await kv.close();
    },
  };
});

cursorContract('embedded kv', async () => {
  const dataDir = tempDir();
  let kv = new EmbeddedKvStore({ dataDir });
  const bucket = await kv.bucket<number>('cursors');
  return {
    cursors: new KvCursorStore(bucket),
    other: new KvCursorStore(bucket),
    async reopen() {
      await kv.close();
      kv = new EmbeddedKvStore({ dataDir });
      return new KvCursorStore(await kv.bucket<number>('cursors'));
    },
    async dispose() {
      await kv.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

readModelContract('embedded (memory)', async () => ({
  store: new MemoryReadModelStore(),
  async dispose() {},
}));

busContract('in-process', async () => {
  const bus = new InProcessBus();
  return {
    bus,
    prefix: 'ctx',
    async dispose() {
      await bus.close();
    },
  };
});

for (const [suffix, wrap] of BLOB_COMPOSITIONS) {
  blobContract(`embedded files${suffix}`, async () => {
    const dataDir = tempDir();
    return {
      blobs: wrap(new FileBlobStore(join(dataDir, 'archive'))),
      reopen: () => Promise.resolve(wrap(new FileBlobStore(join(dataDir, 'archive')))),
      footprint: () => Promise.resolve(readdirSync(join(dataDir, 'archive'), { recursive: true }).length),
      async dispose() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
}
