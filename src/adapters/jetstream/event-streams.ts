/**
 * Creating the event streams, one per aggregate type, idempotently and with explicit settings
 * (ARCHITECTURE.md section 3, docs/retention.md): file storage, R1 unless the server can serialize
 * replicated expectations, DiscardNew (a full stream refuses writes rather than dropping history),
 * DenyDelete/DenyPurge (the log is an audit trail), direct gets for fast loads, a duplicate window for
 * retried publishes, and on the job stream the hot window as max age.
 */
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import { ConfigError } from '../../app/config-error.ts';
import type { AggregateType } from '../../domain/shared/stream.ts';
import { AGGREGATE_TYPES } from '../../domain/shared/stream.ts';
import type { Logger } from '../../app/ports.ts';
import { assertReplicasSupported } from './replication.ts';
import { eventStreamName } from './subjects.ts';

export interface EventStreamSettings {
  readonly prefix: string;
  readonly partitions: number;
  readonly replicas: number;
  /** Max age of job events (the hot window H); 0 keeps them forever. */
  readonly hotWindowMs: number;
  /** Per-stream size limit in bytes (-1: none). With DiscardNew, a full stream refuses appends. */
  readonly maxBytes: number;
  readonly duplicateWindowMs: number;
}

const DESCRIPTION = /^coretex (\w+) events; partitions=(\d+)$/;

/**
 * Creates the event streams, or brings an existing one's window, size limit and duplicate window to
 * this process's settings. Such a change applies to every process of the installation (one stream),
 * so it is logged: a process started with another `CORETEX_HOT_WINDOW` should not change it unseen.
 */
export async function ensureEventStreams(
  nc: NatsConnection,
  jsm: JetStreamManager,
  settings: EventStreamSettings,
  log: Logger | null = null,
): Promise<void> {
  assertReplicasSupported(nc, settings.replicas, 'an event stream');
  for (const type of AGGREGATE_TYPES) await ensureStream(jsm, type, settings, log);
}

async function ensureStream(
  jsm: JetStreamManager,
  type: AggregateType,
  settings: EventStreamSettings,
  log: Logger | null,
): Promise<void> {
  const name = eventStreamName(settings.prefix, type);
  const wanted: Partial<StreamConfig> & { name: string } = {
    name,
    description: `coretex ${type} events; partitions=${settings.partitions}`,
    subjects: [`${settings.prefix}.${type}.>`],
    storage: StorageType.File,
    num_replicas: settings.replicas,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    max_bytes: settings.maxBytes,
    max_age: type === 'job' && settings.hotWindowMs > 0 ? nanos(settings.hotWindowMs) : 0,
    duplicate_window: nanos(settings.duplicateWindowMs),
    max_msgs_per_subject: -1,
    deny_delete: true,
    deny_purge: true,
    allow_direct: true,
  };
  const existing = await jsm.streams.info(name).catch((error: unknown) => {
    if (isStreamNotFound(error)) return null;
    throw error;
  });
  if (existing === null) {
    await jsm.streams.add(wanted);
    return;
  }
  const match = DESCRIPTION.exec(existing.config.description ?? '');
  if (match === null || Number(match[2]) !== settings.partitions) {
    throw new ConfigError(
      'CORETEX_PARTITIONS',
      `stream ${name} was created with ${match?.[2] ?? 'unknown'} partitions, not ${settings.partitions}: ` +
        'the partition count is fixed when the streams are created',
    );
  }
  if (existing.config.num_replicas !== settings.replicas) {
    throw new ConfigError(
      'CORETEX_REPLICAS',
      `stream ${name} has ${existing.config.num_replicas} replicas, not ${settings.replicas}`,
    );
  }
  const drift =
    existing.config.max_age !== wanted.max_age ||
    existing.config.max_bytes !== wanted.max_bytes ||
    existing.config.duplicate_window !== wanted.duplicate_window;
  if (drift) {
    log?.warn(
      {
        stream: name,
        max_age_ns: { from: existing.config.max_age, to: wanted.max_age ?? 0 },
        max_bytes: { from: existing.config.max_bytes, to: wanted.max_bytes ?? -1 },
        duplicate_window_ns: { from: existing.config.duplicate_window, to: wanted.duplicate_window ?? 0 },
      },
      "event stream limits changed to this process's settings (for every process of the installation)",
    );
    await jsm.streams.update(name, {
      max_age: wanted.max_age ?? 0,
      max_bytes: wanted.max_bytes ?? -1,
      duplicate_window: wanted.duplicate_window ?? 0,
    });
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === 'StreamNotFoundError' || /stream not found/i.test(error.message));
}
