/**
 * Reports survive an outage of the server that captures them (SPEC 1.8, 7): a result produced while
 * nats-server is down is retried until the restarted server acknowledges it, and lands exactly once.
 * Uses a private server (the shared one cannot be restarted under other test files).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { protocolSubjects } from '../../src/domain/protocol/messages.ts';
import { createWorker, NatsWorkerTransport, type Worker } from '../../src/worker/index.ts';
import { startNatsServer, type RunningServer } from '../harness/servers.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type ControlPlane, Gate, dispatchMessage, natsControlPlane, reportsFor, waitForResult } from './support.ts';

let server: RunningServer;
let cp: ControlPlane;
let worker: Worker;

beforeAll(async () => {
  server = await startNatsServer();
  cp = await natsControlPlane(server.url);
});

afterAll(async () => {
  await worker?.close();
  await cp?.dispose();
  await server?.dispose();
});

it('retries a result published while the capture server restarts, and it arrives once', async () => {
  const errors: string[] = [];
  const gate = new Gate();
  worker = await createWorker(
    {
      transport: await NatsWorkerTransport.connect({
        servers: server.url,
        prefix: cp.prefix,
        publishAckTimeoutMs: 300,
      }),
      prefix: cp.prefix,
      worker_id: 'outage',
      max_parallel: 2,
      reportRetryInitialMs: 50,
      reportRetryMaxMs: 200,
      onError: (_error, context) => errors.push(context),
    },
    (job) => (job.payload === 'held' ? gate.wait().then(() => 'made it through the outage') : 'after'),
  );
  const direct = protocolSubjects(cp.prefix).directJobs('outage');
  const job = dispatchMessage(cp.prefix, { payload: 'held' });
  expect(await cp.bus.request(direct, job, 5000)).toMatchObject({ data: { accepted: true } });

  await server.stop();
  gate.open();
  await waitFor(
    'a report to fail and be retried',
    () => errors.filter((e) => e.includes('not acknowledged')).length >= 2,
  );
  expect(reportsFor(cp, job)).toHaveLength(0);
  await server.restart();

  expect(await waitForResult(cp, job, 20_000)).toMatchObject({
    status: 'SUCCEEDED',
    result: 'made it through the outage',
    token: job.token,
  });
  // A later report has landed too, so a duplicate of the first would have been captured by now.
  const later = dispatchMessage(cp.prefix, { payload: 'later' });
  await waitFor('the worker to take work again', async () => {
    const reply = await cp.bus.request(direct, later, 1000);
    return reply.kind === 'reply';
  });
  await waitForResult(cp, later, 20_000);
  expect(reportsFor(cp, job, 'result')).toHaveLength(1);
}, 60_000);
