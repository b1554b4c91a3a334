/**
 * Objects kept compressed (gzip) in any `BlobStore`. The archive's parts are JSON that repeats the
 * same envelope fields thousands of times and shrink 8.5-fold at zlib's fastest level (10.6-fold at
 * level 6, for twice the CPU; measured on 640 KB of a soak's parts); on nats-server the object
 * store's memory follows the bytes it writes, reads back (compaction) and deletes
 * (docs/retention.md), so fewer bytes are less memory as well as less disk. Compression runs on
 * libuv's thread pool, off the event loop. An object is a plain gzip stream (any client of the bucket
 * can read it); one stored uncompressed before (no gzip magic bytes: the archive's objects are JSON)
 * is returned as it is.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { BlobStore } from '../../app/ports.ts';

const compress = promisify(gzip);
const decompress = promisify(gunzip);

/** The first two bytes of every gzip stream (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

export class GzipBlobStore implements BlobStore {
  readonly #inner: BlobStore;
  readonly #level: number;

  /** `level`: zlib's 1 (fastest, ~250 MB/s) to 9. */
  constructor(inner: BlobStore, level = 1) {
    this.#inner = inner;
    this.#level = level;
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    const compressed = await compress(data, { level: this.#level });
    await this.#inner.put(name, compressed);
  }

  async get(name: string): Promise<Uint8Array | null> {
    const data = await this.#inner.get(name);
    if (data === null || !isGzip(data)) return data;
    return new Uint8Array(await decompress(data));
  }

  list(prefix?: string): Promise<string[]> {
    return this.#inner.list(prefix);
  }

  delete(name: string): Promise<boolean> {
    return this.#inner.delete(name);
  }
}

function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1];
}
