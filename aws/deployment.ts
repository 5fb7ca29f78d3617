import type { Deployment } from '../controller';
import { targetProblems } from '../kinds';
import { cloudwatch, metricSourceOf } from '../metric-sources';

/** The metric sources the Lambda controller reads: CloudWatch, which its functions reach without a VPC. */
export const AWS_SOURCES: readonly string[] = [cloudwatch.name];

/** What the deployed controller can run on AWS: the kinds with an adapter, the metrics CloudWatch holds. */
export const AWS_DEPLOYMENT: Deployment = {
  targetProblems,
  metricSource: (config) => metricSourceOf(config, AWS_SOURCES),
};
