/**
 * The archive's blobs in a JetStream object store bucket (`<prefix>_archive`, docs/retention.md), in
 * @nats-io/obj's layout (chunks on `$O.<bucket>.C.<nuid>`, then a meta record on `$O.<bucket>.M.<name>`),
 * so any NATS object store client can read the bucket. Every operation here finds what it touches by
 * sequence, never by a scan of the stream: on nats-server 2.9 a purge by subject, a rollup (which is a
 * purge) and a `next_by_subj` read from sequence 1 each look at every message block of the stream,
 * loading blocks and their per-subject indexes, so the library's put (a rollup, then a purge of the
 * replaced chunks), the deletes (purges) and the chunk reads cost time and server memory that grew with
 * the archive, and compaction, which does all three per part, made nats-server stall for seconds and
 * hold over a gigabyte (bench/soak with a 5-minute window; docs/retention.md).
 *
 * - put: chunks, then the meta record (no rollup); a replaced object's meta record and chunks are then
 *   deleted by sequence.
 * - get: the meta record by `last_by_subj` (the server's per-subject index), the last chunk the same
 *   way, the others by `next_by_subj` from a little before it (a writer's chunks are close together;
 *   from the start of the stream only if they were not).
 * - delete: every meta record of the name and the chunks each names, by sequence, the meta first.
 * - list: the stream's subject counts. No operation opens a consumer (nats-server keeps one for minutes
 *   after a library read and checks it on every write to the bucket).
 * A deleted object leaves no subject behind: nats-server keeps memory per subject, and the archive
 * deletes an object for every flush part it compacts.
 */
import { createHash } from 'node:crypto';
import {
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  StorageType,
  type StoredMsg,
} from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { type NatsConnection, nuid } from '@nats-io/transport-node';
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
  /** Written here: the sequences of the meta records this one replaced, until they are removed. */
  readonly replaces?: readonly number[];
}

interface StoredMeta {
  readonly meta: ObjectMeta;
  readonly seq: number;
}

/** @nats-io/obj's default chunk size. */
const CHUNK_BYTES = 128 * 1024;
/**
 * How far before an object's last chunk its first is looked for, per chunk: a writer publishes its
 * chunks in order, and other writers' chunks land between them only as far as they write at the same
 * time (the archive writes 8 parts at once).
 */
const SEARCH_BEFORE_PER_CHUNK = 16;

export class JetStreamBlobStore implements BlobStore {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #bucket: string;
  readonly #stream: string;
  readonly #chunkBytes: number;

  private constructor(js: JetStreamClient, jsm: JetStreamManager, bucket: string, chunkBytes: number) {
    this.#js = js;
    this.#jsm = jsm;
    this.#bucket = bucket;
    this.#stream = `OBJ_${bucket}`;
    this.#chunkBytes = chunkBytes;
  }

  /** Opens (creating if needed) the bucket `<prefix>_<name>`. */
  static async open(
    nc: NatsConnection,
    settings: JetStreamBlobSettings,
    name = 'archive',
  ): Promise<JetStreamBlobStore> {
    // No compare-and-set here (one archiver writes, under a lease): replicas are safe on 2.9 too.
    const bucket = `${settings.prefix}_${name}`;
    await new Objm(nc).create(bucket, { replicas: settings.replicas, storage: StorageType.File });
    const chunkBytes = Math.min(CHUNK_BYTES, nc.info?.max_payload ?? CHUNK_BYTES);
    return new JetStreamBlobStore(jetstream(nc), await jetstreamManager(nc), bucket, chunkBytes);
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    checkBlobName(name);
    const replaced = await this.#metas(name);
    const id = nuid.next();
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += this.#chunkBytes) chunks.push(data.subarray(at, at + this.#chunkBytes));
    // One connection delivers these in order: the chunks are stored in order, and before the meta record.
    await Promise.all(chunks.map((chunk) => this.#js.publish(chunkSubject(this.#bucket, id), chunk)));
    const meta = {
      name,
      bucket: this.#bucket,
      nuid: id,
      size: data.length,
      chunks: chunks.length,
      digest: `SHA-256=${createHash('sha256').update(data).digest('base64url')}${padding(32)}`,
      mtime: new Date().toISOString(),
      deleted: false,
      options: { max_chunk_size: this.#chunkBytes },
      ...(replaced.length === 0 ? {} : { replaces: replaced.map((old) => old.seq) }),
    };
    await this.#js.publish(metaSubject(this.#bucket, name), JSON.stringify(meta));
    // The new object is live: what it replaces goes (a crash here leaves it to the next put or delete).
    for (const old of replaced) await this.#remove(old);
  }

  async get(name: string): Promise<Uint8Array | null> {
    checkBlobName(name);
    for (;;) {
      const found = await this.#latestMeta(name);
      if (found === null || found.meta.deleted === true) return null;
      const chunks = await this.#chunks(found.meta);
      if (chunks === null) {
        // Replaced while we read (the put deleted the old chunks): read the new object.
        const again = await this.#latestMeta(name);
        if (again !== null && again.seq !== found.seq) continue;
        throw new Error(`archive object ${name} is damaged (chunks missing)`);
      }
      const data = Buffer.concat(chunks.map((msg) => msg.data));
      const digest = `SHA-256=${createHash('sha256').update(data).digest('base64url')}`;
      if (data.length !== found.meta.size || digest !== found.meta.digest.replace(/=+$/, '')) {
        // The same race seen after the last chunk; a truly damaged object fails again and is reported.
        const again = await this.#latestMeta(name);
        if (again !== null && again.seq !== found.seq) continue;
        throw new Error(`archive object ${name} is damaged (size or digest mismatch)`);
      }
      return data;
    }
  }

  async list(prefix = ''): Promise<string[]> {
    const metaPrefix = `$O.${this.#bucket}.M.`;
    const info = await this.#jsm.streams.info(this.#stream, { subjects_filter: `${metaPrefix}>` });
    // Deletes here remove the meta subject, so every meta subject names a live object: one request per
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
    const metas = await this.#metas(name);
    const latest = metas[0];
    if (latest === undefined) return false;
    for (const stored of metas) await this.#remove(stored);
    return latest.meta.deleted !== true;
  }

  async #latestMeta(name: string): Promise<StoredMeta | null> {
    const msg = await this.#jsm.direct.getMessage(this.#stream, { last_by_subj: metaSubject(this.#bucket, name) });
    return msg === null ? null : { meta: msg.json<ObjectMeta>(), seq: msg.seq };
  }

  /**
   * Every meta record of the name, newest first: more than one only after a put that crashed before
   * removing what it replaced, and then the newest names the older ones (`replaces`).
   */
  async #metas(name: string): Promise<StoredMeta[]> {
    const latest = await this.#latestMeta(name);
    if (latest === null) return [];
    const subject = metaSubject(this.#bucket, name);
    const older: StoredMeta[] = [];
    for (const seq of latest.meta.replaces ?? []) {
      const msg = await this.#jsm.direct.getMessage(this.#stream, { seq }).catch(() => null);
      if (msg !== null && msg.subject === subject) older.push({ meta: msg.json<ObjectMeta>(), seq: msg.seq });
    }
    return [latest, ...older];
  }

  /** The meta record first (from then on the object is gone for every reader), then its chunks. */
  async #remove(stored: StoredMeta): Promise<void> {
    const chunks = (await this.#chunks(stored.meta)) ?? [];
    await this.#deleteMessage(stored.seq);
    await Promise.all(chunks.map((chunk) => this.#deleteMessage(chunk.seq)));
  }

  /** Deletes one message by sequence; one already gone (a delete repeated after a crash) is fine. */
  async #deleteMessage(seq: number): Promise<void> {
    try {
      await this.#jsm.streams.deleteMessage(this.#stream, seq, false);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && /no message found/i.test(error.message))) throw error;
    }
  }

  /** The object's chunks in order, or null when they are not all there (deleted, replaced). */
  async #chunks(meta: ObjectMeta): Promise<StoredMsg[] | null> {
    if (meta.chunks === 0) return [];
    const subject = chunkSubject(this.#bucket, meta.nuid);
    const last = await this.#jsm.direct.getMessage(this.#stream, { last_by_subj: subject });
    if (last === null) return null;
    if (meta.chunks === 1) return [last];
    const near = Math.max(1, last.seq - meta.chunks * SEARCH_BEFORE_PER_CHUNK);
    for (const from of near > 1 ? [near, 1] : [1]) {
      const found: StoredMsg[] = [];
      for (let seq = from; found.length < meta.chunks;) {
        const msg = await this.#jsm.direct.getMessage(this.#stream, { seq, next_by_subj: subject });
        if (msg === null || msg.seq > last.seq) break;
        found.push(msg);
        seq = msg.seq + 1;
      }
      // From `near`, the first chunks may lie before it: then the object's count is not reached.
      if (found.length === meta.chunks && found.at(-1)?.seq === last.seq) return found;
    }
    return null;
  }
}

function chunkSubject(bucket: string, id: string): string {
  return `$O.${bucket}.C.${id}`;
}

/** base64 padding of an encoding of `bytes` bytes (the library's digests are padded). */
function padding(bytes: number): string {
  return '='.repeat((3 - (bytes % 3)) % 3);
}

/** The meta subject as @nats-io/obj names it: base64url of the name, with padding. */
function metaSubject(bucket: string, name: string): string {
  const unpadded = Buffer.from(name, 'utf8').toString('base64url');
  return `$O.${bucket}.M.${unpadded}${'='.repeat((4 - (unpadded.length % 4)) % 4)}`;
}
