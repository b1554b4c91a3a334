/**
 * A child process for crash tests: appends to an embedded event store as fast as it can, many appends
 * in flight, and prints each acknowledged (stream, position) as one JSON line. The test kills it with
 * SIGKILL at a random moment and checks that every acknowledged append survived.
 */
import { EmbeddedEventStore } from '../../../src/adapters/embedded/event-store.ts';
import { streamId } from '../../../src/domain/shared/stream.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: embedded-appender <dataDir>');
const store = await EmbeddedEventStore.open({ dataDir, partitions: 4, fsync: 'always' });
const last = new Map<string, number>();
const firsts = new Map<string, number>();
let n = 0;

async function writer(lane: number): Promise<never> {
  for (;;) {
    const id = `lane-${lane}-${n++ % 7}`;
    const s = streamId('job', 'acme', id);
    const expected = last.get(id) ?? 0;
    const result = await store.append(
      s,
      { type: 'E', data: { lane, n }, actor: 'crash-test', time: new Date().toISOString() },
      { expectedPosition: expected, firstPosition: firsts.get(id) ?? 0 },
    );
    last.set(id, result.position);
    if (!firsts.has(id)) firsts.set(id, result.position);
    process.stdout.write(`${JSON.stringify({ id, position: result.position })}\n`);
  }
}

await Promise.all(Array.from({ length: 32 }, (_, lane) => writer(lane)));
