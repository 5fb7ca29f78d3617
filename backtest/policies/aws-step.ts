import { simulatedTarget, type Controller, engineController } from '../../sim';
import { BACKTEST_DEFAULTS } from '../defaults';
import type { BaselineLimits } from './aws-target-tracking';

/**
 * AWS step scaling as a careful user would set it up on ECS: a scale-out alarm at the target after two
 * datapoints, with bigger steps for bigger breaches, and a slow scale-in alarm well below the target.
 */
export function awsStep(limits: BaselineLimits, d = BACKTEST_DEFAULTS.awsStep): Controller {
  const t = limits.targetPerUnit;
  const target = simulatedTarget('aws-step', limits, [
    {
      type: 'ecs-step',
      name: 'scale-out',
      AdjustmentType: 'PercentChangeInCapacity',
      MinAdjustmentMagnitude: 1,
      Cooldown: d.scaleOutCooldownSeconds,
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 0.15 * t, ScalingAdjustment: 20 },
        { MetricIntervalLowerBound: 0.15 * t, MetricIntervalUpperBound: 0.4 * t, ScalingAdjustment: 50 },
        { MetricIntervalLowerBound: 0.4 * t, ScalingAdjustment: 100 },
      ],
      alarm: { comparison: 'GreaterThanOrEqualToThreshold', threshold: t, evaluationPeriods: d.scaleOutDatapoints },
    },
    {
      type: 'ecs-step',
      name: 'scale-in',
      AdjustmentType: 'PercentChangeInCapacity',
      Cooldown: d.scaleInCooldownSeconds,
      StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -10 }],
      alarm: { comparison: 'LessThanThreshold', threshold: t * d.scaleInThresholdRatio, evaluationPeriods: d.scaleInDatapoints },
    },
  ]);
  return engineController(target, d.periodSeconds);
}
