/** Connecting to NATS, and what the connected server can do. */
import { setTimeout as delay } from 'node:timers/promises';
import { JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import {
  AuthorizationError,
  ClosedConnectionError,
  type NatsConnection,
  PermissionViolationError,
} from '@nats-io/transport-node';
import type { Logger } from '../../app/ports.ts';
import { connectCoalesced } from '../../nats/connect.ts';

export interface NatsSettings {
  readonly url: string;
  readonly name?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

export function connectNats(settings: NatsSettings): Promise<NatsConnection> {
  return connectCoalesced({
    servers: settings.url.split(','),
    name: settings.name ?? 'coretex',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Every request and JetStream publish would otherwise build an Error up front (for its stack, in
    // case it times out): a measurable share of the control plane's CPU on the hot path. Our errors
    // carry the subject and the operation instead.
    noAsyncTraces: true,
    ...(settings.user === undefined ? {} : { user: settings.user }),
    ...(settings.pass === undefined ? {} : { pass: settings.pass }),
    ...(settings.token === undefined ? {} : { token: settings.token }),
  });
}

/**
 * Logs the connection's losses and recoveries: the client reconnects by itself (forever, to any
 * server of the cluster it knows or learns), so without these lines an operator would not see that a
 * node went away and which one this process now talks to.
 */
export function logConnectionChanges(nc: NatsConnection, log: Logger): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') log.warn({ server: status.server }, 'NATS connection lost; reconnecting');
      else if (status.type === 'reconnect') log.warn({ server: status.server }, 'NATS reconnected');
    }
  })().catch((error: unknown) => log.error({ err: error }, 'NATS status stream failed'));
}

/** Compares the connected server's version with `major.minor.patch`. */
export function serverAtLeast(nc: NatsConnection, version: string): boolean {
  const have = parseVersion(nc.info?.version ?? '0.0.0');
  const want = parseVersion(version);
  for (let i = 0; i < 3; i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

function parseVersion(text: string): number[] {
  return text
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
}

/**
 * Waits until JetStream answers (an account-info request succeeds). A process started next to a
 * cluster that is still electing its meta leader, or right after a node restart, would otherwise
 * die of one timed-out request; an operator expects it to wait and say so, within a bound. An answer
 * that waiting cannot change (JetStream not enabled for this account, no permission for its API, a
 * closed connection) fails at once, saying so.
 */
export async function waitForJetStream(nc: NatsConnection, log: Logger | null, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const jsm = await jetstreamManager(nc, { timeout: 5_000 });
      await jsm.getAccountInfo();
      return;
    } catch (error) {
      const permanent = permanentJetStreamRefusal(error);
      if (permanent !== null) throw new Error(`JetStream refused this connection: ${permanent}`, { cause: error });
      if (Date.now() >= deadline) {
        throw new Error(`JetStream did not answer within ${withinMs} ms: ${String(error)}`, { cause: error });
      }
      log?.warn({ err: error, attempt }, 'JetStream not ready; waiting');
      await delay(Math.min(250 * 2 ** (attempt - 1), 2_000));
    }
  }
}

/**
 * Why JetStream will not answer this connection however long it waits, or null when waiting may help.
 * "No responders" is not such an answer: it is also what a cluster without a meta leader gives.
 */
function permanentJetStreamRefusal(error: unknown): string | null {
  // nats.js's JetStreamNotEnabled (not exported) wraps the API's own answer only for the account case.
  if (error instanceof Error && error.name === 'JetStreamNotEnabled' && error.cause instanceof JetStreamApiError) {
    return `JetStream is not enabled for this account (${error.cause.message})`;
  }
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof PermissionViolationError || cause instanceof AuthorizationError) {
      return `no permission for the JetStream API (${cause.message})`;
    }
    if (cause instanceof ClosedConnectionError) return 'the connection is closed';
  }
  return null;
}
