/**
 * The bus on NATS: core publish/subscribe and request/reply for hand-offs, cancels, progress and
 * wake-ups, and a JetStream stream `<PREFIX>_SYS` that captures worker reports and bus submissions
 * durably (a result sent while Coretex is down is kept), read with ordered consumers from a position.
 */
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { DiscardPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import { NoRespondersError, Requests, RequestTimeoutError } from '../../nats/requests.ts';
import { publishToStream } from '../../nats/stream-publish.ts';
import type {
  Bus,
  BusMessage,
  BusSubscription,
  CapturedMessage,
  RequestOutcome,
  Subscription,
} from '../../app/ports.ts';
import { startPump } from '../subscription-pump.ts';
import { OrderedBatchSource, openOrdered } from './ordered-reader.ts';
import { assertReplicasSupported } from './replication.ts';

export interface NatsBusSettings {
  readonly prefix: string;
  readonly replicas: number;
  /** How long captured reports and submissions are kept. */
  readonly captureMaxAgeMs: number;
}

const decoder = new TextDecoder();
/** How long a capture waits for the stream's acknowledgement (the caller retries; the id dedupes). */
const CAPTURE_ACK_TIMEOUT_MS = 5000;

export function sysStreamName(prefix: string): string {
  return `${prefix}_SYS`.toUpperCase();
}

export class NatsBus implements Bus {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #requests: Requests;
  readonly #prefix: string;
  readonly #subscriptions = new Set<Subscription>();

  private constructor(nc: NatsConnection, js: JetStreamClient, prefix: string) {
    this.#nc = nc;
    this.#js = js;
    this.#requests = Requests.of(nc);
    this.#prefix = prefix;
  }

  static async open(nc: NatsConnection, settings: NatsBusSettings): Promise<NatsBus> {
    assertReplicasSupported(nc, settings.replicas, 'the capture stream');
    const jsm = await jetstreamManager(nc);
    await ensureSysStream(jsm, settings);
    return new NatsBus(nc, jetstream(nc), settings.prefix);
  }

  publish(subject: string, data: unknown): void {
    this.#nc.publish(subject, JSON.stringify(data));
  }

  async request(subject: string, data: unknown, timeoutMs: number): Promise<RequestOutcome> {
    try {
      const reply = await this.#requests.request(subject, JSON.stringify(data), timeoutMs);
      return { kind: 'reply', data: parse(decoder.decode(reply.data)) };
    } catch (error) {
      if (error instanceof NoRespondersError) return { kind: 'no_responders' };
      if (error instanceof RequestTimeoutError) return { kind: 'timeout' };
      throw error;
    }
  }

  subscribe(
    subject: string,
    handler: (message: BusMessage) => void,
    options: { readonly queue?: string } = {},
  ): BusSubscription {
    const sub = this.#nc.subscribe(subject, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (error, msg) => {
        if (error !== null) return;
        const raw = decoder.decode(msg.data);
        handler({
          subject: msg.subject,
          data: parse(raw),
          raw,
          respond: (data) => {
            if (msg.reply !== undefined && msg.reply !== '') msg.respond(JSON.stringify(data));
          },
        });
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  async capture(subject: string, data: unknown, id: string): Promise<number> {
    const ack = await publishToStream(this.#requests, subject, JSON.stringify(data), {
      msgId: id,
      timeoutMs: CAPTURE_ACK_TIMEOUT_MS,
    });
    return ack.seq;
  }

  readCaptured(
    filter: string,
    options: {
      readonly from: number;
      readonly maxBatch?: number;
      readonly onError?: (error: unknown, attempt: number) => void;
    },
    handler: (batch: readonly CapturedMessage[]) => Promise<void>,
  ): Subscription {
    const maxBatch = options.maxBatch ?? 256;
    const stream = sysStreamName(this.#prefix);
    const source = new OrderedBatchSource<CapturedMessage>(
      (from) => openOrdered(this.#js, stream, filter, from, maxBatch * 2),
      maxBatch * 4,
      (bytes, seq, subject) => {
        const raw = decoder.decode(bytes);
        return { position: seq, subject, data: parse(raw), raw };
      },
    );
    const subscription = startPump(
      source,
      Math.max(1, options.from),
      maxBatch,
      handler,
      options.onError ?? (() => {}),
      () => source.stop(),
    );
    this.#subscriptions.add(subscription);
    return {
      get nextPosition() {
        return subscription.nextPosition;
      },
      stop: async () => {
        this.#subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
  }
}

async function ensureSysStream(jsm: JetStreamManager, settings: NatsBusSettings): Promise<void> {
  const name = sysStreamName(settings.prefix);
  const config = {
    name,
    description: 'coretex captured worker reports and bus submissions',
    subjects: [`${settings.prefix}.sys.job.result.>`, `${settings.prefix}.sys.job.submit.>`],
    storage: StorageType.File,
    num_replicas: settings.replicas,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(settings.captureMaxAgeMs),
    duplicate_window: nanos(120_000),
    allow_direct: true,
  };
  const existing = await jsm.streams.info(name).catch(() => null);
  if (existing === null) await jsm.streams.add(config);
  else if (existing.config.max_age !== config.max_age) await jsm.streams.update(name, { max_age: config.max_age });
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
