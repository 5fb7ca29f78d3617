import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../core';
import { AdapterError } from '../../controller';
import { CloudWatchConnections } from './cloudwatch-connections';

const cloudwatch = mockClient(CloudWatchClient);
afterEach(() => cloudwatch.reset());
const target = (kind: string, resource: Record<string, string>) =>
  parseTargetConfig({ name: 'chat', kind, resource, minCapacity: 1, maxCapacity: 9, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 700 }] });

describe('CloudWatch metrics', () => {
  const metrics = new CloudWatchConnections(new CloudWatchClient({}));
  const ecsTarget = target('ecs-service', { cluster: 'c', service: 's' });

  it("reads the fleet total as the sum of the units' minute averages, following every page", async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(60_000)], Values: [100] }], NextToken: 'page-2' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(120_000)], Values: [200] }] });
    expect(await metrics.history(ecsTarget, 0, 180)).toEqual({ times: [60, 120], values: [100, 200] });
    expect(cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries).toEqual([
      { Id: 'connections', Expression: `SUM(SEARCH('{Chat,TargetName,UnitId} MetricName="Connections" TargetName="chat"', 'Average', 60))`, ReturnData: true },
    ]);
  });

  it('a minute whose last 20 s are not yet ingested counts every unit in full (the issue 23 undercount)', async () => {
    // CloudWatch as it stands 5 s after 10:01: three units put their count every 10 s, and of the minute
    // 10:00-10:01 only the datapoints of its first 40 s are in. It answers a by-target Sum, or the search.
    const units = { a: 1000, b: 1200, c: 1800 };
    const start = Date.parse('2026-11-22T10:00:00Z');
    const ingested = Object.entries(units).flatMap(([unit, value]) => [0, 10, 20, 30].map((s) => ({ unit, value, at: start + s * 1000 })));
    cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
      const query = input.MetricDataQueries[0];
      const Timestamps = [new Date(start)];
      if (query.MetricStat?.Stat === 'Sum') return { MetricDataResults: [{ Id: query.Id, Timestamps, Values: [ingested.reduce((sum, d) => sum + d.value, 0)] }] };
      const averages = Object.keys(units).map((unit) => {
        const mine = ingested.filter((d) => d.unit === unit);
        return mine.reduce((sum, d) => sum + d.value, 0) / mine.length;
      });
      return { MetricDataResults: [{ Id: query.Id, Timestamps, Values: [averages.reduce((a, b) => a + b, 0)] }] };
    });
    expect(await metrics.latest(ecsTarget, (start + 65_000) / 1000)).toBe(4000);
  });

  it('asks for the newest complete minutes and takes the latest', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(1_000_000 * 1000), new Date(999_940 * 1000)], Values: [1000, 10] }] });
    expect(await metrics.latest(ecsTarget, 1_000_030)).toBe(1000);
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    // floor(1,000,030 / 60) * 60 = 1,000,020: the minute in progress is left out.
    expect([input.StartTime, input.EndTime]).toEqual([new Date((1_000_020 - 300) * 1000), new Date(1_000_020 * 1000)]);
  });

  it('says which metric is missing', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await expect(metrics.latest(ecsTarget, 1_000_000)).rejects.toThrow(AdapterError);
  });

  describe('the fleet total read unit by unit, for the units the platform runs', () => {
    // CloudWatch 20 s into 10:05, just after a scale-out from 2 units to 3: unit c put its first count 10 s
    // ago, and a search does not list its metric yet (listings may lag new metrics by up to 15 minutes).
    const now = Date.parse('2026-11-22T10:05:20Z') / 1000;
    const perMinute: Record<string, Array<[string, number]>> = {
      a: [['10:05', 900], ['10:04', 950]],
      b: [['10:05', 800], ['10:04', 820]],
      c: [['10:05', 300]],
    };
    const answer = (input: { MetricDataQueries: Array<{ Id: string; Expression?: string; MetricStat?: { Metric: { Dimensions: Array<{ Name: string; Value: string }> } } }> }) => {
      const first = input.MetricDataQueries[0]!;
      const listed = ['a', 'b'];
      if (first.Expression !== undefined) return { MetricDataResults: [{ Id: first.Id, Timestamps: [new Date('2026-11-22T10:04:00Z')], Values: [listed.reduce((sum, u) => sum + perMinute[u]![1]![1], 0)] }] };
      return {
        MetricDataResults: input.MetricDataQueries.map((q) => {
          const unit = q.MetricStat!.Metric.Dimensions.find((d) => d.Name === 'UnitId')!.Value;
          const points = perMinute[unit] ?? [];
          return { Id: q.Id, Timestamps: points.map(([at]) => new Date(`2026-11-22T${at}:00Z`)), Values: points.map(([, v]) => v) };
        }),
      };
    };

    it('counts a new unit from its first datapoint, where the search leaves it out', async () => {
      cloudwatch.on(GetMetricDataCommand).callsFake(answer);
      expect(await metrics.latest(ecsTarget, now)).toBe(950 + 820);
      expect(await metrics.latest(ecsTarget, now, ['a', 'b', 'c'])).toBe(900 + 800 + 300);
      const byUnit = cloudwatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input;
      expect(byUnit.MetricDataQueries!.map((q) => [q.Id, q.MetricStat?.Stat, q.MetricStat?.Metric?.Dimensions?.map((d) => d.Value).join('/')])).toEqual([
        ['u0', 'Average', 'chat/a'],
        ['u1', 'Average', 'chat/b'],
        ['u2', 'Average', 'chat/c'],
      ]);
      // The minute in progress is read too: it may hold a new unit's only datapoint.
      expect([byUnit.StartTime, byUnit.EndTime, byUnit.ScanBy]).toEqual([new Date('2026-11-22T10:00:00Z'), new Date('2026-11-22T10:06:00Z'), 'TimestampDescending']);
    });

    it('a running unit with no datapoint yet counts as empty, but no datapoint from any unit is an error, never zero', async () => {
      cloudwatch.on(GetMetricDataCommand).callsFake(answer);
      expect(await metrics.latest(ecsTarget, now, ['a', 'd'])).toBe(900);
      await expect(metrics.latest(ecsTarget, now, ['d', 'e'])).rejects.toThrow('no Chat/Connections datapoint from any of the 2 running unit(s) of target chat in the last 5 minutes');
    });

    it('asks 500 units a call at most', async () => {
      cloudwatch.on(GetMetricDataCommand).callsFake((input) => ({ MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({ Id: q.Id, Timestamps: [new Date(now * 1000)], Values: [2] })) }));
      const units = Array.from({ length: 1201 }, (_, i) => `u-${i}`);
      expect(await metrics.latest(ecsTarget, now, units)).toBe(2 * 1201);
      expect(cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.length)).toEqual([500, 500, 201]);
    });
  });
});
