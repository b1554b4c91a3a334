/**
 * A loopback TCP proxy between NATS clients and a real nats-server that can lose chosen messages on
 * their way to the client: a network fault a test can aim, and a place to watch what the server
 * sends. It reads the server's side of the protocol (INFO, MSG, HMSG, PING, PONG, +OK, -ERR) and
 * forwards every message the `drop` predicate does not claim, byte for byte; the client's side is
 * passed through untouched.
 */
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';

/** A message from the server as the proxy sees it: its subject, reply subject and (HMSG) header block. */
export interface ServerMessage {
  readonly subject: string;
  readonly reply: string | null;
  readonly headers: string;
}

export interface NatsProxy {
  readonly url: string;
  /** The messages dropped so far, each with the time it was dropped. */
  readonly dropped: readonly (ServerMessage & { readonly at: number })[];
  close(): Promise<void>;
}

const CRLF = Buffer.from('\r\n');

export async function startNatsProxy(serverUrl: string, drop: (message: ServerMessage) => boolean): Promise<NatsProxy> {
  const target = new URL(serverUrl.includes('://') ? serverUrl : `nats://${serverUrl}`);
  const dropped: (ServerMessage & { at: number })[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    const filter = new ServerStreamFilter((message) => {
      if (!drop(message)) return false;
      dropped.push({ ...message, at: Date.now() });
      return true;
    });
    upstream.on('data', (chunk: Buffer) => {
      const out = filter.push(chunk);
      if (out.length > 0) client.write(out);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port');
  return {
    url: `nats://127.0.0.1:${address.port}`,
    dropped,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Splits the server's byte stream into protocol messages and keeps those not dropped. */
class ServerStreamFilter {
  #pending: Buffer = Buffer.alloc(0);
  readonly #drop: (message: ServerMessage) => boolean;

  constructor(drop: (message: ServerMessage) => boolean) {
    this.#drop = drop;
  }

  push(chunk: Buffer): Buffer {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const kept: Buffer[] = [];
    for (;;) {
      const lineEnd = this.#pending.indexOf(CRLF);
      if (lineEnd < 0) break;
      const line = this.#pending.subarray(0, lineEnd).toString('latin1');
      const [op = '', subject = '', ...rest] = line.split(' ');
      const verb = op.toUpperCase();
      let end = lineEnd + 2;
      let headers = '';
      let reply: string | null = null;
      if (verb === 'MSG' || verb === 'HMSG') {
        // MSG <subject> <sid> [reply] <size>; HMSG <subject> <sid> [reply] <header size> <total size>
        const sizes = verb === 'HMSG' ? 2 : 1;
        if (rest.length > sizes + 1) reply = rest[1] ?? null;
        const total = Number(rest.at(-1));
        end += total + 2;
        if (this.#pending.length < end) break;
        if (verb === 'HMSG') {
          const headerBytes = Number(rest.at(-2));
          headers = this.#pending.subarray(lineEnd + 2, lineEnd + 2 + headerBytes).toString('latin1');
        }
      }
      const frame = this.#pending.subarray(0, end);
      this.#pending = this.#pending.subarray(end);
      const isMessage = verb === 'MSG' || verb === 'HMSG';
      if (!(isMessage && this.#drop({ subject, reply, headers }))) kept.push(frame);
    }
    return Buffer.concat(kept);
  }
}
