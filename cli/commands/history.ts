import { writeFileSync } from 'node:fs';
import { CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Command } from 'commander';
import { fleetTotalQuery } from '../../metric-sources';
import { CliInputError, collect, CommandFailedError, isoMinute, parseNumberOption, parseTimeOption } from '../io';
import { fetchMetricHistory, finestPeriod, historyToCsv, RETENTION } from '../metric-history';
import { prepareOutFile } from '../output';
import { progressBar } from '../progress';
import { describeTrace, duration } from '../trace-notes';

interface HistoryCommandOptions {
  chat?: string;
  namespace?: string;
  metric?: string;
  dimension?: string[];
  statistic: string;
  days: number;
  start?: number;
  end?: number;
  period?: number;
  region?: string;
  out?: string;
  quiet?: boolean;
}

const DAY = 86_400;
const MAX_DAYS = RETENTION[2].days;
const STATISTIC = /^(Average|Sum|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d{1,2})?)$/;

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description("Pull a metric's history from CloudWatch (GetMetricData, every page) into a trace CSV for backtest, forecast, replay and tune")
    .option('--chat <target>', "the chat's open connections for a deployed target, named as its stage deploys it: <stage>-realtime-scaler-<name> (Chat/Connections, summed over its units as the controller reads them)")
    .option('--namespace <namespace>', 'any metric: its namespace, e.g. AWS/ApplicationELB')
    .option('--metric <name>', 'its name, e.g. ActiveConnectionCount')
    .option('--dimension <Name=Value>', 'one of its dimensions; repeat for each, e.g. LoadBalancer=app/chat/50dc6c495c0c9188', collect)
    .option('--statistic <stat>', 'Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99', 'Average')
    .option('--days <days>', `how many days back from --end (at most ${MAX_DAYS}: CloudWatch keeps 15 months)`, parseNumberOption('--days', { min: 0, max: MAX_DAYS, above: true }), 14)
    .option('--start <time>', 'start here instead, epoch seconds or ISO 8601', parseTimeOption('--start'))
    .option('--end <time>', 'end here, epoch seconds or ISO 8601 (default: now)', parseTimeOption('--end'))
    .option('--period <seconds>', 'resolution (default: the finest CloudWatch keeps that far back: 60 s for 15 days, 300 s for 63, 3600 s after)', parseNumberOption('--period', { min: 60, max: 86_400, integer: true }))
    .option('--region <region>', 'AWS region (default: from the environment or your AWS config)')
    .option('--out <file>', 'write the CSV here (default: standard output)')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `
Examples:
  scaler history --chat prod-realtime-scaler-chat-fargate --days 14 --out chat.csv   (stage prod)
  scaler history --namespace AWS/ApplicationELB --metric ActiveConnectionCount --statistic Sum \\
    --dimension LoadBalancer=app/chat/50dc6c495c0c9188 --days 60 --out alb.csv

Periods without data are left out, so an outage becomes a gap that backtests neither interpolate nor score.`,
    )
    .action(async (options: HistoryCommandOptions) => {
      const now = Date.now() / 1000;
      const to = options.end ?? now;
      const from = options.start ?? to - options.days * DAY;
      if (!(from < to)) throw new CliInputError(`the history must start (${isoMinute(from)}) before it ends (${isoMinute(to)})`);
      const finest = finestPeriod(from, now);
      if (finest === undefined) throw new CliInputError(`CloudWatch keeps ${MAX_DAYS} days of history; ${isoMinute(from)} is older`);
      const period = options.period ?? finest;
      if (period % 60 !== 0 || period < finest) {
        throw new CliInputError(`--period ${period}: CloudWatch keeps ${duration(finest)} datapoints back to ${isoMinute(from)}; use --period ${finest} or a multiple of it, or start later`);
      }
      const query = metricQuery(options, period);
      const out = options.out === undefined ? undefined : prepareOutFile(options.out);

      // Whole periods only: CloudWatch aligns datapoints to period boundaries.
      const start = Math.floor(from / period) * period;
      const end = Math.floor(to / period) * period;
      const cloudwatch = new CloudWatchClient({ maxAttempts: 5, ...(options.region === undefined ? {} : { region: options.region }) });
      const bar = progressBar('history', { quiet: options.quiet });
      bar.start(100);
      const history = await fetchMetricHistory(cloudwatch, { query, from: start, to: end }, (done) => bar.update(Math.round(100 * done))).catch((error: unknown) => {
        bar.stop();
        throw new CommandFailedError(`CloudWatch GetMetricData failed: ${(error as Error).name}: ${(error as Error).message}`);
      });
      bar.stop();
      if (history.times.length < 2) throw new CommandFailedError(`CloudWatch returned ${history.times.length} datapoint(s) for ${describeQuery(options)} from ${isoMinute(start)} to ${isoMinute(end)} UTC; check the names, dimensions and region`);

      const csv = historyToCsv(history);
      if (out === undefined) process.stdout.write(csv);
      else writeFileSync(out, csv);
      const report = out === undefined ? console.error : console.log;
      report(`${describeQuery(options)} at ${duration(period)} periods, ${history.pages} page(s): ${describeTrace(history)}${out === undefined ? '' : `; wrote ${options.out}`}`);
    });
}

/** The query the options describe at `period`: the chat's fleet total, or one metric's statistic. */
function metricQuery(options: HistoryCommandOptions, period: number): MetricDataQuery {
  const generic = options.namespace !== undefined || options.metric !== undefined || options.dimension !== undefined;
  if (options.chat !== undefined && generic) throw new CliInputError('give either --chat, or --namespace and --metric (with --dimension), not both');
  if (options.chat !== undefined) return fleetTotalQuery({ name: options.chat }, undefined, 'history', period);
  if (options.namespace === undefined || options.metric === undefined) {
    throw new CliInputError('say which metric: --chat <target>, or --namespace and --metric (with a --dimension for each of its dimensions)');
  }
  if (!STATISTIC.test(options.statistic)) throw new CliInputError(`--statistic must be Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99, got ${JSON.stringify(options.statistic)}`);
  const dimensions = (options.dimension ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1 || at === pair.length - 1) throw new CliInputError(`--dimension must be Name=Value, got ${JSON.stringify(pair)}`);
    return { Name: pair.slice(0, at), Value: pair.slice(at + 1) };
  });
  return { Id: 'history', MetricStat: { Metric: { Namespace: options.namespace, MetricName: options.metric, Dimensions: dimensions }, Period: period, Stat: options.statistic } };
}

function describeQuery(options: HistoryCommandOptions): string {
  if (options.chat !== undefined) return `Chat/Connections of ${options.chat}`;
  const dims = (options.dimension ?? []).join(', ');
  return `${options.namespace}/${options.metric} ${options.statistic}${dims ? ` (${dims})` : ''}`;
}
