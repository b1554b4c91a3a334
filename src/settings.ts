/**
 * Deployment settings from the environment (the README's configuration table). Part of the
 * composition root: parsed once at start, every bad value named by its variable.
 */
import { parseApiKeys } from './api/auth/api-keys.ts';
import { type ApiConfig, DEFAULT_API_CONFIG } from './api/config.ts';
import { ConfigError } from './app/config-error.ts';
import { DEFAULT_PARTITIONS } from './domain/shared/stream.ts';

export type FsyncPolicy = 'always' | 'never';

export interface Settings {
  /** `embedded` when neither NATS_URL nor REDIS_URL is set; `distributed` when both are. */
  readonly mode: 'embedded' | 'distributed';
  readonly natsUrl: string | null;
  readonly redisUrl: string | null;
  readonly natsUser: string | null;
  readonly natsPass: string | null;
  readonly prefix: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly dataDir: string;
  readonly fsync: FsyncPolicy;
  /** How long job events stay in the hot stream (docs/retention.md). */
  readonly hotWindowMs: number;
  /**
   * The archiver copies a job's history into the archive once it has been finished this long
   * (CORETEX_ARCHIVE_AFTER); null when there is no hot window, so nothing leaves the stream to archive.
   */
  readonly archiveAfterMs: number | null;
  /** How long the archiver gathers finished histories before writing them (CORETEX_ARCHIVE_FLUSH). */
  readonly archiveFlushMs: number;
  /** Shards per day of the archive (CORETEX_ARCHIVE_SHARDS): fixed, readers compute them. */
  readonly archiveShards: number;
  /** Archived days older than this are deleted (CORETEX_ARCHIVE_RETENTION; 0, the default: kept forever). */
  readonly archiveRetentionMs: number;
  readonly streamMaxBytes: number;
  /**
   * How long the capture stream keeps worker reports and bus submissions (`<PREFIX>_SYS`): an inbox
   * the partition owners read within moments, kept as long as the job events they become.
   */
  readonly captureMaxAgeMs: number;
  readonly duplicateWindowMs: number;
  readonly idempotencyTtlMs: number;
  /** Embedded default only: run the example echo worker in this process (CORETEX_EXAMPLE_WORKER). */
  readonly exampleWorker: boolean;
  /**
   * Distributed mode: a process running the projector with other roles runs it on a thread of its own
   * (CORETEX_PROJECTOR_THREAD, `auto`, the default, or `off`), so the read models keep up on a second
   * core instead of queueing behind the API and the schedulers on one event loop.
   */
  readonly projectorThread: 'auto' | 'off';
  /**
   * How long a role's lease (a partition, a projection, the reconciler) outlives its holder's last
   * renewal (CORETEX_LEASE_TTL): the time another process waits before it takes over from a dead one.
   */
  readonly leaseTtlMs: number;
  /** The REST API (issue 5): where it listens, its keys and limits. */
  readonly api: ApiConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadSettings(env: Env = process.env): Settings {
  const natsUrl = nonEmpty(env.NATS_URL);
  const redisUrl = nonEmpty(env.REDIS_URL);
  if ((natsUrl === null) !== (redisUrl === null)) {
    const missing = natsUrl === null ? 'NATS_URL' : 'REDIS_URL';
    throw new ConfigError(
      missing,
      `${missing} is not set: set both NATS_URL and REDIS_URL to run on NATS JetStream and Redis, or neither for the embedded default`,
    );
  }
  const prefix = env.CORETEX_PREFIX ?? 'ctx';
  if (!/^[a-z][a-z0-9_-]{0,31}$/.test(prefix)) {
    throw new ConfigError('CORETEX_PREFIX', `CORETEX_PREFIX must match ^[a-z][a-z0-9_-]{0,31}$, got "${prefix}"`);
  }
  const hotWindowMs = duration(env, 'CORETEX_HOT_WINDOW', '72h');
  const idempotencyTtlMs = duration(env, 'CORETEX_IDEMPOTENCY_TTL', '24h');
  if (hotWindowMs > 0 && hotWindowMs < idempotencyTtlMs) {
    throw new ConfigError(
      'CORETEX_HOT_WINDOW',
      'CORETEX_HOT_WINDOW must be at least CORETEX_IDEMPOTENCY_TTL: a client retry must still find its job',
    );
  }
  const archiveAfterMs = hotWindowMs > 0 ? archiveAfter(env, hotWindowMs) : null;
  const duplicateWindowMs = duration(env, 'CORETEX_DUPLICATE_WINDOW', '30s');
  if (hotWindowMs > 0 && duplicateWindowMs > hotWindowMs) {
    // JetStream refuses a stream whose duplicate window is longer than its max age.
    throw new ConfigError(
      'CORETEX_DUPLICATE_WINDOW',
      'CORETEX_DUPLICATE_WINDOW must not be longer than CORETEX_HOT_WINDOW',
    );
  }
  const archiveRetentionMs = duration(env, 'CORETEX_ARCHIVE_RETENTION', '0');
  if (archiveRetentionMs > 0 && archiveRetentionMs < Math.max(hotWindowMs, 86_400_000)) {
    throw new ConfigError(
      'CORETEX_ARCHIVE_RETENTION',
      'CORETEX_ARCHIVE_RETENTION must be 0 (keep forever) or at least a day and at least CORETEX_HOT_WINDOW: the archive keeps what leaves the stream',
    );
  }
  return {
    mode: natsUrl === null ? 'embedded' : 'distributed',
    natsUrl,
    redisUrl,
    natsUser: nonEmpty(env.NATS_USER),
    natsPass: nonEmpty(env.NATS_PASS),
    prefix,
    partitions: integer(env, 'CORETEX_PARTITIONS', DEFAULT_PARTITIONS, 1, 1024),
    replicas: integer(env, 'CORETEX_REPLICAS', 1, 1, 5),
    dataDir: env.CORETEX_DATA_DIR ?? '.coretex-data',
    fsync: oneOf(env, 'CORETEX_FSYNC', ['always', 'never'] as const, 'always'),
    hotWindowMs,
    archiveAfterMs,
    archiveFlushMs: archiveFlush(env, hotWindowMs),
    archiveShards: integer(env, 'CORETEX_ARCHIVE_SHARDS', 256, 1, 65_536),
    archiveRetentionMs,
    streamMaxBytes: integer(env, 'CORETEX_STREAM_MAX_BYTES', -1, -1, Number.MAX_SAFE_INTEGER),
    captureMaxAgeMs: captureMaxAge(hotWindowMs),
    duplicateWindowMs,
    idempotencyTtlMs,
    exampleWorker: oneOf(env, 'CORETEX_EXAMPLE_WORKER', ['on', 'off'] as const, 'on') === 'on',
    projectorThread: oneOf(env, 'CORETEX_PROJECTOR_THREAD', ['auto', 'off'] as const, 'auto'),
    leaseTtlMs: duration(env, 'CORETEX_LEASE_TTL', '6s'),
    api: loadApiSettings(env),
  };
}

/** Capture stream's dedupe window: its max age may not be shorter (JetStream refuses the stream). */
const CAPTURE_DUPLICATE_WINDOW_MS = 120_000;
/** Without a hot window nothing ages out of the event streams; the capture still does, after a week. */
const CAPTURE_MAX_AGE_WITHOUT_WINDOW_MS = 7 * 86_400_000;

/**
 * The hot window (at least the capture's 2-minute dedupe window): a report older than that is for a
 * job whose own events are leaving the stream too, and one nobody consumed for so long (every
 * scheduler down) is the job's dispatch or running deadline's to handle. A fixed week, as before,
 * kept ~120 KB/s of reports at 300 jobs/s for a week whatever the window: nats-server's memory and
 * disk grew with it when the job stream itself was held to minutes.
 */
function captureMaxAge(hotWindowMs: number): number {
  return hotWindowMs > 0 ? Math.max(hotWindowMs, CAPTURE_DUPLICATE_WINDOW_MS) : CAPTURE_MAX_AGE_WITHOUT_WINDOW_MS;
}

/**
 * Default: an hour, or a quarter of the hot window if that is shorter. At most half the window, so a
 * finished job is archived well before its first events age out (the archiver may be down a while).
 */
function archiveAfter(env: Env, hotWindowMs: number): number {
  const value =
    env.CORETEX_ARCHIVE_AFTER === undefined
      ? Math.min(3_600_000, Math.floor(hotWindowMs / 4))
      : duration(env, 'CORETEX_ARCHIVE_AFTER', '1h');
  if (value > hotWindowMs / 2) {
    throw new ConfigError(
      'CORETEX_ARCHIVE_AFTER',
      'CORETEX_ARCHIVE_AFTER must be at most half of CORETEX_HOT_WINDOW: finished jobs must be archived before their events age out',
    );
  }
  return value;
}

/** Default: a minute, or an eighth of the hot window if that is shorter; at most a quarter of it. */
function archiveFlush(env: Env, hotWindowMs: number): number {
  if (hotWindowMs <= 0) return 0;
  const value =
    env.CORETEX_ARCHIVE_FLUSH === undefined
      ? Math.min(60_000, Math.floor(hotWindowMs / 8))
      : duration(env, 'CORETEX_ARCHIVE_FLUSH', '1m');
  if (value > hotWindowMs / 4) {
    throw new ConfigError(
      'CORETEX_ARCHIVE_FLUSH',
      'CORETEX_ARCHIVE_FLUSH must be at most a quarter of CORETEX_HOT_WINDOW',
    );
  }
  return value;
}

// --- The REST API (issue 5) -----------------------------------------------------------------

function loadApiSettings(env: Env): ApiConfig {
  const openTenant = nonEmpty(env.CORETEX_API_OPEN_TENANT) ?? DEFAULT_API_CONFIG.openTenant;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(openTenant)) {
    throw new ConfigError(
      'CORETEX_API_OPEN_TENANT',
      `CORETEX_API_OPEN_TENANT must be a tenant id, got "${openTenant}"`,
    );
  }
  return {
    host: nonEmpty(env.HOST) ?? DEFAULT_API_CONFIG.host,
    port: integer(env, 'PORT', DEFAULT_API_CONFIG.port, 0, 65_535),
    keys: parseApiKeys(env.CORETEX_API_KEYS),
    openTenant,
    rateLimit: rateLimit(env, 'CORETEX_API_RATE_LIMIT', '6000/1m'),
    bodyLimitBytes: integer(env, 'CORETEX_API_BODY_LIMIT', DEFAULT_API_CONFIG.bodyLimitBytes, 1024, 1024 ** 3),
    requestTimeoutMs: duration(env, 'CORETEX_API_TIMEOUT', '30s'),
    minPositionWaitMs: duration(env, 'CORETEX_API_READ_WAIT', '2s'),
  };
}

/** `<requests>/<duration>`, e.g. `6000/1m`: per key (per client address when the API is open). */
function rateLimit(env: Env, name: string, fallback: string): { max: number; windowMs: number } {
  const raw = nonEmpty(env[name]) ?? fallback;
  const match = /^(\d{1,9})\/(.+)$/.exec(raw);
  const windowMs = match === null ? null : parseDuration(match[2] as string);
  if (match === null || windowMs === null || windowMs <= 0 || Number(match[1]) < 1) {
    throw new ConfigError(name, `${name} must be <requests>/<duration>, e.g. 6000/1m, got "${raw}"`);
  }
  return { max: Number(match[1]), windowMs };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Durations like `500ms`, `30s`, `15m`, `72h`, `7d` (or `0` for none). */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

function duration(env: Env, name: string, fallback: string): number {
  const raw = nonEmpty(env[name]) ?? fallback;
  const value = parseDuration(raw);
  if (value === null) throw new ConfigError(name, `${name} must be a duration like 30s, 15m, 72h or 7d, got "${raw}"`);
  return value;
}
