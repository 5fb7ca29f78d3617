import { z } from 'zod';
import { PUBLISH_SECONDS } from '../contract/connections';
import { drainTimings } from '../contract/drain';

const DEFAULTS = drainTimings();
import { parseOrThrow } from '../core';

/**
 * Everything a chat node can be told. Defaults suit Fargate: a 30 s stop timeout (ECS's default
 * `stopTimeout`) and a 10 s reconnect window, so a drain ends well inside it.
 */
const chatNodeOptionsSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(3000),
    host: z.string().min(1).default('0.0.0.0'),
    redisUrl: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
    /**
     * Share rooms, history and heartbeats through the Node cluster primary that started this node (local
     * mode with nothing installed) instead of Redis; `redisUrl` is then unused.
     */
    cluster: z.boolean().default(false),
    /** Browser origins allowed to connect, besides the page the node serves itself. */
    allowedOrigins: z.array(z.url()).default([]),
    /**
     * Where the other nodes reach this one, advertised in its heartbeat (default: the address it listens
     * on, or its first private IPv4 address): while Redis is out of reach, a node refuses new connections
     * only if another node answers ready there.
     */
    advertiseUrl: z.url().optional(),
    /** Identifies this node in the heartbeat and in the `UnitId` dimension: the ECS task or EC2 instance id. */
    unitId: z.string().min(1).max(128).optional(),
    serviceName: z.string().min(1).max(255).default('chat'),
    /** The `kind` of the controller target this node belongs to, as its stack or local mode says ('local' when run alone). */
    targetKind: z.string().min(1).max(128).default('local'),
    /** It runs on an EC2 instance: its id, and the notice that it is leaving service, come from the instance metadata. */
    instanceMetadata: z.boolean().default(false),
    targetName: z.string().min(1).max(255).default('chat-local'),
    publishSeconds: z.number().min(1).max(60).default(PUBLISH_SECONDS),
    /** Put `Chat/Connections` to CloudWatch; off in local mode, where there is no AWS account. */
    cloudwatch: z.boolean().default(false),
    historyOnJoin: z.number().int().min(0).max(500).default(50),
    historyMaxLength: z.number().int().min(10).max(100_000).default(1000),
    maxMessageBytes: z.number().int().min(1).max(64 * 1024).default(2000),
    maxNameLength: z.number().int().min(1).max(256).default(32),
    /** Each socket may send `rateLimitEvents` events per `rateLimitSeconds`, in bursts. */
    rateLimitEvents: z.number().int().min(1).default(10),
    rateLimitSeconds: z.number().min(0.1).default(5),
    /**
     * Per client address, only what one abuser can do, sized so that hundreds of users behind one NAT
     * address are never refused (a drained node moves them all within seconds): every socket of one
     * address together may send `addressRateLimitEvents` events per `addressRateLimitSeconds` (a burst
     * cap, far above human chat), join `addressJoinEvents` times per `addressJoinSeconds`, and open
     * `addressConnectEvents` connections per `addressConnectSeconds`.
     */
    addressRateLimitEvents: z.number().int().min(1).default(2000),
    addressRateLimitSeconds: z.number().min(0.1).default(10),
    addressJoinEvents: z.number().int().min(1).default(1000),
    addressJoinSeconds: z.number().min(0.1).default(10),
    addressConnectEvents: z.number().int().min(1).default(500),
    addressConnectSeconds: z.number().min(0.1).default(10),
    /**
     * Behind a load balancer every socket comes from it: take the client's address from the last entry of
     * X-Forwarded-For, the one the load balancer itself appended.
     */
    trustProxy: z.boolean().default(false),
    /** Clients are told to reconnect at a random moment within this window, so the fleet sees no herd. */
    drainWindowSeconds: z.number().min(0).default(DEFAULTS.drainWindowSeconds),
    /** The platform kills the process this long after SIGTERM; the drain ends before it. */
    stopTimeoutSeconds: z.number().min(2).default(DEFAULTS.stopTimeoutSeconds),
    /**
     * How often the node looks for its platform's notice that it is being stopped (ECS: DescribeTasks of
     * its own task; an ASG instance: its target lifecycle state), to drain before the load balancer's
     * deregistration delay ends rather than at SIGTERM, which comes after it.
     */
    stopNoticeSeconds: z.number().min(1).max(60).default(DEFAULTS.noticeSeconds),
  })
  .refine((o) => o.drainWindowSeconds < o.stopTimeoutSeconds, {
    message: 'drainWindowSeconds must be shorter than stopTimeoutSeconds, or clients are cut off before they move',
    path: ['drainWindowSeconds'],
  });

export type ChatNodeOptions = z.output<typeof chatNodeOptionsSchema>;
export type ChatNodeInput = z.input<typeof chatNodeOptionsSchema>;

export function parseChatNodeOptions(input: unknown): ChatNodeOptions {
  return parseOrThrow(chatNodeOptionsSchema, input, 'chat node options');
}

/** The environment variables a container is configured with; CLI flags override them. */
export function chatOptionsFromEnv(env: NodeJS.ProcessEnv): ChatNodeInput {
  const options: Record<string, unknown> = {};
  const text = (name: string, key: keyof ChatNodeInput) => {
    if (env[name] !== undefined && env[name] !== '') options[key] = env[name];
  };
  const number = (name: string, key: keyof ChatNodeInput) => {
    if (env[name] !== undefined && env[name] !== '') options[key] = Number(env[name]);
  };
  text('REDIS_URL', 'redisUrl');
  const fromParts = redisUrlFromParts(env);
  if (fromParts !== undefined && options.redisUrl === undefined) options.redisUrl = fromParts;
  number('PORT', 'port');
  text('CHAT_UNIT_ID', 'unitId');
  text('CHAT_ADVERTISE_URL', 'advertiseUrl');
  text('CHAT_SERVICE_NAME', 'serviceName');
  text('CHAT_TARGET_KIND', 'targetKind');
  text('CHAT_TARGET_NAME', 'targetName');
  // A service named and no target: the service is the target (one Deployment, one target, as on Kubernetes).
  if (options.targetName === undefined && options.serviceName !== undefined) options.targetName = options.serviceName;
  number('CHAT_PUBLISH_SECONDS', 'publishSeconds');
  number('CHAT_STOP_TIMEOUT_SECONDS', 'stopTimeoutSeconds');
  number('CHAT_DRAIN_WINDOW_SECONDS', 'drainWindowSeconds');
  number('CHAT_STOP_NOTICE_SECONDS', 'stopNoticeSeconds');
  number('CHAT_ADDRESS_RATE_LIMIT_EVENTS', 'addressRateLimitEvents');
  number('CHAT_ADDRESS_RATE_LIMIT_SECONDS', 'addressRateLimitSeconds');
  number('CHAT_ADDRESS_JOIN_EVENTS', 'addressJoinEvents');
  number('CHAT_ADDRESS_JOIN_SECONDS', 'addressJoinSeconds');
  number('CHAT_ADDRESS_CONNECT_EVENTS', 'addressConnectEvents');
  number('CHAT_ADDRESS_CONNECT_SECONDS', 'addressConnectSeconds');
  if (env.CHAT_TRUST_PROXY) options.trustProxy = ['1', 'true', 'on', 'yes'].includes(env.CHAT_TRUST_PROXY.toLowerCase());
  if (env.CHAT_ALLOWED_ORIGINS) options.allowedOrigins = env.CHAT_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (env.CHAT_CLUSTER) options.cluster = ['1', 'true', 'on', 'yes'].includes(env.CHAT_CLUSTER.toLowerCase());
  if (env.CHAT_INSTANCE_METADATA) options.instanceMetadata = ['1', 'true', 'on', 'yes'].includes(env.CHAT_INSTANCE_METADATA.toLowerCase());
  if (env.CHAT_CLOUDWATCH) options.cloudwatch = ['1', 'true', 'on', 'yes'].includes(env.CHAT_CLOUDWATCH.toLowerCase());
  return options as ChatNodeInput;
}

/**
 * On AWS the node is given Redis in parts: REDIS_HOST and REDIS_PORT from the stack, and REDIS_AUTH_TOKEN
 * from Secrets Manager (injected by ECS, or read by the instance at boot), so the token is never in a
 * template or an image. The URL is built here, at start-up: TLS (`rediss://`) unless REDIS_TLS is off.
 */
export function redisUrlFromParts(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.REDIS_HOST;
  if (host === undefined || host === '') return undefined;
  const tls = !['0', 'false', 'off', 'no'].includes((env.REDIS_TLS ?? 'on').toLowerCase());
  const token = env.REDIS_AUTH_TOKEN ? `:${encodeURIComponent(env.REDIS_AUTH_TOKEN)}@` : '';
  return `${tls ? 'rediss' : 'redis'}://${token}${host}:${env.REDIS_PORT || '6379'}`;
}
