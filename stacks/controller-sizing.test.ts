import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../core';
import { reservedConcurrency } from './controller-sizing';

const step = (name: string, type: string) => ({
  type,
  name,
  AdjustmentType: 'ChangeInCapacity',
  StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
  alarm: { comparison: 'GreaterThanThreshold', threshold: 100 },
});
const fargate = (name: string, alarms: number) => ({
  name,
  kind: 'ecs-service',
  resource: { cluster: 'c', service: name },
  minCapacity: 1,
  maxCapacity: 50,
  policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 500 }, ...Array.from({ length: alarms }, (_, i) => step(`s${i}`, 'ecs-step'))],
});
const group = (name: string, maxCapacity: number) => ({
  name,
  kind: 'ec2-asg',
  resource: { autoScalingGroupName: name },
  minCapacity: 1,
  maxCapacity,
  policies: [step('out', 'ec2-step')],
});

describe('reserved concurrency', () => {
  it.each([
    { name: 'one service, no alarm', targets: [fargate('a', 0)], expected: { Evaluate: 2, OnAlarm: 1, RefreshForecast: 1, Retune: 1, DrainInstance: 1 } },
    { name: 'alarms add alarm handlers', targets: [fargate('a', 2), fargate('b', 3)], expected: { Evaluate: 2, OnAlarm: 5, RefreshForecast: 1, Retune: 1, DrainInstance: 1 } },
    { name: 'groups add a drain for each instance they may have', targets: [fargate('a', 1), group('g1', 10), group('g2', 25)], expected: { Evaluate: 2, OnAlarm: 3, RefreshForecast: 1, Retune: 1, DrainInstance: 35 } },
  ])('$name', ({ targets, expected }) => {
    expect(reservedConcurrency(parseControllerConfig({ targets }))).toEqual(expected);
  });

  it('does not grow the evaluation with the targets: one invocation evaluates them all', () => {
    const many = parseControllerConfig({ targets: Array.from({ length: 100 }, (_, i) => fargate(`t${i}`, 0)) });
    expect(reservedConcurrency(many).Evaluate).toBe(2);
  });
});
