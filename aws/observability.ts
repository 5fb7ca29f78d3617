import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Every handler's logs and EMF metrics carry this service, in this namespace (the dashboards read them). */
export const SCALER_SERVICE = 'scaler';
export const SCALER_NAMESPACE = 'Scaler';

/** Every handler logs as the same service, so one query finds a decision whatever triggered it. */
export const createLogger = (): Logger => new Logger({ serviceName: SCALER_SERVICE });

/** Every handler's EMF metrics go to the same namespace. */
export const createMetrics = (): Metrics => new Metrics({ namespace: SCALER_NAMESPACE, serviceName: SCALER_SERVICE });

/** What the handlers need of Powertools Metrics: one EMF record per call, with its own dimensions. */
export type MetricsSink = Pick<Metrics, 'singleMetric'>;

export interface DecisionRecord {
  readonly target: string;
  readonly current: number;
  readonly desired: number;
  readonly reason: string;
  readonly applied: boolean;
}

/** Desired capacity, the change and the reason of one decision, per target (CloudWatch EMF). */
export function recordDecision(metrics: MetricsSink, d: DecisionRecord): void {
  const byTarget = metrics.singleMetric();
  byTarget.addDimensions({ TargetName: d.target });
  byTarget.addMetric('DesiredCapacity', MetricUnit.Count, d.desired);
  const change = metrics.singleMetric();
  change.addDimensions({ TargetName: d.target });
  change.addMetric('CapacityChange', MetricUnit.Count, d.desired - d.current);
  const reason = metrics.singleMetric();
  reason.addDimensions({ TargetName: d.target, Reason: d.reason });
  reason.addMetric('Decisions', MetricUnit.Count, 1);
}

export function recordFailure(metrics: MetricsSink, target: string): void {
  const m = metrics.singleMetric();
  m.addDimensions({ TargetName: target });
  m.addMetric('EvaluationFailures', MetricUnit.Count, 1);
}

export function recordForecast(metrics: MetricsSink, target: string, nextMinute: number): void {
  const m = metrics.singleMetric();
  m.addDimensions({ TargetName: target });
  m.addMetric('ForecastConnections', MetricUnit.Count, nextMinute);
}

/** What one invocation did, as its handler reports it. */
export interface Outcomes {
  readonly decisions?: readonly DecisionRecord[];
  readonly forecasts?: ReadonlyArray<{ readonly target: string; readonly nextMinute: number }>;
  readonly failures?: ReadonlyArray<{ readonly target: string }>;
}

/** Records every decision, forecast and failure of one invocation. */
export function recordOutcomes(metrics: MetricsSink, outcomes: Outcomes): void {
  outcomes.decisions?.forEach((d) => recordDecision(metrics, d));
  outcomes.forecasts?.forEach((f) => recordForecast(metrics, f.target, f.nextMinute));
  outcomes.failures?.forEach((f) => recordFailure(metrics, f.target));
}
