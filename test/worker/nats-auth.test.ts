/** createWorker connects by itself with `servers` and NATS credentials (SPEC 6: one user per worker). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorker, type Worker } from '../../src/worker/index.ts';
import { startNatsServer, type RunningServer } from '../harness/servers.ts';
import { type ControlPlane, natsControlPlane } from './support.ts';

let server: RunningServer;
let cp: ControlPlane;
const workers: Worker[] = [];

beforeAll(async () => {
  server = await startNatsServer({
    config: 'authorization { users = [ { user: "coretex", password: "cp" }, { user: "w1", password: "secret" } ] }',
  });
  cp = await natsControlPlane(server.url, { user: 'coretex', pass: 'cp' });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await cp?.dispose();
  await server?.dispose();
});

it('starts with its user and password, and is refused with wrong ones', async () => {
  const base = { servers: server.url, prefix: cp.prefix, worker_id: 'w1', user: 'w1', onError: () => {} };
  await expect(createWorker({ ...base, pass: 'wrong' }, () => 'x')).rejects.toThrow(/Authorization/i);
  const worker = await createWorker({ ...base, pass: 'secret' }, () => 'x');
  workers.push(worker);
  expect((await cp.registryEntry('w1'))?.value.instance).toBe(worker.instance);
});
