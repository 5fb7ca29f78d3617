import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { EpochSeconds, Forecast, TargetConfig } from '../../core';
import { FORECAST_METRIC_NAMES } from '../../contract/connections';
import type { ForecastSink } from '../../controller';
import { DEFAULT_CONNECTIONS_METRIC, targetDimensions, type ConnectionsMetric } from './connections-metric';

/** PutMetricData takes at most 1,000 datums (we send fewer, to stay far below 1 MB). */
const PUT_BATCH = 500;
/** CloudWatch accepts datapoints at most two hours ahead. */
const MAX_FUTURE_SECONDS = 2 * 3600;

/** Publishes the forecast to CloudWatch, beside the metric it forecasts. */
export class CloudWatchForecastSink implements ForecastSink {
  constructor(
    private readonly cloudwatch: Pick<CloudWatchClient, 'send'>,
    private readonly metric: Pick<ConnectionsMetric, 'namespace'> = DEFAULT_CONNECTIONS_METRIC,
  ) {}

  /**
   * Publishes a forecast beside the real metric (ConnectionsForecast and ConnectionsForecastUpper), the
   * steps from `from` until `until` (at most two hours ahead, as CloudWatch accepts), in batches.
   * Returns how many datapoints were sent.
   */
  async putForecast(target: TargetConfig, forecast: Forecast, { from, until }: { readonly from: EpochSeconds; readonly until: EpochSeconds }): Promise<number> {
    const dimensions = targetDimensions(target);
    const data: MetricDatum[] = [];
    forecast.point.forEach((point, i) => {
      const time = forecast.start + i * forecast.stepSeconds;
      if (time < from || time >= Math.min(until, from + MAX_FUTURE_SECONDS)) return;
      const Timestamp = new Date(time * 1000);
      data.push({ MetricName: FORECAST_METRIC_NAMES.point, Dimensions: dimensions, Timestamp, Value: point, Unit: 'Count' });
      data.push({ MetricName: FORECAST_METRIC_NAMES.upper, Dimensions: dimensions, Timestamp, Value: forecast.upper[i]!, Unit: 'Count' });
    });
    for (let i = 0; i < data.length; i += PUT_BATCH) {
      await this.cloudwatch.send(new PutMetricDataCommand({ Namespace: this.metric.namespace, MetricData: data.slice(i, i + PUT_BATCH) }));
    }
    return data.length;
  }
}
