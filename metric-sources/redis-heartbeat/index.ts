import { z } from 'zod';
import { CONNECTIONS } from '../../contract/connections';
import { defineMetricSource } from '../source';
import { HeartbeatConnections } from './heartbeat-connections';

/**
 * The heartbeats the chat nodes keep in Redis: what a cluster without CloudWatch access scales on. The
 * URL is the configuration's `url`, else the deployment's REDIS_URL.
 */
export const redisHeartbeat = defineMetricSource({
  name: 'redis-heartbeat',
  options: z.strictObject({ url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional() }),
  metrics: [CONNECTIONS],
  alarms: false,
  connect: (options, clients) => {
    const heartbeats = new HeartbeatConnections(clients.redis(options.url));
    return { metrics: { [CONNECTIONS]: heartbeats }, alarms: heartbeats, forecastSink: heartbeats, unitLoads: heartbeats };
  },
  readActions: [],
});

export { HeartbeatConnections };
