/**
 * A BullMQ worker process for bench/e2e: a no-op processor on one queue. Reports to its parent over
 * IPC how many jobs it has completed and failed (`{completed, failed, at}`, `at` the time of the last one; at most every 20 ms, only when changed) and,
 * asked `{cmd: 'stats'}`, the add-to-completion latencies since the last ask (`{stats}`).
 * argv: <redis port> <queue> <concurrency> <prefix>
 */
import { Worker } from 'bullmq';
import { percentile } from './report.ts';

const [port, queue, concurrency, prefix] = process.argv.slice(2);
if (port === undefined || queue === undefined || concurrency === undefined || prefix === undefined) {
  console.error('usage: bullmq-worker.ts <redis port> <queue> <concurrency> <prefix>');
  process.exit(2);
}
const send = (message: unknown) => process.send?.(message);

let completed = 0;
let failed = 0;
let reported = -1;
let lastAt = 0;
let latencies: number[] = [];
const worker = new Worker(queue, () => Promise.resolve(), {
  connection: { host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: null },
  prefix,
  concurrency: Number(concurrency),
});
worker.on('completed', (job) => {
  completed++;
  lastAt = Date.now();
  latencies.push(lastAt - job.timestamp);
});
worker.on('failed', () => {
  failed++;
  lastAt = Date.now();
});
worker.on('error', (error) => console.error(`bullmq worker: ${String(error)}`));
setInterval(() => {
  if (completed + failed !== reported) {
    reported = completed + failed;
    send({ completed, failed, at: lastAt });
  }
}, 20);
process.on('message', (message: { cmd?: string }) => {
  if (message.cmd === 'stats') {
    const sorted = latencies.sort((a, b) => a - b);
    send({ stats: { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) } });
    latencies = [];
  }
});
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
await worker.waitUntilReady();
console.log('bullmq worker ready');
