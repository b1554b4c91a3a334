/**
 * The archive's blobs in a JetStream object store bucket (`<prefix>_archive`, docs/retention.md).
 * Writes go through @nats-io/obj (chunks, then the meta record as a rollup, old chunks purged), so the
 * bucket stays readable by any NATS object store client. Reads do not: the library's `get` and `list`
 * open a push consumer each, which nats-server keeps for minutes after the read and checks on every
 * later write to the bucket. Here an object's meta record and chunks are fetched with direct gets
 * (`last_by_subj`, `next_by_subj`), and a listing comes from the stream's subject counts: no consumer.
 *
 * A delete purges the object's meta subject and its chunks rather than leaving the library's
 * "deleted" meta record: nats-server keeps memory per subject, and the archive deletes an object for
 * every flush part it compacts, so a tombstone per deleted object would grow without bound.
 */
import { createHash } from 'node:crypto';
import { type JetStreamManager, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { type ObjectStore, Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BlobStore, checkBlobName } from '../../app/ports.ts';

export interface JetStreamBlobSettings {
  readonly prefix: string;
  readonly replicas: number;
}

/** The meta record @nats-io/obj writes (the fields read here). */
interface ObjectMeta {
  readonly name: string;
  readonly nuid: string;
  readonly size: number;
  readonly chunks: number;
  readonly digest: string;
  readonly deleted?: boolean;
}

export class JetStreamBlobStore implements BlobStore {
  readonly #os: ObjectStore;
  readonly #jsm: JetStreamManager;
  readonly #bucket: string;
  readonly #stream: string;

  private constructor(os: ObjectStore, jsm: JetStreamManager, bucket: string) {
    this.#os = os;
    this.#jsm = jsm;
    this.#bucket = bucket;
    this.#stream = `OBJ_${bucket}`;
  }

  /** Opens (creating if needed) the bucket `<prefix>_<name>`. */
  static async open(
    nc: NatsConnection,
    settings: JetStreamBlobSettings,
    name = 'archive',
  ): Promise<JetStreamBlobStore> {
    // No compare-and-set here (one archiver writes, under a lease): replicas are safe on 2.9 too.
    const bucket = `${settings.prefix}_${name}`;
    const os = await new Objm(nc).create(bucket, { replicas: settings.replicas, storage: StorageType.File });
    return new JetStreamBlobStore(os, await jetstreamManager(nc), bucket);
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    checkBlobName(name);
    await this.#os.putBlob({ name }, data);
  }

  async get(name: string): Promise<Uint8Array | null> {
    checkBlobName(name);
    const meta = await this.#meta(name);
    if (meta === null || meta.deleted === true) return null;
    const subject = `$O.${this.#bucket}.C.${meta.nuid}`;
    const parts: Uint8Array[] = [];
    let seq = 1;
    for (let i = 0; i < meta.chunks; i++) {
      const msg = await this.#jsm.direct.getMessage(this.#stream, { seq, next_by_subj: subject });
      // Replaced while we read (a put purges the old chunks): read the new object from the start.
      if (msg === null) return this.get(name);
      parts.push(msg.data);
      seq = msg.seq + 1;
    }
    const data = Buffer.concat(parts);
    const digest = `SHA-256=${createHash('sha256').update(data).digest('base64url')}`;
    if (data.length !== meta.size || digest.replace(/=+$/, '') !== meta.digest.replace(/=+$/, '')) {
      // The same race seen after the last chunk; a truly damaged object fails again and is reported.
      const again = await this.#meta(name);
      if (again !== null && again.nuid !== meta.nuid) return this.get(name);
      throw new Error(`archive object ${name} is damaged (size or digest mismatch)`);
    }
    return data;
  }

  async list(prefix = ''): Promise<string[]> {
    const metaPrefix = `$O.${this.#bucket}.M.`;
    const info = await this.#jsm.streams.info(this.#stream, { subjects_filter: `${metaPrefix}>` });
    // Deletes here purge the meta subject, so every meta subject names a live object: one request per
    // listing, not one per object. (A "deleted" record left by another object store client is listed;
    // its get answers null.)
    const names: string[] = [];
    for (const subject of Object.keys(info.state.subjects ?? {})) {
      const name = Buffer.from(subject.slice(metaPrefix.length), 'base64url').toString('utf8');
      if (name.startsWith(prefix)) names.push(name);
    }
    return names.sort();
  }

  async delete(name: string): Promise<boolean> {
    checkBlobName(name);
    const meta = await this.#meta(name);
    if (meta === null) return false;
    // The meta subject first: from then on the object is gone for every reader; chunks left by a
    // crash in between are orphans (no meta names them), not a damaged object.
    await this.#jsm.streams.purge(this.#stream, { filter: metaSubject(this.#bucket, name) });
    await this.#jsm.streams.purge(this.#stream, { filter: `$O.${this.#bucket}.C.${meta.nuid}` });
    return meta.deleted !== true;
  }

  async #meta(name: string): Promise<ObjectMeta | null> {
    const msg = await this.#jsm.direct.getMessage(this.#stream, { last_by_subj: metaSubject(this.#bucket, name) });
    return msg === null ? null : msg.json<ObjectMeta>();
  }
}

/** The meta subject as @nats-io/obj names it: base64url of the name, with padding. */
function metaSubject(bucket: string, name: string): string {
  const unpadded = Buffer.from(name, 'utf8').toString('base64url');
  return `$O.${bucket}.M.${unpadded}${'='.repeat((4 - (unpadded.length % 4)) % 4)}`;
}
