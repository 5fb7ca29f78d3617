import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTraceCsv } from '../sim';
import { fetchMetricHistory, finestPeriod, historyToCsv } from './metric-history';

const cloudwatch = mockClient(CloudWatchClient);
afterEach(() => cloudwatch.reset());

const DAY = 86_400;
const FROM = 1_714_521_600; // 2024-05-01T00:00:00Z
const query = { Id: 'history', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'ActiveConnectionCount', Dimensions: [{ Name: 'LoadBalancer', Value: 'app/chat/1' }] }, Period: 60, Stat: 'Sum' } };
const page = (times: number[], token?: string) => ({
  MetricDataResults: [{ Id: 'history', Timestamps: times.map((t) => new Date(t * 1000)), Values: times.map((t) => (t - FROM) / 60) }],
  ...(token === undefined ? {} : { NextToken: token }),
});

describe('fetchMetricHistory', () => {
  it('follows every page, asking for the same query with each NextToken, oldest first', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce(page([FROM, FROM + 60], 'page-2'))
      .resolvesOnce(page([FROM + 120, FROM + 180], 'page-3'))
      .resolvesOnce(page([FROM + 240]));
    const progress: number[] = [];
    const history = await fetchMetricHistory(new CloudWatchClient({}), { query, from: FROM, to: FROM + 300 }, (done) => progress.push(done));

    expect(history).toEqual({ times: [0, 60, 120, 180, 240].map((s) => FROM + s), values: [0, 1, 2, 3, 4], pages: 3 });
    const inputs = cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual(
      [undefined, 'page-2', 'page-3'].map((NextToken) => ({
        MetricDataQueries: [{ ...query, ReturnData: true }],
        StartTime: new Date(FROM * 1000),
        EndTime: new Date((FROM + 300) * 1000),
        ScanBy: 'TimestampAscending',
        NextToken,
      })),
    );
    expect(progress).toEqual([0.2, 0.6, 0.8, 1]);
  });

  it('leaves out the periods CloudWatch has no data for, so a backtest sees the gap', async () => {
    // Two hours of minutes with the middle hour missing, as CloudWatch returns a metric nothing put to.
    const minutes = [...Array.from({ length: 30 }, (_, i) => FROM + i * 60), ...Array.from({ length: 30 }, (_, i) => FROM + 5400 + i * 60)];
    cloudwatch.on(GetMetricDataCommand).resolves(page(minutes));
    const history = await fetchMetricHistory(new CloudWatchClient({}), { query, from: FROM, to: FROM + 7200 });
    expect(history.times).toHaveLength(60);
    const trace = parseTraceCsv(historyToCsv(history));
    expect(trace.times[30]! - trace.times[29]!).toBe(3660);
  });

  it('writes a CSV every trace command reads back to the same instants', async () => {
    const csv = historyToCsv({ times: [FROM, FROM + 60], values: [12.5, 13] });
    expect(csv).toBe('timestamp,value\n2024-05-01T00:00:00Z,12.5\n2024-05-01T00:01:00Z,13\n');
    expect(parseTraceCsv(csv)).toEqual({ times: [FROM, FROM + 60], values: [12.5, 13] });
  });
});

describe('finestPeriod', () => {
  it.each([
    { daysAgo: 14, period: 60 },
    { daysAgo: 15, period: 60 },
    { daysAgo: 16, period: 300 },
    { daysAgo: 63, period: 300 },
    { daysAgo: 64, period: 3600 },
    { daysAgo: 455, period: 3600 },
    { daysAgo: 456, period: undefined },
  ])('is $period s for data $daysAgo days old', ({ daysAgo, period }) => {
    expect(finestPeriod(FROM - daysAgo * DAY, FROM)).toBe(period);
  });
});
