import { ECSClient } from '@aws-sdk/client-ecs';
import { Logger } from '@aws-lambda-powertools/logger';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type BroadcastOperator } from 'socket.io';
import { parseChatNodeOptions, type ChatNodeInput, type ChatNodeOptions } from './config';
import { connectionsRecord, standardOutput, type MetricsOut, type NodeIdentity } from './connection-metrics';
import { HEARTBEAT_TTL_INTERVALS } from '../contract/connections';
import { until } from './deadline';
import { redisBackend } from './backend';
import { clusterBackend } from './cluster-backend';
import { httpRoutes } from './http-routes';
import { Outbox } from './outbox';
import { advertisedUrl, Peers } from './peers';
import { watchStopNotice } from './stop-notice';
import type { NodeHeartbeat } from '../contract/heartbeat';
import type { ChatMessage, DrainNotice, ServerToClientEvents } from './protocol';
import { isAuthRefusal, type ChatRedisEvents } from './redis-clients';
import { chatConnectionHandler, clientAddress, connectionLimit, type ChatServer, type SocketData } from './socket-handlers';
import { detectUnitId } from './unit-id';

export interface ChatNodeDeps {
  /** Where the connection-count records go when `cloudwatch` is on: standard output by default. */
  readonly metricsOut?: MetricsOut;
  /** On ECS, to watch for this task being stopped (made when needed). */
  readonly ecs?: Pick<ECSClient, 'send'>;
  /** The instance and task metadata services (tests point them elsewhere). */
  readonly fetch?: typeof fetch;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
}

export interface ChatNode {
  readonly url: string;
  readonly port: number;
  readonly nodeId: string;
  readonly options: ChatNodeOptions;
  connections(): number;
  /** Publishes the connection count now (it also happens every `publishSeconds`). */
  publishNow(): Promise<void>;
  /** Starts the graceful drain (idempotent); resolves once the node has closed. */
  drain(): Promise<void>;
  /** Stops at once, without a drain. */
  close(): Promise<void>;
  /** Settles when the node has closed, drained or not. */
  readonly closed: Promise<void>;
  /** Why the node stopped by itself (Redis refused its credentials), or undefined. */
  failure(): string | undefined;
}

/** Part of the stop timeout kept back for storing the last messages and closing connections. */
const CLOSE_RESERVE_MS = 2000;
/** Clients rejoin within this window after the node gets Redis back. */
const RESYNC_WINDOW_MS = 5000;
/** After the last client's reconnect moment, how long a slow client gets before it is cut. */
const DRAIN_GRACE_MS = 1000;
/** Socket.io frames above this are cut at the transport, before any handler runs. */
const frameLimit = (o: ChatNodeOptions) => o.maxMessageBytes * 4 + 4096;

export async function startChatNode(input: ChatNodeInput, deps: ChatNodeDeps = {}): Promise<ChatNode> {
  const options = parseChatNodeOptions(input);
  const logger = deps.logger ?? new Logger({ serviceName: options.serviceName });
  const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}) => logger[level](message, fields);

  let draining = false;
  let wasOnline = false;
  let lastRedisError = 0;
  const events: ChatRedisEvents = {
    onOnline: () => {
      log('info', 'redis connected', { pending: outbox.pending, recovered: wasOnline });
      outbox.resume();
      if (wasOnline) tellClients('resync', (ms) => ({ rejoinInMs: ms }), RESYNC_WINDOW_MS);
      wasOnline = true;
    },
    onError: (client, error) => {
      if (isAuthRefusal(error)) return refused(client, error);
      // ioredis reports each failed reconnect; one line a few seconds is enough.
      if (Date.now() - lastRedisError < 5000) return;
      lastRedisError = Date.now();
      log('warn', 'redis unavailable', { client, error: error.message });
    },
  };
  const backend = options.cluster ? clusterBackend(events) : redisBackend(options.redisUrl, options.historyMaxLength, events);
  const backendLabel = options.cluster ? 'cluster primary' : 'redis';
  const history = backend.history;

  const allowConnection = connectionLimit(options);
  const peers = new Peers();
  /**
   * Why a new connection is refused, or undefined. Without Redis this node can deliver only to its own
   * clients, so a newcomer is better served by a node that has Redis, where there is one; when no other
   * node is ready (the whole fleet lost Redis), this one takes it rather than leave the user with none.
   */
  async function connectionRefusal(address: string): Promise<string | undefined> {
    const limited = await allowConnection(address);
    if (limited !== undefined) return limited;
    if (!backend.online() && (await peers.anotherIsReady())) return `this node cannot reach ${backendLabel}: connect to another node`;
    return undefined;
  }
  const http = createServer();
  const io: ChatServer = new Server(http, {
    maxHttpBufferSize: frameLimit(options),
    cors: { origin: options.allowedOrigins, methods: ['GET', 'POST'] },
    allowRequest: (req, callback) => {
      if (draining) return callback('draining: connect to another node', false);
      if (!originAllowed(req, options.allowedOrigins)) return callback('origin not allowed', false);
      const address = clientAddress({ headers: req.headers, address: req.socket.remoteAddress }, options.trustProxy);
      void connectionRefusal(address).then(
        (refusal) => callback(refusal ?? null, refusal === undefined),
        () => callback('the server could not check the request; try again', false),
      );
    },
  });
  io.adapter(backend.adapter);

  const outbox = new Outbox({
    persist: (batch) => history.append(batch),
    broadcast: (message, except) => emitMessage(except.length > 0 ? io.to(message.room).except([...except]) : io.to(message.room), message),
    deliverLocally: (message) => {
      const recipients = [...(io.of('/').adapter.rooms.get(message.room) ?? [])];
      emitMessage(io.local.to(message.room), message);
      return recipients;
    },
    isOnline: () => backend.online(),
    onError: (error, pending) => log('warn', 'storing messages failed; delivering on this node and retrying', { pending, error: String(error) }),
  });
  io.on('connection', chatConnectionHandler({ io, options, history, outbox, online: () => backend.online(), log }));

  http.on('request', httpRoutes({ ready, stats, drain: () => void drain() }));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    // exclusive: a cluster worker asking for port 0 gets a port of its own, not one shared with the others.
    http.listen({ port: options.port, host: options.host, exclusive: true }, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  const env = deps.env ?? process.env;
  const nodeId = options.unitId ?? (await detectUnitId(env, port, options.instanceMetadata, deps.fetch).catch(() => `local-${port}`));
  const url = options.advertiseUrl ?? advertisedUrl(options.host, port);
  const identity: NodeIdentity = { serviceName: options.serviceName, targetKind: options.targetKind, targetName: options.targetName, unitId: nodeId };

  async function publishNow(): Promise<void> {
    const connections = io.engine.clientsCount;
    const at = new Date();
    const tasks: Promise<void>[] = [];
    if (backend.online()) {
      const beat = { nodeId, targetKind: options.targetKind, targetName: options.targetName, connections, ready: ready().ready, draining, url, at: at.getTime() };
      tasks.push(backend.writeHeartbeat(beat, options.publishSeconds * 1000 * HEARTBEAT_TTL_INTERVALS));
      if (backend.readFleet !== undefined) tasks.push(backend.readFleet(options.targetName).then((fleet) => peers.remember(otherUrls(fleet.nodes, nodeId))));
    }
    if (options.cloudwatch) (deps.metricsOut ?? standardOutput)(connectionsRecord(connections, at, identity));
    const failures = (await Promise.allSettled(tasks)).filter((r) => r.status === 'rejected');
    for (const failure of failures) log('warn', 'publishing the connection count failed', { error: String(failure.reason) });
  }
  const publisher = setInterval(() => void publishNow(), options.publishSeconds * 1000);
  publisher.unref();

  let lastNoticeError = 0;
  const notice = watchStopNotice(
    env,
    { everySeconds: options.stopNoticeSeconds, instanceMetadata: options.instanceMetadata },
    (why) => {
      log('info', 'the platform is taking this unit out of service; draining before the load balancer lets go', { why });
      void drain();
    },
    (error) => {
      if (Date.now() - lastNoticeError < 60_000) return;
      lastNoticeError = Date.now();
      log('warn', 'cannot read whether the platform is stopping this unit; the drain will start at SIGTERM', { error: String(error) });
    },
    { ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(env.ECS_CONTAINER_METADATA_URI_V4 ? { ecs: deps.ecs ?? new ECSClient({ maxAttempts: 3 }) } : {}) },
  );

  /** Gives each local client its own random moment within the window, so the fleet sees no herd. */
  function tellClients<E extends 'drain' | 'resync'>(event: E, notice: (ms: number) => Parameters<ServerToClientEvents[E]>[0], windowMs: number): void {
    for (const socket of io.of('/').sockets.values()) {
      (socket.emit as (e: E, n: unknown) => boolean)(event, notice(Math.floor(Math.random() * windowMs)));
    }
  }

  function ready() {
    const reasons = [...(draining ? ['draining'] : []), ...(backend.online() ? [] : [`${backendLabel} ${JSON.stringify(backend.status())}`])];
    return { ready: reasons.length === 0, reasons };
  }

  function stats() {
    return { nodeId, url, connections: io.engine.clientsCount, draining, backend: backend.status(), pendingMessages: outbox.pending, peers: peers.known.length, memory: process.memoryUsage() };
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  /** Closes everything by `deadlineMs`, whatever Redis is doing: nothing it waits on may hold the process. */
  function close(deadlineMs = Date.now() + CLOSE_RESERVE_MS): Promise<void> {
    closing ??= (async () => {
      clearInterval(publisher);
      notice?.stop();
      outbox.close();
      if (backend.online()) await until(backend.removeHeartbeat(nodeId), deadlineMs);
      io.local.disconnectSockets(true);
      // The adapter unsubscribes on close; while Redis is down that waits behind the reconnect forever.
      await until(new Promise<void>((resolve) => io.close(() => resolve())), deadlineMs);
      await backend.close(deadlineMs);
      resolveClosed();
    })();
    return closing;
  }

  let failure: string | undefined;
  function refused(client: string, error: Error): void {
    if (failure !== undefined) return;
    failure = `Redis refused the node's credentials: ${error.message}`;
    log('error', 'redis refused the AUTH token; stopping, so that the platform starts the node again with the current one', { client, error: error.message });
    // Nothing can reach Redis with this token: let go of it at once, then move any clients elsewhere.
    void backend.close(Date.now()).then(() => drain());
  }

  let drained: Promise<void> | undefined;
  function drain(): Promise<void> {
    drained ??= (async () => {
      draining = true;
      const started = Date.now();
      const deadline = started + options.stopTimeoutSeconds * 1000 - CLOSE_RESERVE_MS;
      const windowMs = options.drainWindowSeconds * 1000;
      log('info', 'draining', { connections: io.engine.clientsCount, windowMs, stopTimeoutSeconds: options.stopTimeoutSeconds });
      await publishNow();
      tellClients('drain', (ms): DrainNotice => ({ reconnectInMs: ms }), windowMs);
      await waitFor(() => io.engine.clientsCount === 0, Math.min(started + windowMs + DRAIN_GRACE_MS, deadline));
      const leftBehind = io.engine.clientsCount;
      io.local.disconnectSockets(true);
      const unsaved = await outbox.flush(deadline);
      log('info', 'drained', { ms: Date.now() - started, disconnectedByServer: leftBehind });
      await close(Math.max(deadline, Date.now()) + CLOSE_RESERVE_MS / 2);
      // The last line says what could not be handed over: accepted messages Redis never stored.
      if (unsaved > 0) log('error', 'closed; messages lost: Redis did not store them before the stop timeout', { lost: unsaved, ms: Date.now() - started });
      else log('info', 'closed; no message lost', { lost: 0, ms: Date.now() - started });
    })();
    return drained;
  }

  log('info', 'chat node listening', { port, nodeId, backend: backend.description });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    nodeId,
    options,
    connections: () => io.engine.clientsCount,
    publishNow,
    drain,
    close,
    closed,
    failure: () => failure,
  };
}

/** The other live nodes' advertised addresses. */
function otherUrls(nodes: readonly NodeHeartbeat[], self: string): string[] {
  return nodes.flatMap((n) => (n.nodeId !== self && n.url !== undefined && !n.draining ? [n.url] : []));
}

function emitMessage(to: BroadcastOperator<ServerToClientEvents, SocketData>, message: ChatMessage): void {
  to.emit('message', message);
}

/** Browsers send Origin; the page this node serves, and the configured origins, may connect. Tools send none. */
function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

async function waitFor(done: () => boolean, untilMs: number): Promise<void> {
  while (!done() && Date.now() < untilMs) await new Promise((resolve) => setTimeout(resolve, 50));
}
