/**
 * Bus security (SPEC 6) with the sample server config from the repo (deploy/nats/nats-server.conf):
 * the control plane and a worker run with their own credentials; a worker may not listen on another
 * worker's subjects, a connection without worker credentials may not listen on worker subjects, and
 * a bus submitter may submit only for its own tenant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWorker } from '../../src/worker/index.ts';
import { type DistributedHarness, startDistributedHarness } from '../support/distributed-harness.ts';
import { type RunningServer, startNatsServer } from '../harness/servers.ts';
import { waitFor } from '../harness/wait-for.ts';

const SAMPLE = join(import.meta.dirname, '../../deploy/nats/nats-server.conf');
const PASSWORDS = { coretex: 'cp-secret', 'worker-w1': 'w1-secret', 'submit-acme': 'acme-secret' };

/** The sample config with its password variables defined (the harness adds listen and jetstream). */
function sampleConfig(): string {
  const sample = readFileSync(SAMPLE, 'utf8').replace(/^jetstream \{\}$/m, '');
  return [
    `CORETEX_NATS_PASSWORD: "${PASSWORDS.coretex}"`,
    `WORKER_W1_PASSWORD: "${PASSWORDS['worker-w1']}"`,
    `SUBMIT_ACME_PASSWORD: "${PASSWORDS['submit-acme']}"`,
    sample,
  ].join('\n');
}

/** Resolves with the first permissions violation the connection reports (or null after a while). */
async function violation(nc: NatsConnection, act: () => unknown): Promise<string | null> {
  const seen = (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'error' && /permission/i.test(String(status.error))) return String(status.error);
    }
    return null;
  })();
  act();
  await nc.flush().catch(() => {});
  return Promise.race([seen, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
}

describe('bus security with the sample nats-server config', () => {
  let server: RunningServer;
  let h: DistributedHarness;
  beforeAll(async () => {
    server = await startNatsServer({ config: sampleConfig() });
    h = await startDistributedHarness({
      natsUrl: server.url,
      redisUrl: inject('redisUrl'),
      prefix: 'ctx',
      user: 'coretex',
      pass: PASSWORDS.coretex,
    });
    // The control plane creates the buckets workers use; workers have no right to create streams.
    await h.rt.registry.start();
    const { Objm } = await import('@nats-io/obj');
    await new Objm(h.nc).create('ctx_results', { description: 'coretex large results' });
  });
  afterAll(async () => {
    await h.stop();
    await server.dispose();
  });

  it('runs a job on a worker connected with its own restricted credentials', { timeout: 30_000 }, async () => {
    const worker = await createWorker(
      {
        servers: server.url,
        user: 'worker-w1',
        pass: PASSWORDS['worker-w1'],
        prefix: 'ctx',
        worker_id: 'w1',
        pool: 'default',
      },
      async (job) => ({ echo: job.payload }),
    );
    try {
      await waitFor('w1 in the registry', () => h.rt.registry.registry.workers.has('w1'));
      const job = await h.submit({ payload: { hello: 'secure' } });
      const done = await waitFor('success', async () => {
        const last = (await h.history(job.job_id)).at(-1);
        return last?.type === 'JobSucceeded' ? last : undefined;
      });
      expect(done.data).toMatchObject({ worker_id: 'w1', result: { echo: { hello: 'secure' } } });
    } finally {
      await worker.close();
    }
  });

  it("refuses a worker listening on another worker's subjects", async () => {
    const nc = await connect({ servers: server.url, user: 'worker-w1', pass: PASSWORDS['worker-w1'] });
    try {
      const error = await violation(nc, () => nc.subscribe('ctx.worker.w2.jobs'));
      expect(error).toMatch(/permissions violation.*subscription.*ctx\.worker\.w2\.jobs/i);
    } finally {
      await nc.close().catch(() => {});
    }
  });

  it('refuses a connection without worker credentials on worker subjects', async () => {
    const nc = await connect({ servers: server.url, user: 'submit-acme', pass: PASSWORDS['submit-acme'] });
    try {
      const error = await violation(nc, () => nc.subscribe('ctx.worker.w1.jobs'));
      expect(error).toMatch(/permissions violation.*ctx\.worker\.w1\.jobs/i);
    } finally {
      await nc.close().catch(() => {});
    }
    await expect(connect({ servers: server.url, user: 'worker-w1', pass: 'wrong' })).rejects.toThrow(/authoriz/i);
  });

  it('lets a bus submitter submit for its own tenant only', { timeout: 30_000 }, async () => {
    const nc = await connect({ servers: server.url, user: 'submit-acme', pass: PASSWORDS['submit-acme'] });
    try {
      const error = await violation(nc, () =>
        nc.publish('ctx.sys.job.submit.globex', JSON.stringify({ job_id: 'sneaky' })),
      );
      expect(error).toMatch(/permissions violation.*publish.*ctx\.sys\.job\.submit\.globex/i);
      const { jetstream } = await import('@nats-io/jetstream');
      await jetstream(nc).publish('ctx.sys.job.submit.acme', JSON.stringify({ job_id: 'honest', payload: 1 }), {
        msgID: 'honest-1',
      });
      await waitFor('the acme job', async () => (await h.history('honest')).length > 0);
      expect(await h.history('sneaky', 'globex')).toEqual([]);
      expect(h.submissions.stats.accepted).toBe(1);
    } finally {
      await nc.close().catch(() => {});
    }
  });
});
