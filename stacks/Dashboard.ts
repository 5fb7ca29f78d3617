import { Duration } from 'aws-cdk-lib';
import { Dashboard as CwDashboard, GraphWidget, MathExpression, Metric, TextWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { StackContext } from 'sst/constructs';
import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, FORECAST_METRIC_NAMES } from '../contract/connections';
import { describeObjective, type TargetConfig } from '../core';
import { SCALER_NAMESPACE, SCALER_SERVICE } from '../functions/observability';
import { deployedKind } from './kinds/registry';
import { idOf, scalingConfig } from './scaling-config';

const PERIOD = Duration.minutes(1);

/**
 * One CloudWatch dashboard per target: the fleet's open connections with the published forecast and its
 * upper band, desired and running capacity as the platform reports them beside the controller's own
 * decision, and the controller's decisions by reason code.
 */
export function Dashboard({ stack, app }: StackContext) {
  const dashboards = scalingConfig(app).config.targets.map((target) => {
    const dashboard = new CwDashboard(stack, `${idOf(target.name)}Dashboard`, { dashboardName: `${app.stage}-${target.name}`, defaultInterval: Duration.hours(6) });
    const capacity = deployedKind(target.kind).capacityMetrics(target);
    dashboard.addWidgets(
      new TextWidget({
        markdown: `## ${target.name} (${target.kind}), ${target.minCapacity}-${target.maxCapacity} units\nConnections are the fleet total per minute. The forecast and its band appear once the hourly refresh has run with a predictive policy. A decision's reason code says why capacity is what it is.${tuningNote(target)}`,
        width: 24,
        height: target.objective === undefined ? 2 : 3,
      }),
      new GraphWidget({ title: 'Open connections and forecast', left: connectionsAndForecast(target), width: 12, height: 8 }),
      new GraphWidget({ title: 'Capacity: desired and running', left: [capacity.desired, capacity.running, scalerMetric('DesiredCapacity', target, 'Maximum', 'controller decision')], width: 12, height: 8 }),
      new GraphWidget({ title: 'Decisions by reason code', left: [decisionsByReason(target)], stacked: true, width: 12, height: 6 }),
      new GraphWidget({ title: 'Evaluation failures', left: [scalerMetric('EvaluationFailures', target, 'Sum', 'failures')], width: 12, height: 6 }),
    );
    return dashboard;
  });
  return { dashboards };
}

/** Where a tuned target's settings are told: the daily re-tuning's log line. */
function tuningNote(target: TargetConfig): string {
  if (target.objective === undefined) return '';
  return ` Tuned daily to ${describeObjective(target.objective)}: the Retune function logs each choice as \`tuning chosen\`.`;
}

function connectionsAndForecast(target: TargetConfig): IMetric[] {
  const byTarget = { TargetKind: target.kind, TargetName: target.name };
  const forecast = (metricName: string, label: string) => new Metric({ namespace: CONNECTIONS_METRIC.namespace, metricName, dimensionsMap: byTarget, statistic: 'Average', period: PERIOD, label });
  // As the controller reads it: each unit's average over the minute, summed over the units.
  const search = `SEARCH('{${CONNECTIONS_METRIC.namespace},${CONNECTIONS_DIMENSIONS.byUnit.join(',')}} MetricName="${CONNECTIONS_METRIC.name}" TargetName="${target.name}"', 'Average', 60)`;
  return [
    new MathExpression({ expression: `SUM(${search})`, label: 'connections', period: PERIOD }),
    forecast(FORECAST_METRIC_NAMES.point, 'forecast'),
    forecast(FORECAST_METRIC_NAMES.upper, 'forecast upper band'),
  ];
}

const scalerMetric = (metricName: string, target: TargetConfig, statistic: string, label: string) =>
  new Metric({ namespace: SCALER_NAMESPACE, metricName, dimensionsMap: { service: SCALER_SERVICE, TargetName: target.name }, statistic, period: PERIOD, label });

const decisionsByReason = (target: TargetConfig) =>
  new MathExpression({
    expression: `SEARCH('{${SCALER_NAMESPACE},service,TargetName,Reason} MetricName="Decisions" TargetName="${target.name}"', 'Sum', 60)`,
    label: '',
    period: PERIOD,
  });
