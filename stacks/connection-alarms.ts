import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, dimensions, PUBLISH_SECONDS } from '../contract/connections';
import { alarmsOf, type AlarmDefinition, type TargetConfig } from '../core';
import { idOf, stageFreeId } from './scaling-config';

/**
 * The CloudWatch alarm of each step policy that defines one, as the configuration defines it, on the
 * connections every node of the target publishes. `Average` is per node; `Sum` means the fleet total, so
 * the raw sum of the period's datapoints is scaled back by the publish interval (as the controller reads
 * it when an event carries no datapoints). Missing data neither breaches nor counts, as in the backtest.
 * A step policy without a definition is driven by an alarm of that name that the user keeps themselves.
 */
export function connectionAlarms(scope: Construct, target: TargetConfig): Alarm[] {
  return alarmsOf(target).flatMap(({ policy, name, definition }) =>
    definition === undefined
      ? []
      : [
          new Alarm(scope, `${stageFreeId(scope, target.name)}${idOf(policy.name)}Alarm`, {
            alarmName: name,
            alarmDescription: `${target.name}: drives the ${policy.type} policy "${policy.name}"`,
            metric: connections(target, definition),
            threshold: definition.threshold,
            comparisonOperator: ComparisonOperator[OPERATORS[definition.comparison]],
            evaluationPeriods: definition.evaluationPeriods,
            datapointsToAlarm: definition.datapointsToAlarm ?? definition.evaluationPeriods,
            treatMissingData: TreatMissingData.MISSING,
          }),
        ],
  );
}

const OPERATORS = {
  GreaterThanOrEqualToThreshold: 'GREATER_THAN_OR_EQUAL_TO_THRESHOLD',
  GreaterThanThreshold: 'GREATER_THAN_THRESHOLD',
  LessThanThreshold: 'LESS_THAN_THRESHOLD',
  LessThanOrEqualToThreshold: 'LESS_THAN_OR_EQUAL_TO_THRESHOLD',
} as const satisfies Record<AlarmDefinition['comparison'], keyof typeof ComparisonOperator>;

function connections(target: TargetConfig, alarm: AlarmDefinition) {
  const period = Duration.seconds(alarm.periodSeconds);
  const dimensionsMap = Object.fromEntries(dimensions(CONNECTIONS_DIMENSIONS.byTarget, { TargetKind: target.kind, TargetName: target.name }).map((d) => [d.Name, d.Value]));
  const metric = new Metric({ namespace: CONNECTIONS_METRIC.namespace, metricName: CONNECTIONS_METRIC.name, dimensionsMap, statistic: alarm.statistic, period });
  if (alarm.statistic !== 'Sum') return metric;
  return new MathExpression({ expression: `raw * ${PUBLISH_SECONDS} / ${alarm.periodSeconds}`, usingMetrics: { raw: metric }, period, label: 'fleet connections' });
}
