import type { Deployment } from '../controller';
import { targetProblems } from '../kinds';
import { METRIC_NAMES } from './metric-sources';

/** What the deployed controller can run on AWS: the kinds with an adapter, the metrics with a source. */
export const AWS_DEPLOYMENT: Deployment = { targetProblems, metrics: METRIC_NAMES };
