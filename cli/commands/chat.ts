import type { Command } from 'commander';
import { chatOptionsFromEnv, type ChatNodeInput } from '../../chat/config';
import { startChatNode } from '../../chat/node';
import { collect, parseNumberOption } from '../io';

interface ChatCommandOptions {
  port?: number;
  host?: string;
  redisUrl?: string;
  allowedOrigin?: string[];
  unitId?: string;
  targetKind?: string;
  instanceMetadata?: boolean;
  targetName?: string;
  publishSeconds?: number;
  cloudwatch?: boolean;
  stopTimeout?: number;
  drainWindow?: number;
  stopNoticeSeconds?: number;
  rateLimitEvents?: number;
  rateLimitSeconds?: number;
  addressRateLimitEvents?: number;
  addressRateLimitSeconds?: number;
  addressJoinEvents?: number;
  addressJoinSeconds?: number;
  addressConnectEvents?: number;
  addressConnectSeconds?: number;
  trustProxy?: boolean;
  maxMessageBytes?: number;
  historyOnJoin?: number;
}

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('Run a socket.io chat node: rooms, history in Redis (REDIS_URL), connection counts every 10 s, graceful drain on SIGTERM')
    .option('--port <port>', 'HTTP and socket.io port (env PORT; default 3000, 0 picks a free one)', parseNumberOption('--port', { min: 0, integer: true }))
    .option('--host <address>', 'address to listen on (default 0.0.0.0)')
    .option('--redis-url <url>', 'Redis (env REDIS_URL; default redis://127.0.0.1:6379)')
    .option('--allowed-origin <origin>', 'a browser origin allowed to connect besides the page itself; repeatable (env CHAT_ALLOWED_ORIGINS, comma-separated)', collect)
    .option('--unit-id <id>', 'this node in metrics and heartbeats (env CHAT_UNIT_ID; default: the ECS task id, EC2 instance id or host-port)')
    .option('--target-kind <kind>', "the kind of the controller target this node belongs to, as the configuration names it (env CHAT_TARGET_KIND)")
    .option('--instance-metadata', "on an EC2 instance: read this node's id and its stop notice from the instance metadata (env CHAT_INSTANCE_METADATA=on)")
    .option('--target-name <name>', 'the controller target this node belongs to (env CHAT_TARGET_NAME)')
    .option('--publish-seconds <s>', 'how often to publish the connection count (env CHAT_PUBLISH_SECONDS; default 10)', parseNumberOption('--publish-seconds', { min: 1 }))
    .option('--cloudwatch', 'also publish Chat/Connections to CloudWatch, as embedded-metric records on standard output (env CHAT_CLOUDWATCH=on)')
    .option('--stop-timeout <s>', "the platform's stop timeout; the drain ends before it (env CHAT_STOP_TIMEOUT_SECONDS; default 30)", parseNumberOption('--stop-timeout', { min: 2 }))
    .option('--drain-window <s>', 'clients reconnect elsewhere at random within this window (env CHAT_DRAIN_WINDOW_SECONDS; default 10)', parseNumberOption('--drain-window', { min: 0 }))
    .option('--stop-notice-seconds <s>', "how often to look for the platform's notice that this unit is being stopped (env CHAT_STOP_NOTICE_SECONDS; default 5)", parseNumberOption('--stop-notice-seconds', { min: 1 }))
    .option('--rate-limit-events <n>', 'requests a socket may make per --rate-limit-seconds (default 10)', parseNumberOption('--rate-limit-events', { min: 1, integer: true }))
    .option('--rate-limit-seconds <s>', 'the rate-limit window (default 5)', parseNumberOption('--rate-limit-seconds', { min: 0.1 }))
    .option('--address-rate-limit-events <n>', 'requests all sockets of one client address may make per --address-rate-limit-seconds: a burst cap (default 2000)', parseNumberOption('--address-rate-limit-events', { min: 1, integer: true }))
    .option('--address-rate-limit-seconds <s>', 'the per-address window (default 10)', parseNumberOption('--address-rate-limit-seconds', { min: 0.1 }))
    .option('--address-join-events <n>', 'joins all sockets of one client address may make per --address-join-seconds (default 1000)', parseNumberOption('--address-join-events', { min: 1, integer: true }))
    .option('--address-join-seconds <s>', 'the per-address join window (default 10)', parseNumberOption('--address-join-seconds', { min: 0.1 }))
    .option('--address-connect-events <n>', 'connections one client address may open per --address-connect-seconds (default 500)', parseNumberOption('--address-connect-events', { min: 1, integer: true }))
    .option('--address-connect-seconds <s>', 'the per-address connection window (default 10)', parseNumberOption('--address-connect-seconds', { min: 0.1 }))
    .option('--trust-proxy', 'behind a load balancer: the client address is the last X-Forwarded-For entry (env CHAT_TRUST_PROXY)')
    .option('--max-message-bytes <n>', 'largest message text, UTF-8 bytes (default 2000)', parseNumberOption('--max-message-bytes', { min: 1, integer: true }))
    .option('--history-on-join <n>', 'messages a joining user gets (default 50)', parseNumberOption('--history-on-join', { min: 0, integer: true }))
    .action(async (flags: ChatCommandOptions) => {
      const input: ChatNodeInput = { ...chatOptionsFromEnv(process.env), ...fromFlags(flags) };
      const node = await startChatNode(input, {});
      console.error(`chat node ${node.nodeId} on ${node.url} (SIGTERM, or POST /drain with the header x-chat-drain: now from this host, drains it)`);
      let signals = 0;
      const onSignal = () => {
        if (++signals > 1) process.exit(1);
        void node.drain();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      await node.closed;
      // Closed means nothing more to do: a handle left open (a keep-alive socket, a client library's
      // timer) must not keep the process past the platform's stop timeout. Logs have a moment to flush.
      // A node that stopped by itself exits non-zero, so its platform (ECS, systemd) starts it again.
      if (node.failure() !== undefined) process.exitCode = 1;
      setTimeout(() => process.exit(), 250).unref();
    });
}

/** Flags that name an option differently; the others carry the option's own name. Unset flags are left out. */
function fromFlags({ allowedOrigin, stopTimeout, drainWindow, ...same }: ChatCommandOptions): ChatNodeInput {
  const input = { ...same, allowedOrigins: allowedOrigin, stopTimeoutSeconds: stopTimeout, drainWindowSeconds: drainWindow };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as ChatNodeInput;
}
