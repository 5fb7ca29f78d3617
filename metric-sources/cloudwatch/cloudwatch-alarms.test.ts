import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchAlarms } from './cloudwatch-alarms';

const cloudwatch = mockClient(CloudWatchClient);
afterEach(() => cloudwatch.reset());

describe('CloudWatch alarms', () => {
  const alarms = new CloudWatchAlarms(new CloudWatchClient({}));

  it('returns only alarms in ALARM, with their datapoints, asking 100 names at a time', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'a1', Threshold: 5, StateReasonData: '{"recentDatapoints":[6,7]}' }] });
    const names = Array.from({ length: 150 }, (_, i) => `a${i}`);
    const firing = await alarms.firingAlarms(names);
    expect([...firing.keys()]).toEqual(['a1']);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length)).toEqual([100, 50]);
  });
});
