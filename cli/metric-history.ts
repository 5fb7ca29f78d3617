import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { EpochSeconds } from '../core';

const DAY = 86_400;

/**
 * What CloudWatch keeps, finest first: 1-minute datapoints for 15 days, 5-minute ones for 63 days,
 * hourly ones for 455 days (15 months).
 */
export const RETENTION = [
  { periodSeconds: 60, days: 15 },
  { periodSeconds: 300, days: 63 },
  { periodSeconds: 3600, days: 455 },
] as const;

/** The finest period CloudWatch still keeps for data as old as `from`, at `now`; undefined past 15 months. */
export function finestPeriod(from: EpochSeconds, now: EpochSeconds): number | undefined {
  const ageDays = (now - from) / DAY;
  return RETENTION.find((r) => ageDays <= r.days)?.periodSeconds;
}

export interface HistoryRequest {
  /** The one query whose values make the trace (a MetricStat, or an expression such as SUM(SEARCH(...))). */
  readonly query: MetricDataQuery;
  readonly from: EpochSeconds;
  readonly to: EpochSeconds;
}

export interface MetricHistory {
  readonly times: EpochSeconds[];
  readonly values: number[];
  /** GetMetricData calls made: one per page. */
  readonly pages: number;
}

/**
 * Every datapoint of the query between `from` and `to`, oldest first, following NextToken across pages.
 * CloudWatch leaves out the periods without data; they stay out (a trace's gaps). `onProgress` gets the
 * share of the span read so far after each page.
 */
export async function fetchMetricHistory(cloudwatch: Pick<CloudWatchClient, 'send'>, request: HistoryRequest, onProgress?: (done: number) => void): Promise<MetricHistory> {
  const points = new Map<number, number>();
  let NextToken: string | undefined;
  let pages = 0;
  do {
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ ...request.query, ReturnData: true }],
        StartTime: new Date(request.from * 1000),
        EndTime: new Date(request.to * 1000),
        ScanBy: 'TimestampAscending',
        NextToken,
      }),
    );
    pages++;
    const result = out.MetricDataResults?.find((r) => r.Id === request.query.Id);
    result?.Timestamps?.forEach((time, i) => {
      const value = result.Values?.[i];
      if (value !== undefined && Number.isFinite(value)) points.set(time.getTime() / 1000, value);
    });
    const last = result?.Timestamps?.at(-1);
    if (last !== undefined) onProgress?.(Math.min(1, (last.getTime() / 1000 - request.from) / Math.max(1, request.to - request.from)));
    NextToken = out.NextToken;
  } while (NextToken);
  onProgress?.(1);
  const times = [...points.keys()].sort((a, b) => a - b);
  return { times, values: times.map((t) => points.get(t)!), pages };
}

/** The history as a trace CSV: ISO 8601 UTC timestamps, as every trace command reads them. */
export function historyToCsv(history: Pick<MetricHistory, 'times' | 'values'>): string {
  const lines = ['timestamp,value'];
  history.times.forEach((t, i) => lines.push(`${new Date(t * 1000).toISOString().replace('.000Z', 'Z')},${history.values[i]}`));
  return `${lines.join('\n')}\n`;
}
