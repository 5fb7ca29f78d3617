import type { Redis } from 'ioredis';
import type { AlarmDefinition, AlarmObservation, EpochSeconds, Forecast, TargetConfig } from '../../core';
import { HEARTBEAT_KEYS, HEARTBEAT_TTL_INTERVALS, PUBLISH_SECONDS } from '../../contract/connections';
import { readFleet, readMinutes } from '../../contract/heartbeat';
import { AdapterError, type AlarmReader, type ForecastSink, type MetricReader, type Series, type UnitLoads } from '../../controller';

type HeartbeatRedis = Pick<Redis, 'smembers' | 'mget' | 'srem' | 'hgetall' | 'set'>;

/** How long a published forecast stays readable in Redis: its hour and the next. */
const FORECAST_TTL_SECONDS = 2 * 3600;

/**
 * The open connections as the chat nodes' heartbeats in Redis give them, with no metric service between:
 * the live total now (each node's last heartbeat, at most a few publish intervals old), the per-minute
 * history the nodes add to as they beat, and each node's own count for a scale-in.
 */
export class HeartbeatConnections implements MetricReader, UnitLoads, ForecastSink, AlarmReader {
  constructor(private readonly redis: HeartbeatRedis) {}

  /** Every live node of the target; none at all is an error, never a zero that would scale the fleet in. */
  async latest(target: TargetConfig): Promise<number> {
    const fleet = await readFleet(this.redis, target.name);
    if (fleet.nodes.length === 0) {
      const seconds = PUBLISH_SECONDS * HEARTBEAT_TTL_INTERVALS;
      throw new AdapterError(`no chat node of target ${target.name} has sent a heartbeat to Redis in the last ${seconds} s (nodes join a target with CHAT_SERVICE_NAME=${target.name})`);
    }
    return fleet.connections;
  }

  grid(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<Series> {
    return readMinutes(this.redis, target.name, from, to);
  }

  async connectionsByUnit(target: TargetConfig, units: readonly string[]): Promise<Map<string, number>> {
    const byNode = new Map((await readFleet(this.redis, target.name)).nodes.map((n) => [n.nodeId, n.connections]));
    return new Map(units.map((unit) => [unit, byNode.get(unit) ?? 0]));
  }

  /** Kept in Redis beside the heartbeats, for whatever dashboard reads them. */
  async putForecast(target: TargetConfig, forecast: Forecast, { from, until }: { readonly from: EpochSeconds; readonly until: EpochSeconds }): Promise<number> {
    const steps = forecast.point.flatMap((point, i) => {
      const at = forecast.start + i * forecast.stepSeconds;
      return at >= from && at < until ? [{ at, point, upper: forecast.upper[i] }] : [];
    });
    await this.redis.set(HEARTBEAT_KEYS.forecast(target.name), JSON.stringify(steps), 'EX', FORECAST_TTL_SECONDS);
    return 2 * steps.length;
  }

  // The heartbeats carry no alarms: a configuration with an alarm policy on this source is refused.
  async alarmDatapoints(_target: TargetConfig, _alarm: AlarmDefinition): Promise<number[]> {
    return [];
  }

  async firingAlarms(): Promise<Map<string, AlarmObservation>> {
    return new Map();
  }
}
