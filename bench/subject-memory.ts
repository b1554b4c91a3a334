/**
 * bench/subject-memory (docs/retention.md): what one distinct subject costs nats-server in memory.
 * Publishes N small messages to N distinct subjects in one stream and N to a single subject in another,
 * and compares the server's RSS growth, live and after a restart (when the index is rebuilt from disk).
 */
import { readFileSync } from 'node:fs';
import { DiscardPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '../test/harness/servers.ts';
import { pipelined, printTable, writeResults } from './lib/report.ts';

const N = Number(process.env.BENCH_SUBJECTS ?? 300_000);
const payload = 'x'.repeat(200);

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

async function settle(pid: number): Promise<number> {
  // RSS after the server has flushed and the Go GC has had a moment: take the minimum of a few reads.
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    best = Math.min(best, rssBytes(pid));
  }
  return best;
}

async function measure(distinct: boolean): Promise<{ live: number; restarted: number }> {
  const server = await startNatsServer();
  try {
    let nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: 'MEM',
      subjects: ['mem.>'],
      storage: StorageType.File,
      discard: DiscardPolicy.New,
      num_replicas: 1,
    });
    const before = await settle(server.pid);
    const js = jetstream(nc);
    await pipelined(N, 512, (i) =>
      js.publish(distinct ? `mem.job.a.${i % 16}.${i.toString(36)}x` : 'mem.one', payload),
    );
    const live = (await settle(server.pid)) - before;
    await nc.close();
    await server.restart();
    nc = await connect({ servers: server.url });
    await (await jetstreamManager(nc)).streams.info('MEM');
    const restarted = (await settle(server.pid)) - before;
    await nc.close();
    return { live, restarted };
  } finally {
    await server.dispose();
  }
}

const distinct = await measure(true);
const single = await measure(false);
const perSubjectLive = (distinct.live - single.live) / N;
const perSubjectRestarted = (distinct.restarted - single.restarted) / N;
printTable(
  `bench/subject-memory — ${N.toLocaleString('en-US')} messages of ${payload.length} B, nats-server RSS growth`,
  [
    {
      case: `${N} distinct subjects`,
      'live MiB': distinct.live / 2 ** 20,
      'after restart MiB': distinct.restarted / 2 ** 20,
    },
    { case: `${N} on one subject`, 'live MiB': single.live / 2 ** 20, 'after restart MiB': single.restarted / 2 ** 20 },
    { case: 'per distinct subject (bytes)', 'live MiB': perSubjectLive, 'after restart MiB': perSubjectRestarted },
  ],
);
console.log(
  `one distinct subject costs ~${Math.round(perSubjectLive)} B live, ~${Math.round(perSubjectRestarted)} B after a restart`,
);
writeResults('subject-memory', {
  messages: N,
  distinct,
  single,
  per_subject_bytes: { live: perSubjectLive, restarted: perSubjectRestarted },
});
