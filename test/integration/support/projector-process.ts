/**
 * A projector process for fault tests: runs the named projections (e.g. `jobs,dlq`) on real NATS +
 * Redis until killed. With REDELIVER=1 every batch is handed to the runner twice, and now and then an
 * older batch again (at-least-once delivery at its worst). CORETEX_CRASH_AT kills it at a named point.
 */
import type { EventStore, SubscribeOptions, Subscription } from '../../../src/app/ports.ts';
import { ProjectionRunner } from '../../../src/app/projections/runner.ts';
import type { StoredEvent } from '../../../src/domain/shared/events.ts';
import type { AggregateType } from '../../../src/domain/shared/stream.ts';
import { installationProjections } from '../../../src/runtime-roles.ts';
import { projectorDeps } from '../../support/projector-deps.ts';

const [natsUrl, redisUrl, prefix, owner, names] = process.argv.slice(2);
if (!natsUrl || !redisUrl || !prefix || !owner || !names)
  throw new Error('usage: projector-process nats redis prefix owner names');

function redelivering(inner: EventStore): EventStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'subscribe') return Reflect.get(target, property, receiver) as unknown;
      return (
        type: AggregateType,
        options: SubscribeOptions,
        handler: (b: readonly StoredEvent[]) => Promise<void>,
      ): Subscription => {
        let previous: readonly StoredEvent[] = [];
        return target.subscribe(type, options, async (batch) => {
          await handler(batch);
          await handler(batch);
          if (previous.length > 0 && batch.length % 3 === 0) await handler(previous);
          previous = batch;
        });
      };
    },
  });
}

const base = await projectorDeps({ natsUrl, redisUrl, prefix });
const deps = { ...base, events: process.env.REDELIVER === '1' ? redelivering(base.events) : base.events };
const wanted = new Set(names.split(','));
for (const projection of installationProjections({ partitions: 4 }).filter((p) => wanted.has(p.name))) {
  new ProjectionRunner(deps, projection, {
    owner,
    leaseTtlMs: 800,
    pollMs: 100,
    maxBatch: 17,
    onCommit: (stream, checkpoint) =>
      process.stdout.write(`${JSON.stringify({ projection: projection.name, stream, checkpoint })}\n`),
  }).start();
}
process.stdout.write(`${JSON.stringify({ started: owner })}\n`);
