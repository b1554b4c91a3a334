/**
 * A NATS cluster on loopback for tests: `nats-server` nodes with JetStream, each with its own store
 * directory, client port and cluster (route) port, all on free ports, routed to each other. Started
 * and stopped by the caller; `ready` waits until the JetStream meta group has a leader, so streams can
 * be created through any node.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerBinaries, freePort, type Spawned, spawnUntilReady, stopChild } from './servers.ts';
import { waitFor } from './wait-for.ts';

export interface ClusterNode {
  /** The node's `server_name`: what a stream's `cluster.leader` names. */
  readonly name: string;
  readonly url: string;
  /** The node's monitoring endpoint (`/jsz`, `/connz`, ...). */
  readonly monitorUrl: string;
  readonly pid: number;
  readonly running: boolean;
  /** Stops the node (SIGKILL by default: a node lost, not shut down); its store is kept. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again with the same ports and store. */
  restart(): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: readonly ClusterNode[];
  /** Every node's client URL, comma-separated (what `NATS_URL` takes). */
  readonly urls: string;
  node(name: string): ClusterNode;
  /** The name of the JetStream meta group's leader, as a running node reports it. */
  metaLeader(): Promise<string | null>;
  dispose(): Promise<void>;
}

export interface ClusterOptions {
  readonly size?: number;
  /** Extra lines inside node i's `jetstream { }` block (limits that steer stream placement). */
  readonly jetstream?: (index: number) => string;
}

export async function startNatsCluster(options: ClusterOptions = {}): Promise<NatsCluster> {
  const { nats } = ensureServerBinaries();
  const size = options.size ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'coretex-nats-cluster-'));
  // One after another: ports asked for at once could come back equal.
  const ports: { client: number; route: number; monitor: number }[] = [];
  for (let i = 0; i < size; i++)
    ports.push({ client: await freePort(), route: await freePort(), monitor: await freePort() });
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`).join(', ');
  const nodes = ports.map((port, index) => {
    const name = `n${index + 1}`;
    const dir = join(root, name);
    const configPath = join(root, `${name}.conf`);
    writeFileSync(
      configPath,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${port.client}`,
        `http: 127.0.0.1:${port.monitor}`,
        `jetstream { store_dir: "${join(dir, 'js')}"\n${options.jetstream?.(index) ?? ''}\n}`,
        `cluster { name: coretex-test, listen: 127.0.0.1:${port.route}, routes: [${routes}] }`,
        '',
      ].join('\n'),
    );
    let spawned: Spawned | null = null;
    const start = async () => {
      spawned = await spawnUntilReady(nats, ['-c', configPath], /Server is ready/, `nats-server ${name}`);
    };
    const node: ClusterNode & { start(): Promise<void> } = {
      name,
      url: `nats://127.0.0.1:${port.client}`,
      monitorUrl: `http://127.0.0.1:${port.monitor}`,
      get pid() {
        return spawned?.child.pid ?? -1;
      },
      get running() {
        return spawned !== null;
      },
      start,
      async stop(signal = 'SIGKILL') {
        await stopChild(spawned, signal);
        spawned = null;
      },
      async restart() {
        await stopChild(spawned, 'SIGTERM');
        await start();
      },
    };
    return node;
  });
  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((n) => n.url).join(','),
    node(name) {
      const found = nodes.find((n) => n.name === name);
      if (found === undefined) throw new Error(`no node ${name}`);
      return found;
    },
    async metaLeader() {
      const node = nodes.find((n) => n.running);
      if (node === undefined) return null;
      const jsz = (await (await fetch(`${node.monitorUrl}/jsz`)).json()) as { meta_cluster?: { leader?: string } };
      return jsz.meta_cluster?.leader ?? null;
    },
    async dispose() {
      await Promise.all(nodes.map((n) => n.stop('SIGTERM')));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
    await waitForJetStream(cluster);
  } catch (error) {
    await cluster.dispose();
    throw error;
  }
  return cluster;
}

/** Waits until every node answers a JetStream API request (the meta group has elected a leader). */
async function waitForJetStream(cluster: NatsCluster): Promise<void> {
  for (const node of cluster.nodes) {
    const nc = await connect({ servers: node.url });
    try {
      await waitFor(
        `JetStream on ${node.name}`,
        async () => {
          const jsm = await jetstreamManager(nc, { timeout: 1_000 });
          return (await jsm.getAccountInfo()) !== undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    } finally {
      await nc.close();
    }
  }
}
