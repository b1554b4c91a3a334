/**
 * A NATS connection whose writes are coalesced per event-loop turn. nats.js flushes its outbound buffer
 * from a microtask, so a process that publishes from many promise continuations (an append per HTTP
 * request, a hand-off per scheduled job) makes one socket write each; on loopback every write also runs
 * the receiver's side of TCP in the writer's system call. Here the socket is corked on the first write of
 * a turn and uncorked once the turn's I/O callbacks have run (setImmediate): one `writev` per turn, and
 * not more than one a millisecond. When idle that costs nothing noticeable (the check phase follows at
 * once); under load it is most of what the connection costs the CPU.
 */
import {
  type ConnectionOptions,
  type NatsConnection,
  NatsConnectionImpl,
  setTransportFactory,
} from '@nats-io/transport-node';
import { NodeTransport, nodeResolveHost } from '@nats-io/transport-node/lib/node_transport.js';

/**
 * Under load the turns come fast; a write at most this often still lets a busy connection gather what
 * several turns wrote into one `writev` (at the cost of up to this much latency per hop, only then).
 */
const MIN_FLUSH_INTERVAL_MS = 1;

class CoalescingTransport extends NodeTransport {
  #corked = false;
  #lastFlush = 0;

  override send(frame: Uint8Array): void {
    const socket = this.socket as NodeTransport['socket'] | undefined;
    if (socket !== undefined && !this.#corked && !this.isClosed) {
      socket.cork();
      this.#corked = true;
      const wait = this.#lastFlush + MIN_FLUSH_INTERVAL_MS - performance.now();
      if (wait <= 0) setImmediate(() => this.#uncork());
      else setTimeout(() => this.#uncork(), wait);
    }
    super.send(frame);
  }

  override close(err?: Error): Promise<void> {
    // What this turn wrote goes out before the socket is ended, as it would without the cork.
    this.#uncork();
    return super.close(err);
  }

  override disconnect(): void {
    this.#uncork();
    super.disconnect();
  }

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#lastFlush = performance.now();
    (this.socket as NodeTransport['socket'] | undefined)?.uncork();
  }
}

/** `connect` from @nats-io/transport-node, with writes coalesced per event-loop turn. */
export function connectCoalesced(options: ConnectionOptions): Promise<NatsConnection> {
  // The factory is global in nats.js and read at every (re)connect; transport-node's own `connect`
  // resets it to the plain transport, which only costs a connection made that way its coalescing.
  setTransportFactory({ factory: () => new CoalescingTransport(), dnsResolveFn: nodeResolveHost });
  return NatsConnectionImpl.connect(options);
}
