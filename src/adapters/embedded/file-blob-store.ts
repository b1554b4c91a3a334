/**
 * The archive's blobs as files under a directory (the embedded default: `<data dir>/archive`). A
 * blob name is its relative path. A put writes a temporary file, syncs it and renames it over the old
 * one, so a reader (or a crash) sees the old object or the new one whole, never a torn write.
 * A delete removes the directories it empties (the archive deletes whole days of parts).
 */
import { mkdir, open, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { type BlobStore, checkBlobName } from '../../app/ports.ts';

export class FileBlobStore implements BlobStore {
  readonly #dir: string;
  #temp = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    checkBlobName(name);
    const path = join(this.#dir, name);
    await mkdir(dirname(path), { recursive: true });
    // Temporary names start with `.`, which no blob name does, so `list` never shows them.
    const temp = join(dirname(path), `.tmp-${process.pid}-${this.#temp++}`);
    const handle = await open(temp, 'w').catch(async (error: unknown) => {
      // A delete emptied and removed the directory since the mkdir: make it again, once.
      if (!isMissing(error)) throw error;
      await mkdir(dirname(path), { recursive: true });
      return open(temp, 'w');
    });
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(name: string): Promise<Uint8Array | null> {
    checkBlobName(name);
    try {
      return await readFile(join(this.#dir, name));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async list(prefix = ''): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.#dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => relative(this.#dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((name) => name.startsWith(prefix))
      .sort();
  }

  async delete(name: string): Promise<boolean> {
    checkBlobName(name);
    try {
      await unlink(join(this.#dir, name));
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await this.#removeEmptied(dirname(name));
    return true;
  }

  /** Removes `dir` (a blob name's folder) and its parents while they are empty. */
  async #removeEmptied(dir: string): Promise<void> {
    for (let at = dir; at !== '.' && at !== ''; at = dirname(at)) {
      try {
        await rmdir(join(this.#dir, at));
      } catch {
        return; // not empty (or already gone): its parents are not empty either
      }
    }
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR';
}
