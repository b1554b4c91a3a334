/**
 * The embedded default's durability promises (docs/embedded.md): an acknowledged append survives a
 * SIGKILL, a torn last line is dropped on open, and a damaged line anywhere else is refused.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEventStore } from '../../src/adapters/embedded/event-store.ts';
import { JsonLinesFile } from '../../src/adapters/embedded/json-lines-file.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { waitFor } from '../harness/wait-for.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'coretex-durability-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('embedded event store durability', () => {
  it('keeps every acknowledged append when the process is killed mid-stream', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const dataDir = tempDir();
      const child = spawn(process.execPath, [join(import.meta.dirname, 'support/embedded-appender.ts'), dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const acked: { id: string; position: number }[] = [];
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) acked.push(JSON.parse(line) as { id: string; position: number });
      });
      const target = 200 + Math.floor(Math.random() * 2000);
      await waitFor(`${target} acknowledged appends`, () => acked.length >= target, { timeoutMs: 30_000 });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const store = await EmbeddedEventStore.open({ dataDir, partitions: 4, fsync: 'always' });
      try {
        const all = await store.readAll('job', { from: 1, limit: 1_000_000 });
        expect(all.map((e) => e.position)).toEqual(all.map((_, i) => i + 1));
        const byPosition = new Map(all.map((e) => [e.position, e]));
        for (const ack of acked) {
          expect(byPosition.get(ack.position)?.stream_id).toBe(`job:acme:${ack.id}`);
        }
        // Every aggregate's history still has consecutive, checkable expectations.
        const ids = new Set(acked.map((a) => a.id));
        for (const id of ids) {
          const history = await store.read(streamId('job', 'acme', id));
          expect(history.events.length).toBeGreaterThan(0);
          expect(history.events[0]?.position).toBe(history.firstPosition);
        }
      } finally {
        await store.close();
      }
    }
  });

  it('drops a torn last line on open and goes on appending', async () => {
    const dataDir = tempDir();
    const store = await EmbeddedEventStore.open({ dataDir, partitions: 4 });
    const s = streamId('job', 'acme', 'torn');
    const first = await store.append(
      s,
      { type: 'A', data: {}, actor: 't', time: new Date().toISOString() },
      { expectedPosition: 0, firstPosition: 0 },
    );
    await store.close();
    const file = join(dataDir, 'events', 'job.jsonl');
    const intact = readFileSync(file, 'utf8');
    appendFileSync(file, '{"id":"half-writ');

    const reopened = await EmbeddedEventStore.open({ dataDir, partitions: 4 });
    try {
      expect(readFileSync(file, 'utf8')).toBe(intact);
      const next = await reopened.append(
        s,
        { type: 'B', data: {}, actor: 't', time: new Date().toISOString() },
        { expectedPosition: first.position, firstPosition: first.position },
      );
      expect(next.position).toBe(first.position + 1);
      expect((await reopened.read(s)).events.map((e) => e.type)).toEqual(['A', 'B']);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a damaged line that is not the last', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":\n{"c":3}\n');
    await expect(JsonLinesFile.open(path, 'always')).rejects.toThrow(/line 2 is damaged/);
  });

  it('reports how many bytes of a torn line it dropped', async () => {
    const path = join(tempDir(), 'log.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":2');
    const opened = await JsonLinesFile.open<unknown>(path, 'never');
    expect(opened.records).toEqual([{ a: 1 }]);
    expect(opened.droppedBytes).toBe(6);
    await opened.file.close();
  });
});
