import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { AlarmReader, ForecastSink, MetricReaders, UnitLoads } from '../controller';

/** The clients a source may read with, made on first use: a deployment only makes the ones its source asks for. */
export interface SourceClients {
  cloudwatch(): Pick<CloudWatchClient, 'send'>;
  /** A Redis client on `url`, or on the deployment's own (REDIS_URL) where the configuration names none. */
  redis(url: string | undefined): Redis;
}

/** Every metric seam of the controller, from one source. */
export interface MetricSeams {
  readonly metrics: MetricReaders;
  readonly alarms: AlarmReader;
  readonly forecastSink: ForecastSink;
  readonly unitLoads: UnitLoads;
}

/**
 * Where the controller reads what the chat nodes report: one folder each, one line in the list. A
 * configuration's `metricSource` names one (`{ "type": "redis-heartbeat" }`), with its options beside.
 */
export interface MetricSource<O extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** What the configuration's `metricSource` carries beside `type`; unknown keys are refused. */
  readonly options: O;
  /** The metric names policies and alarms may read from it. */
  readonly metrics: readonly string[];
  /** Whether it evaluates the step policies' alarms; where it does not, a policy with an alarm is refused. */
  readonly alarms: boolean;
  connect(options: z.output<O>, clients: SourceClients): MetricSeams;
  /** The IAM actions its reads need (on `*`: metric reads cannot be scoped to a resource); none off AWS. */
  readonly readActions: readonly string[];
}

/** A source, with its options' type checked against its connect. */
export const defineMetricSource = <O extends z.ZodType>(source: MetricSource<O>): MetricSource<O> => source;
