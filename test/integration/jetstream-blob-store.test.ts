/**
 * The JetStream blob store beyond the port's contract (test/contract/blob.contract.ts): the bucket
 * stays an ordinary NATS object store both ways (what this adapter writes, @nats-io/obj reads; what the
 * library wrote before, this adapter reads, replaces and deletes), and a put that crashed between its
 * new meta record and the removal of the old object leaves nothing for good: the next put or delete
 * of the name removes it.
 */
import { createHash } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection, nuid } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JetStreamBlobStore } from '../../src/adapters/jetstream/blob-store.ts';
import { uniquePrefix } from '../harness/prefix.ts';

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: inject('natsUrl') });
});
afterAll(async () => {
  await nc.close();
});

const digestOf = (data: Uint8Array) => `SHA-256=${createHash('sha256').update(data).digest('base64url')}=`;
const bytes = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
/** The meta subject as @nats-io/obj names it: the name in padded base64url. */
const metaSubject = (bucket: string, name: string) =>
  `$O.${bucket}.M.${Buffer.from(name).toString('base64').replaceAll('+', '-').replaceAll('/', '_')}`;
const same = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));

async function openBucket() {
  const prefix = uniquePrefix();
  const blobs = await JetStreamBlobStore.open(nc, { prefix, replicas: 1 });
  const bucket = `${prefix}_archive`;
  const library = await new Objm(nc).open(bucket);
  const jsm = await jetstreamManager(nc);
  const subjects = async () => (await jsm.streams.info(`OBJ_${bucket}`)).state.num_subjects ?? 0;
  return { blobs, bucket, library, jsm, subjects, drop: () => jsm.streams.delete(`OBJ_${bucket}`) };
}

describe('JetStream blob store', () => {
  it('writes objects @nats-io/obj reads, and reads, replaces and deletes what the library wrote', async () => {
    const { blobs, library, subjects, drop } = await openBucket();
    const mine = bytes(300 * 1024 + 5, 1);
    await blobs.put('jobs/0001/2026-12-06/f1-0', mine);
    const readByLibrary = await library.getBlob('jobs/0001/2026-12-06/f1-0');
    expect(same(readByLibrary, mine)).toBe(true);
    expect((await library.info('jobs/0001/2026-12-06/f1-0'))?.digest).toMatch(/^SHA-256=.+=$/);

    const theirs = bytes(200 * 1024, 2);
    await library.putBlob({ name: 'jobs/0002/days' }, theirs);
    expect(same(await blobs.get('jobs/0002/days'), theirs)).toBe(true);
    const replacement = bytes(1000, 3);
    await blobs.put('jobs/0002/days', replacement);
    expect(same(await blobs.get('jobs/0002/days'), replacement)).toBe(true);
    expect(same(await library.getBlob('jobs/0002/days'), replacement)).toBe(true);

    expect(await blobs.delete('jobs/0002/days')).toBe(true);
    expect(await blobs.delete('jobs/0001/2026-12-06/f1-0')).toBe(true);
    expect(await subjects()).toBe(0);
    await drop();
  });

  it('finds an object whose chunks are far apart, other writes between them', async () => {
    const { blobs, bucket, subjects, drop } = await openBucket();
    const js = jetstream(nc);
    // A writer's chunks interleaved with many other messages: the near search misses the first chunk.
    const id = nuid.next();
    const data = bytes(3 * 128 * 1024, 4);
    const chunks = [0, 1, 2].map((i) => data.subarray(i * 128 * 1024, (i + 1) * 128 * 1024));
    await js.publish(`$O.${bucket}.C.${id}`, chunks[0]);
    for (let i = 0; i < 100; i++) await blobs.put(`filler/${i}`, bytes(10, i));
    await js.publish(`$O.${bucket}.C.${id}`, chunks[1]);
    await js.publish(`$O.${bucket}.C.${id}`, chunks[2]);
    const name = 'far/apart';
    const meta = { name, bucket, nuid: id, size: data.length, chunks: 3, digest: digestOf(data) };
    await js.publish(metaSubject(bucket, name), JSON.stringify(meta));
    expect(same(await blobs.get(name), data)).toBe(true);
    expect(await blobs.delete(name)).toBe(true);
    for (let i = 0; i < 100; i++) await blobs.delete(`filler/${i}`);
    expect(await subjects()).toBe(0);
    await drop();
  });

  it('removes what a crashed put left (the old object and its meta record) at the next put or delete', async () => {
    const { blobs, bucket, jsm, subjects, drop } = await openBucket();
    await blobs.put('x', bytes(200 * 1024, 5));
    const old = await jsm.direct.getMessage(`OBJ_${bucket}`, {
      last_by_subj: metaSubject(bucket, 'x'),
    });
    // The crash: a put that wrote its chunk and its meta record (naming the one it replaces), no more.
    const js = jetstream(nc);
    const id = nuid.next();
    const data = bytes(10, 6);
    await js.publish(`$O.${bucket}.C.${id}`, data);
    const meta = { name: 'x', bucket, nuid: id, size: 10, chunks: 1, digest: digestOf(data), replaces: [old?.seq] };
    await js.publish(metaSubject(bucket, 'x'), JSON.stringify(meta));
    expect(same(await blobs.get('x'), data)).toBe(true);
    const afterCrash = await subjects();
    expect(afterCrash).toBe(3); // the meta subject, the old chunks, the new chunk

    const next = bytes(20, 7);
    await blobs.put('x', next);
    expect(same(await blobs.get('x'), next)).toBe(true);
    expect(await subjects()).toBe(2); // the meta subject and the newest chunk
    expect(await blobs.delete('x')).toBe(true);
    expect(await subjects()).toBe(0);
    await drop();
  });
});
