import { z } from 'zod';
import { CONNECTIONS } from '../../contract/connections';
import { defineMetricSource } from '../source';
import { CloudWatchAlarms } from './cloudwatch-alarms';
import { CloudWatchConnections } from './cloudwatch-connections';
import { CloudWatchForecastSink } from './cloudwatch-forecast';
import { CloudWatchUnitLoads } from './unit-loads';

/** What the chat nodes put to CloudWatch (CHAT_CLOUDWATCH=on), its alarms, and the forecast published beside it. */
export const cloudwatch = defineMetricSource({
  name: 'cloudwatch',
  options: z.strictObject({}),
  metrics: [CONNECTIONS],
  alarms: true,
  connect: (_options, clients) => {
    const client = clients.cloudwatch();
    return {
      metrics: { [CONNECTIONS]: new CloudWatchConnections(client) },
      alarms: new CloudWatchAlarms(client),
      forecastSink: new CloudWatchForecastSink(client),
      unitLoads: new CloudWatchUnitLoads(client),
    };
  },
  readActions: ['cloudwatch:GetMetricData'],
});

export { CloudWatchAlarms, CloudWatchConnections, CloudWatchForecastSink, CloudWatchUnitLoads };
export { DEFAULT_CONNECTIONS_METRIC, fleetTotalQuery, PERIOD, targetDimensions, type ConnectionsMetric } from './connections-metric';
export { latestByUnit, MAX_QUERIES } from './unit-loads';
