/**
 * The config source over the config read model: while the read model is behind the config stream (a
 * Redis wipe being rebuilt, a first build filling) it answers UnavailableError rather than an empty
 * config that callers would cache as the truth; and a rebuild's switch to a new version (same
 * checkpoint) is announced as a change.
 */
import { describe, expect, it } from 'vitest';
import { MemoryReadModelStore } from '../../../src/adapters/embedded/read-model-store.ts';
import { ReadModelConfigSource } from '../../../src/app/config/read-model-config-source.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { ReadModels } from '../../../src/app/projections/read-models.ts';
import { UnavailableError } from '../../../src/domain/shared/errors.ts';
import { waitFor } from '../../harness/wait-for.ts';

const KEY = { org_id: 'acme', team_id: null, workflow_id: null, step_id: null };

async function fixture(head: number) {
  const store = new MemoryReadModelStore();
  const version = { version: await store.allocateVersion('config'), schema: 1 };
  await store.switchVersion('config', null, version);
  const events = { headPosition: async () => head };
  const source = new ReadModelConfigSource(new ReadModels(store, systemClock, { cacheMs: 0 }), 10, events);
  return { store, version, source };
}

describe('ReadModelConfigSource', () => {
  it('is unavailable while the read model is behind the config stream, and answers once caught up', async () => {
    const { store, version, source } = await fixture(3);
    try {
      const ns = { projection: 'config', version: version.version };
      await expect(source.levels(KEY)).rejects.toBeInstanceOf(UnavailableError);
      await store.commit(ns, 'config', { expect: 0, checkpoint: 2, writes: [] });
      await expect(source.levels(KEY)).rejects.toMatchObject({ code: 'config_unavailable' });
      await store.commit(ns, 'config', { expect: 2, checkpoint: 3, writes: [] });
      await expect(source.levels(KEY)).resolves.toEqual({ system: null, org: null });
    } finally {
      source.close();
    }
  });

  it('is unavailable while no version of the read model exists (Redis wiped)', async () => {
    const store = new MemoryReadModelStore();
    const source = new ReadModelConfigSource(new ReadModels(store, systemClock, { cacheMs: 0 }), 10, {
      headPosition: async () => 1,
    });
    try {
      await expect(source.levels(KEY)).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      source.close();
    }
  });

  it('announces a switch to a rebuilt version at the same checkpoint as a change', async () => {
    const { store, version, source } = await fixture(2);
    try {
      await store.commit({ projection: 'config', version: version.version }, 'config', {
        expect: 0,
        checkpoint: 2,
        writes: [],
      });
      let changes = 0;
      source.onChange(() => changes++);
      await waitFor('the first look', () => changes >= 1);
      const seen = changes;
      const rebuilt = { version: await store.allocateVersion('config'), schema: 1 };
      await store.commit({ projection: 'config', version: rebuilt.version }, 'config', {
        expect: 0,
        checkpoint: 2,
        writes: [],
      });
      await store.switchVersion('config', version, rebuilt);
      await waitFor('the switch to be announced', () => changes > seen);
    } finally {
      source.close();
    }
  });
});
