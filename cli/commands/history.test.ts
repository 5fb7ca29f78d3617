import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTraceCsv } from '../../sim';
import { main } from '../main';

const cloudwatch = mockClient(CloudWatchClient);
const work = mkdtempSync(join(tmpdir(), 'scaler-history-'));
const DAY = 86_400;
let printed: string[];
let errors: string[];

beforeEach(() => {
  printed = [];
  errors = [];
  vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
  process.env.AWS_REGION = 'eu-west-1';
});
afterEach(() => {
  cloudwatch.reset();
  vi.restoreAllMocks();
});

/** CloudWatch answering every query with `count` datapoints a `period` apart from the request's start. */
function answering(count: (from: number, to: number, period: number) => number[]) {
  cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
    const from = input.StartTime.getTime() / 1000;
    const to = input.EndTime.getTime() / 1000;
    const q = input.MetricDataQueries[0];
    const period = q.MetricStat?.Period ?? Number(/, (\d+)\)\)$/.exec(q.Expression)![1]);
    const times = count(from, to, period);
    return { MetricDataResults: [{ Id: q.Id, Timestamps: times.map((t) => new Date(t * 1000)), Values: times.map((_, i) => 100 + i) }] };
  });
}
const every = (from: number, to: number, period: number) => Array.from({ length: Math.floor((to - from) / period) }, (_, i) => from + i * period);

describe('scaler history', () => {
  it("reads the chat's connections for a target as the controller does, at 1 minute for 14 days, into a trace CSV", async () => {
    answering(every);
    const out = join(work, 'chat.csv');
    expect(await main(['history', '--chat', 'chat-fargate', '--days', '14', '--out', out, '--quiet'])).toBe(0);

    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(input.MetricDataQueries).toEqual([
      { Id: 'history', Expression: `SUM(SEARCH('{Chat,TargetName,UnitId} MetricName="Connections" TargetName="chat-fargate"', 'Average', 60))`, ReturnData: true },
    ]);
    expect((input.EndTime!.getTime() - input.StartTime!.getTime()) / 1000).toBe(14 * DAY);
    expect(input.StartTime!.getTime() % 60_000).toBe(0);
    const trace = parseTraceCsv(readFileSync(out, 'utf8'));
    expect(trace.times).toHaveLength(14 * 1440);
    expect(printed.join('\n')).toMatch(/^Chat\/Connections of chat-fargate at 60 s periods, 1 page\(s\): 20,160 samples every 60 s, 14\.00 days from .* UTC; wrote /);
  });

  it('takes any metric with its dimensions and statistic, at 5 minutes when it reaches back past 15 days, and reports gaps', async () => {
    const missing = (t: number, from: number) => t >= from + 10 * DAY && t < from + 11 * DAY;
    answering((from, to, period) => every(from, to, period).filter((t) => !missing(t, from)));
    const out = join(work, 'alb.csv');
    const args = ['history', '--namespace', 'AWS/ApplicationELB', '--metric', 'ActiveConnectionCount', '--statistic', 'Sum', '--dimension', 'LoadBalancer=app/chat/50dc', '--days', '30', '--out', out, '-q'];
    expect(await main(args)).toBe(0);

    const query = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries![0];
    expect(query).toEqual({
      Id: 'history',
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'ActiveConnectionCount', Dimensions: [{ Name: 'LoadBalancer', Value: 'app/chat/50dc' }] }, Period: 300, Stat: 'Sum' },
      ReturnData: true,
    });
    expect(printed.join('\n')).toContain('samples every 5 min, 30.00 days');
    expect(printed.join('\n')).toMatch(/1 gap\(s\) of 20 min or more, 24 h in all, are missing data/);
  });

  it('writes to standard output when there is no --out, and its report to stderr', async () => {
    answering(every);
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    expect(await main(['history', '--chat', 'chat', '--days', '0.5', '-q'])).toBe(0);
    expect(written.join('').split('\n')[0]).toBe('timestamp,value');
    expect(parseTraceCsv(written.join('')).times).toHaveLength(12 * 60);
    expect(errors.join('\n')).toContain('samples every 60 s');
  });

  it.each([
    { name: 'no metric named', args: ['history'], message: 'say which metric: --chat <target>, or --namespace and --metric' },
    { name: 'both kinds of metric', args: ['history', '--chat', 'c', '--namespace', 'N', '--metric', 'M'], message: 'give either --chat, or --namespace and --metric' },
    { name: 'a dimension without a value', args: ['history', '--namespace', 'N', '--metric', 'M', '--dimension', 'LoadBalancer'], message: '--dimension must be Name=Value, got "LoadBalancer"' },
    { name: 'an unknown statistic', args: ['history', '--namespace', 'N', '--metric', 'M', '--statistic', 'Median'], message: '--statistic must be Average, Sum, Minimum, Maximum, SampleCount or a percentile' },
    { name: 'more than CloudWatch keeps', args: ['history', '--chat', 'c', '--days', '500'], message: '--days must be a number > 0 and <= 455, got "500"' },
    { name: '1-minute periods older than 15 days', args: ['history', '--chat', 'c', '--days', '20', '--period', '60'], message: '--period 60: CloudWatch keeps 5 min datapoints back to' },
    { name: 'an --out that is a directory', args: ['history', '--chat', 'c', '--out', tmpdir()], message: `--out ${tmpdir()} is a directory; give a file name` },
  ])('refuses $name before calling CloudWatch', async ({ args, message }) => {
    answering(every);
    expect(await main(args)).toBe(1);
    expect(errors.join('\n')).toContain(message);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('fails with exit 1 when CloudWatch has nothing for the query', async () => {
    answering(() => []);
    expect(await main(['history', '--chat', 'nobody', '--days', '1', '-q'])).toBe(1);
    expect(errors.join('\n')).toContain('CommandFailed: CloudWatch returned 0 datapoint(s) for Chat/Connections of nobody');
  });

  it('fails with exit 1, in one line, when CloudWatch refuses', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied' }));
    expect(await main(['history', '--chat', 'c', '--days', '1', '-q'])).toBe(1);
    expect(errors.join('\n')).toContain('CommandFailed: CloudWatch GetMetricData failed: AccessDenied: User is not authorized');
  });
});
