/**
 * Retention end to end (docs/retention.md): `coretex start` on real NATS + Redis with a hot window of
 * a few seconds and immediate archiving. Finished jobs are archived, leave the read models, age out of
 * the job stream, and are still answered by id and `/events` from the archive, the same as before. A
 * job that waits longer than the window stays loadable through its snapshots. A crash between the
 * archive write and `JobArchived` loses no history and archives each job once. `/metrics` counts the
 * jobs archived and says how far behind the archiver is.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamBlobStore } from '../../src/adapters/jetstream/blob-store.ts';
import { GzipBlobStore } from '../../src/adapters/node/gzip-blob-store.ts';
import { JetStreamEventStore } from '../../src/adapters/jetstream/event-store.ts';
import { Segment } from '../../src/app/jobs/archive-segment.ts';
import { JobArchive } from '../../src/app/jobs/job-archive.ts';
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { waitFor } from '../harness/wait-for.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { Api } from './support/api.ts';
import { finished, type JobView } from './support/installation.ts';
import {
  type CoretexProcess,
  type Installation,
  KEYS,
  killAll,
  startCoretex,
  startWorker,
} from './support/processes.ts';
import { inject } from 'vitest';

const HOT_WINDOW_S = 8;
const RETENTION_ENV = {
  CORETEX_HOT_WINDOW: `${HOT_WINDOW_S}s`,
  CORETEX_IDEMPOTENCY_TTL: '4s',
  CORETEX_DUPLICATE_WINDOW: '2s',
  CORETEX_ARCHIVE_AFTER: '0',
  CORETEX_ARCHIVE_SHARDS: '4',
};
const SYSTEM = {
  routing: { topics: { 'job.keep': 'keep' }, pools: { keep: { requires: [] } } },
  timeouts: { dispatch_ms: 10_000, running_ms: 20_000 },
};

interface EventsPage {
  readonly items: { type: string; position: string; id: string; [field: string]: unknown }[];
  readonly next_cursor: string | null;
}

let installation: Installation;
let nc: NatsConnection;
let events: JetStreamEventStore;

beforeAll(async () => {
  installation = { natsUrl: inject('natsUrl'), redisUrl: inject('redisUrl'), prefix: uniquePrefix('r') };
  nc = await connect({ servers: installation.natsUrl });
}, 30_000);
afterEach(async () => {
  await killAll();
  await events?.close();
});
afterAll(async () => {
  await nc.close();
});

async function start(prefix: string, env: Record<string, string> = {}): Promise<{ coretex: CoretexProcess; api: Api }> {
  const coretex = await startCoretex({ ...installation, prefix }, { env: { ...RETENTION_ENV, ...env } });
  const admin = new Api(coretex.url, KEYS.admin);
  const put = await admin.put('/api/v1/config/system/default', { data: SYSTEM });
  if (put.status !== 200) throw new Error(`config put: ${put.status} ${JSON.stringify(put.body)}`);
  return { coretex, api: new Api(coretex.url, KEYS.acme) };
}

/** The installation's event store, opened with its settings (opening it reconciles the streams' config). */
function openEvents(prefix: string, hotWindowS = HOT_WINDOW_S): Promise<JetStreamEventStore> {
  return JetStreamEventStore.open(nc, {
    prefix,
    partitions: 4,
    replicas: 1,
    hotWindowMs: hotWindowS * 1000,
    maxBytes: -1,
    duplicateWindowMs: 2_000,
  });
}

async function submit(api: Api, body: Record<string, unknown>): Promise<string> {
  const answer = await api.post<{ job_id: string }>('/api/v1/jobs', { topic: 'job.keep', ...body });
  if (answer.status !== 202) throw new Error(`submit: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.job_id;
}

/** What the hot stream still holds of a job, from its first position on. */
async function hot(jobId: string): Promise<StoredEvent[]> {
  return [...(await events.read(streamId('job', 'acme', jobId), { from: 1 })).events];
}

async function allEvents(api: Api, jobId: string): Promise<EventsPage['items']> {
  const items: EventsPage['items'] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: EventsPage } = await api.get<EventsPage>(
      `/api/v1/jobs/${jobId}/events?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return items;
}

/** The job view without what may change when it is read from the archive instead of the stream. */
function comparable(view: JobView): Record<string, unknown> {
  const { position: _p, ...rest } = view as JobView & { position?: unknown };
  return rest;
}

describe('retention end to end (hot window, archive, snapshots)', () => {
  it('archives finished jobs; once they age out of the stream, reads by id and /events answer the same from the archive', async () => {
    const prefix = uniquePrefix('r');
    const { coretex, api } = await start(prefix);
    events = await openEvents(prefix);
    await startWorker({ ...installation, prefix }, { id: 'keep-1', pool: 'keep' });
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => submit(api, { payload: { n: i } })));
    const before = new Map<string, { view: Record<string, unknown>; events: EventsPage['items'] }>();
    for (const id of ids) {
      const view = await finished(api, id);
      expect(view.state).toBe('SUCCEEDED');
      // Archived: the last event is JobArchived; the history before it is what the archive holds.
      const history = await waitFor(
        `job ${id} archived`,
        async () => {
          const items = await allEvents(api, id);
          return items.at(-1)?.type === 'JobArchived' ? items : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      before.set(id, { view: comparable((await api.get<JobView>(`/api/v1/jobs/${id}`)).body), events: history });
    }
    // The read models dropped them on JobArchived: the list no longer shows them.
    await waitFor(
      'the list to drop archived jobs',
      async () => {
        const list = await api.get<{ items: { job_id: string }[] }>('/api/v1/jobs?topic=job.keep&limit=100');
        return list.body.items.every((item) => !ids.includes(item.job_id));
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );

    // The archiver says what it did and that it has passed everything (operators alert on too_late and
    // on how far behind it is). It runs on the projector's thread of this every-role process, whose
    // reports reach the process's /metrics: the archiver's progress, its JobArchived appends (every job
    // event of this prefix is this process's), the thread's heap.
    expect(coretex.output()).toContain('(the projector on its own thread)');
    await waitFor(
      'the archiver metrics',
      async () => {
        const text = await (
          await fetch(`${coretex.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } })
        ).text();
        const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
        return (
          value('coretex_archiver_jobs_total\\{outcome="archived"\\}') >= ids.length &&
          value('coretex_archiver_jobs_total\\{outcome="too_late"\\}') === 0 &&
          value('coretex_archiver_behind_seconds\\{stream="job"\\}') === 0 &&
          value('coretex_events_appended_total\\{stream="job"\\}') === (await events.headPosition('job')) &&
          value('coretex_projector_thread_heap_bytes\\{kind="used"\\}') > 0
        );
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );

    // The hot window drops them from the stream...
    await waitFor(
      'the stream to drop the jobs',
      async () => (await Promise.all(ids.map(hot))).every((h) => h.length === 0),
      {
        timeoutMs: (HOT_WINDOW_S + 15) * 1000,
        intervalMs: 250,
      },
    );
    // ...and every read by id still answers, from the archive, as before (JobArchived itself aged out).
    for (const id of ids) {
      const view = await api.get<JobView>(`/api/v1/jobs/${id}`);
      expect(view.status).toBe(200);
      expect(comparable(view.body)).toEqual(before.get(id)?.view);
      const items = await allEvents(api, id);
      expect(items).toEqual(before.get(id)?.events.filter((e) => e.type !== 'JobArchived'));
      expect(items[0]?.type).toBe('JobSubmitted');
      expect(items.at(-1)?.type).toBe('JobSucceeded');
    }
    expect((await api.get('/api/v1/jobs/no-such-job')).status).toBe(404);
    expect((await api.get('/api/v1/jobs/no-such-job/events')).status).toBe(404);
  }, 90_000);

  it('archives what is left of a job whose first events aged out before the archiver came: counted, said once, dropped from the read models', async () => {
    const prefix = uniquePrefix('r');
    const windowS = 20;
    const env = { ...RETENTION_ENV, CORETEX_HOT_WINDOW: `${windowS}s`, CORETEX_IDEMPOTENCY_TTL: '10s' };
    // The first process archives a finished job only 10 s after it finished, and is stopped before:
    // nothing archives the job while its first events age out. Its last one, 9 s younger, is still in
    // the stream for the second process to find. (A job shorter than half the window gets no snapshot,
    // so once its first events are gone it cannot be loaded.)
    const first = await startCoretex({ ...installation, prefix }, { env: { ...env, CORETEX_ARCHIVE_AFTER: '10s' } });
    const admin = new Api(first.url, KEYS.admin);
    expect((await admin.put('/api/v1/config/system/default', { data: SYSTEM })).status).toBe(200);
    const api = new Api(first.url, KEYS.acme);
    events = await openEvents(prefix, windowS);
    await startWorker({ ...installation, prefix }, { id: 'slow-1', pool: 'keep', sleepMs: 9_000 });
    const slow = await submit(api, { payload: { slow: true } });
    expect((await finished(api, slow)).state).toBe('SUCCEEDED');
    await first.stop();
    await waitFor(
      'its first events to age out while its last is still in the stream',
      async () => {
        const left = await hot(slow);
        return left.length > 0 && left.every((event) => event.type === 'JobSucceeded');
      },
      { timeoutMs: (windowS + 20) * 1000, intervalMs: 200 },
    );
    const archiving = await startCoretex({ ...installation, prefix }, { env });
    const metric = async (series: string) => {
      const text = await (
        await fetch(`${archiving.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } })
      ).text();
      return Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    };
    await waitFor(
      'the archiver to count the job too late',
      async () => (await metric('coretex_archiver_jobs_total{outcome="too_late"}')) === 1,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const said = archiving
      .output()
      .split('\n')
      .filter((line) => line.includes('first events had already aged out'))
      .map((line) => JSON.parse(line) as { jobs: number; examples: { tenant: string; job_id: string }[] });
    expect(said).toEqual([expect.objectContaining({ jobs: 1, examples: [{ tenant: 'acme', job_id: slow }] })]);
    // What was left is in the archive; the read models keep the job (it cannot take JobArchived).
    const archived = await new JobArchive(
      new GzipBlobStore(await JetStreamBlobStore.open(nc, { prefix, replicas: 1 })),
      {
        shards: 4,
      },
    ).find('acme', slow);
    expect(archived?.events.map((e) => e.type)).toEqual(['JobSucceeded']);
    // It takes JobArchived all the same, decided on its last event, so the read models drop it.
    expect((await hot(slow)).map((e) => e.type)).toContain('JobArchived');
    await waitFor(
      'the list to drop the job',
      async () => {
        const list = await new Api(archiving.url, KEYS.acme).get<{ items: { job_id: string }[] }>(
          '/api/v1/jobs?topic=job.keep&limit=100',
        );
        return list.status === 200 && list.body.items.every((item) => item.job_id !== slow);
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  }, 120_000);

  it('keeps a job that waits longer than the hot window loadable through its snapshots', async () => {
    const prefix = uniquePrefix('r');
    const { api } = await start(prefix);
    events = await openEvents(prefix);
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const id = await submit(api, { payload: { long: 'lived' }, run_at: runAt });
    const first = await api.get<JobView>(`/api/v1/jobs/${id}`);
    expect(first.body.state).toBe('PENDING');
    // Its submission ages out of the stream; a snapshot (taken every half window) is where it loads from.
    await waitFor(
      'the submission to age out',
      async () => {
        const h = await hot(id);
        return h.length > 0 && h.every((e) => e.type === 'JobSnapshot');
      },
      { timeoutMs: (HOT_WINDOW_S * 2 + 10) * 1000, intervalMs: 250 },
    );
    const later = await api.get<JobView>(`/api/v1/jobs/${id}`);
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ state: 'PENDING', run_at: first.body.run_at, topic: 'job.keep' });
    expect(later.body.payload ?? later.body.request).toEqual(first.body.payload ?? first.body.request);
    // Commands load it too: a cancel works on the snapshot.
    const cancelled = await api.post(`/api/v1/jobs/${id}/cancel`, { reason: 'test' });
    expect(cancelled.status).toBeLessThan(300);
    expect((await finished(api, id)).state).toBe('CANCELLED');
  }, 90_000);

  it('a crash between the archive write and JobArchived loses no history and archives each job once', async () => {
    const prefix = uniquePrefix('r');
    // A longer window here: the restart and the lease takeover must fit in it (an archiver down for
    // longer than the window minus CORETEX_ARCHIVE_AFTER would find histories already gone).
    const crashing = await start(prefix, {
      CORETEX_HOT_WINDOW: '40s',
      CORETEX_ARCHIVE_AFTER: '4s',
      CORETEX_CRASH_AT: 'archiver.after_write_before_event',
    });
    events = await openEvents(prefix, 40);
    await startWorker({ ...installation, prefix }, { id: 'keep-2', pool: 'keep' });
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(crashing.api, { payload: { n: i } })));
    // They finish well before the archiver, 4 s behind, writes its first batch and dies before any JobArchived.
    for (const id of ids) expect((await finished(crashing.api, id)).state).toBe('SUCCEEDED');
    expect(await crashing.coretex.exited).toBeNull();
    expect(crashing.coretex.output()).toContain('crash point archiver.after_write_before_event');
    // The archive as Coretex writes it: gzip-compressed objects in the JetStream object store.
    const blobs = new GzipBlobStore(await JetStreamBlobStore.open(nc, { prefix, replicas: 1 }));
    const archive = new JobArchive(blobs, { shards: 4 });
    const written = (await Promise.all(ids.map((id) => archive.find('acme', id)))).filter((h) => h !== null);
    expect(written.length).toBeGreaterThan(0);
    for (const id of ids) expect((await hot(id)).some((e) => e.type === 'JobArchived')).toBe(false);

    const { api } = await start(prefix, { CORETEX_HOT_WINDOW: '40s' });
    for (const id of ids) expect((await finished(api, id)).state).toBe('SUCCEEDED');
    for (const id of ids) {
      await waitFor(
        `job ${id} archived after the restart`,
        async () => (await hot(id)).some((e) => e.type === 'JobArchived'),
        // The dead archiver's lease (6 s), then a flush of what it gathers again: on a loaded
        // machine that took longer than 20 s once.
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    }
    const streams = new Map<string, readonly StoredEvent[]>();
    for (const id of ids) {
      const stream = await hot(id);
      expect(stream.filter((e) => e.type === 'JobArchived')).toHaveLength(1);
      const archived = (await archive.find('acme', id))?.events ?? [];
      // The whole history; the stream may already have dropped its first events (what it still has
      // is the archived history's tail).
      const left = stream.filter((e) => e.type !== 'JobArchived');
      expect(archived[0]?.type).toBe('JobSubmitted');
      expect(archived.at(-1)?.type).toBe('JobSucceeded');
      expect(archived.slice(archived.length - left.length)).toEqual(left);
      streams.set(id, archived);
    }
    // Each history is in the archive once: the rewrite after the crash replaced, not added.
    const parts = (await blobs.list('jobs/')).filter((name) => !name.endsWith('/days'));
    const held = (await Promise.all(parts.map(async (name) => Segment.decode(await blobs.get(name)).size))).reduce(
      (a, b) => a + b,
      0,
    );
    expect(held).toBe(ids.length);
    await waitFor(
      'the stream to drop the jobs',
      async () => (await Promise.all(ids.map(hot))).every((h) => h.length === 0),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    for (const id of ids) {
      expect((await api.get<JobView>(`/api/v1/jobs/${id}`)).body.state).toBe('SUCCEEDED');
      expect((await allEvents(api, id)).map((e) => [e.type, e.position])).toEqual(
        streams.get(id)?.map((e) => [e.type, `job:${e.position}`]),
      );
    }
  }, 180_000);
});
