import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard as CwDashboard, GraphWidget, MathExpression, Metric, TextWidget, type IMetric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { use, type Function, type StackContext } from 'sst/constructs';
import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, FORECAST_METRIC_NAMES } from '../contract/connections';
import { describeObjective, type TargetConfig } from '../core';
import { SCALER_NAMESPACE, SCALER_SERVICE } from '../aws';
import { Controller } from './Controller';
import { capacityMetrics } from './kind-deploy';
import { scalingConfig, stageFreeId } from './scaling-config';

const PERIOD = Duration.minutes(1);

/**
 * One CloudWatch dashboard per target: the fleet's open connections with the published forecast and its
 * upper band, desired and running capacity as the platform reports them beside the controller's own
 * decision, the controller's decisions by reason code, and the controller's own health: its alerts, its
 * dead-letter queue, and its functions' errors and throttles.
 */
export function Dashboard({ stack, app }: StackContext) {
  const health = controllerHealth(use(Controller));
  const dashboards = scalingConfig(app).config.targets.map((target) => {
    const dashboard = new CwDashboard(stack, `${stageFreeId(stack, target.name)}Dashboard`, { dashboardName: target.name, defaultInterval: Duration.hours(6) });
    const capacity = capacityMetrics(target);
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
      ...health,
    );
    return dashboard;
  });
  return { dashboards };
}

/** The controller's own health, the same on every target's dashboard: what its alerts watch. */
function controllerHealth(controller: ReturnType<typeof Controller>): IWidget[] {
  const functions = Object.entries(controller.functions).filter((e): e is [string, Function] => e[1] !== undefined);
  const perFunction = (metric: (fn: Function) => Metric) => functions.map(([, fn]) => metric(fn).with({ label: fn.node.id, period: PERIOD }));
  return [
    new AlarmStatusWidget({ title: 'Controller alerts', alarms: controller.alerts.alarms, width: 24, height: 2 }),
    new GraphWidget({ title: 'Controller: failed events (dead-letter queue)', left: [controller.failed.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'failed events' })], width: 8, height: 6 }),
    new GraphWidget({ title: 'Controller: function errors', left: perFunction((fn) => fn.metricErrors()), width: 8, height: 6 }),
    new GraphWidget({ title: 'Controller: function throttles', left: perFunction((fn) => fn.metricThrottles()), width: 8, height: 6 }),
  ];
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
