/**
 * An append-only file of JSON records, one per line, for the embedded default.
 *
 * Durability: records are written in groups (every append waiting when a write starts joins it), and
 * with `fsync: 'always'` each group is fdatasync'ed before any of its appends resolves, so an
 * acknowledged record survives a crash or power loss; many appends in flight share one sync.
 * `fsync: 'never'` leaves flushing to the OS (faster, for tests and throwaway data).
 *
 * Recovery: a crash can leave the last line half written. On open, a final line with no newline is
 * dropped and the file truncated to the last complete record; a damaged line anywhere else is an
 * error, never skipped silently.
 */
import { type FileHandle, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type FsyncPolicy = 'always' | 'never';

export interface OpenedFile<T> {
  readonly file: JsonLinesFile;
  readonly records: T[];
  /** Bytes of a torn last line that were dropped on open (0 when the file was clean). */
  readonly droppedBytes: number;
}

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class JsonLinesFile {
  readonly #handle: FileHandle;
  readonly #fsync: FsyncPolicy;
  #pending: Pending[] = [];
  #writing: Promise<void> | null = null;
  #failed: Error | null = null;

  private constructor(handle: FileHandle, fsync: FsyncPolicy) {
    this.#handle = handle;
    this.#fsync = fsync;
  }

  static async open<T>(path: string, fsync: FsyncPolicy): Promise<OpenedFile<T>> {
    await mkdir(dirname(path), { recursive: true });
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const end = text.lastIndexOf('\n') + 1;
    const droppedBytes = Buffer.byteLength(text.slice(end));
    const records: T[] = [];
    const lines = text.slice(0, end).split('\n');
    lines.pop();
    lines.forEach((line, index) => {
      try {
        records.push(JSON.parse(line) as T);
      } catch (cause) {
        throw new Error(`${path}: line ${index + 1} is damaged; refusing to guess what it held`, { cause });
      }
    });
    const handle = await open(path, 'a+');
    if (droppedBytes > 0) {
      await handle.truncate(Buffer.byteLength(text.slice(0, end)));
      await handle.datasync();
    }
    return { file: new JsonLinesFile(handle, fsync), records, droppedBytes };
  }

  /** Resolves once the record is written (and synced, with `fsync: 'always'`). */
  append(record: unknown): Promise<void> {
    if (this.#failed !== null) return Promise.reject(this.#failed);
    const line = `${JSON.stringify(record)}\n`;
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  /** Rewrites the whole file with `records` (used to compact logs on open). */
  async rewrite(records: readonly unknown[]): Promise<void> {
    await this.#writing;
    await this.#handle.truncate(0);
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    if (text.length > 0) await this.#handle.write(text, null, 'utf8');
    await this.#handle.datasync();
  }

  async close(): Promise<void> {
    await this.#writing;
    await this.#handle.close();
  }

  async #drain(): Promise<void> {
    // Let every append issued in this turn of the event loop join the group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const group = this.#pending;
      this.#pending = [];
      try {
        await this.#handle.write(group.map((p) => p.line).join(''), null, 'utf8');
        if (this.#fsync === 'always') await this.#handle.datasync();
        for (const p of group) p.resolve();
      } catch (cause) {
        const error = cause instanceof Error ? cause : new Error(String(cause));
        this.#failed = error;
        for (const p of [...group, ...this.#pending]) p.reject(error);
        this.#pending = [];
      }
    }
    this.#writing = null;
  }
}
