import { runLoad, type LoadReport } from '../chat/load/load-generator';
import { rampProfile } from '../chat/load/profile';
import { ChatCluster } from '../test-support/chat-cluster';

// The load comes from this machine's one address: both limits are lifted, so the bench measures the node.
const NODE_ARGS = ['--rate-limit-events', '100000', '--rate-limit-seconds', '1', '--address-rate-limit-events', '1000000', '--address-rate-limit-seconds', '1'];

export interface CapacityResult {
  readonly attempted: number;
  readonly held: number;
  readonly connectErrors: number;
  readonly rssBeforeMiB: number;
  readonly rssAfterMiB: number;
  readonly heapAfterMiB: number;
  readonly bytesPerConnection: number;
  readonly nodeConnections: number;
}

/**
 * Ramps real socket.io clients (each joining a room of 50) onto one node and holds them, then reads the
 * node's own connection count and memory. The ceiling is this machine's open-file limit per process.
 */
export async function benchNodeCapacity(connections: number, rampSeconds: number): Promise<CapacityResult> {
  const cluster = await ChatCluster.start(1, NODE_ARGS);
  const node = cluster.nodes[0]!;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = await node.stats();
    let during: Awaited<ReturnType<typeof node.stats>> | undefined;
    const report = await runLoad({
      urls: [node.url],
      profile: rampProfile(connections, rampSeconds),
      durationSeconds: rampSeconds + 15,
      messagesPerSecond: 0,
      rooms: Math.ceil(connections / 50),
      connectConcurrency: 500,
      onSecond: (s) => {
        if (s.elapsedSeconds === Math.ceil(rampSeconds + 12)) void node.stats().then((st) => (during = st));
      },
    });
    during ??= await node.stats();
    const held = Math.min(report.connections.open, during.connections);
    return {
      attempted: connections,
      held,
      connectErrors: report.errors.connect,
      rssBeforeMiB: before.memory.rss / 2 ** 20,
      rssAfterMiB: during.memory.rss / 2 ** 20,
      heapAfterMiB: during.memory.heapUsed / 2 ** 20,
      bytesPerConnection: (during.memory.rss - before.memory.rss) / Math.max(1, during.connections),
      nodeConnections: during.connections,
    };
  } finally {
    await cluster.dispose();
  }
}

/** Three nodes through one Redis; clients spread over them in rooms; a steady message rate. */
export async function benchBroadcast(options: { clients: number; roomSize: number; messagesPerSecond: number; seconds: number; warmupSeconds: number }): Promise<LoadReport> {
  const cluster = await ChatCluster.start(3, NODE_ARGS);
  try {
    return await runLoad({
      urls: cluster.nodes.map((n) => n.url),
      profile: rampProfile(options.clients, 0),
      durationSeconds: options.seconds + options.warmupSeconds,
      warmupSeconds: options.warmupSeconds,
      messagesPerSecond: options.messagesPerSecond,
      rooms: Math.ceil(options.clients / options.roomSize),
    });
  } finally {
    await cluster.dispose();
  }
}
