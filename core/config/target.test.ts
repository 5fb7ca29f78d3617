import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { parseControllerConfig, parseTargetConfig } from './target';

const validStep = {
  type: 'ecs-step',
  name: 'spike',
  AdjustmentType: 'ChangeInCapacity',
  StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
};
const validTarget = { name: 'chat', kind: 'ecs-service', minCapacity: 1, maxCapacity: 10, policies: [validStep] };

function problemsOf(input: unknown): Array<{ path: string; message: string; received?: unknown }> {
  try {
    parseTargetConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => ({ ...p }));
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('target configuration', () => {
  it('fills AWS defaults and ours', () => {
    const parsed = parseTargetConfig({ ...validTarget, policies: [validStep, { type: 'target-tracking', name: 'tt', targetPerUnit: 700 }] });
    expect(parsed.warmupSeconds).toBe(300);
    expect(parsed.policies[0]).toMatchObject({ Cooldown: 300, MetricAggregationType: 'Average' });
    expect(parsed.policies[1]).toEqual({
      type: 'target-tracking',
      name: 'tt',
      metric: 'connections',
      targetPerUnit: 700,
      tolerance: 0.1,
      scaleOut: {
        stabilizationSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 60 },
          { type: 'Units', value: 4, periodSeconds: 60 },
        ],
      },
      scaleIn: { stabilizationSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] },
    });
  });

  it('accepts a policy exported from AWS with its own field names', () => {
    const exported = {
      AdjustmentType: 'PercentChangeInCapacity',
      StepAdjustments: [
        { MetricIntervalLowerBound: 0.0, MetricIntervalUpperBound: 10.0, ScalingAdjustment: 0 },
        { MetricIntervalLowerBound: 10.0, ScalingAdjustment: 30 },
      ],
      MinAdjustmentMagnitude: 2,
      MetricAggregationType: 'Maximum',
      EstimatedInstanceWarmup: 120,
    };
    expect(() => parseTargetConfig({ ...validTarget, kind: 'ec2-asg', policies: [{ type: 'ec2-step', name: 'ported', ...exported }] })).not.toThrow();
  });

  it.each([
    { name: 'an unknown key, with its value', input: { ...validTarget, minCapcity: 2 }, expected: { path: 'minCapcity', message: 'unknown key', received: 2 } },
    {
      name: 'a Cooldown on an EC2 step policy (EC2 step policies have none)',
      input: { ...validTarget, kind: 'ec2-asg', policies: [{ ...validStep, type: 'ec2-step', Cooldown: 60 }] },
      expected: { path: 'policies[0].Cooldown', message: 'unknown key', received: 60 },
    },
    {
      name: 'min above max',
      input: { ...validTarget, minCapacity: 5, maxCapacity: 3 },
      expected: { path: 'minCapacity', message: 'minCapacity (5) must not exceed maxCapacity (3)', received: 5 },
    },
    {
      name: 'MinAdjustmentMagnitude without PercentChangeInCapacity',
      input: { ...validTarget, policies: [{ ...validStep, MinAdjustmentMagnitude: 2 }] },
      expected: {
        path: 'policies[0].MinAdjustmentMagnitude',
        message: 'MinAdjustmentMagnitude applies only to AdjustmentType PercentChangeInCapacity, not ChangeInCapacity',
        received: 2,
      },
    },
    {
      name: 'a negative ExactCapacity',
      input: { ...validTarget, policies: [{ ...validStep, AdjustmentType: 'ExactCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: -1 }] }] },
      expected: { path: 'policies[0].StepAdjustments[0].ScalingAdjustment', message: 'ExactCapacity needs a non-negative ScalingAdjustment', received: -1 },
    },
    {
      name: 'overlapping steps, naming them',
      input: {
        ...validTarget,
        policies: [{ ...validStep, StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 }] }],
      },
      expected: { path: 'policies[0].StepAdjustments', message: 'StepAdjustments[0] [0, 20) overlaps StepAdjustments[1] [10, +inf)' },
    },
    {
      name: 'duplicate policy names',
      input: { ...validTarget, policies: [validStep, validStep] },
      expected: { path: 'policies[1].name', message: 'duplicate policy name "spike" (also at index 0)', received: 'spike' },
    },
    {
      name: 'an unknown policy type',
      input: { ...validTarget, policies: [{ ...validStep, type: 'simple' }] },
      expected: { path: 'policies[0].type', message: 'unknown policy type; expected "type" to be one of ec2-step, ecs-step, target-tracking, predictive', received: 'simple' },
    },
    {
      name: 'a non-integer ScalingAdjustment',
      input: { ...validTarget, policies: [{ ...validStep, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1.5 }] }] },
      expected: { path: 'policies[0].StepAdjustments[0].ScalingAdjustment', message: 'must be a whole number from -100,000 to 100,000', received: 1.5 },
    },
    {
      name: 'a kind that is not a name',
      input: { ...validTarget, kind: 'ECS service!' },
      expected: { path: 'kind', message: 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit', received: 'ECS service!' },
    },
    {
      name: 'a target per unit too small to mean anything',
      input: { ...validTarget, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 1e-300 }] },
      expected: { path: 'policies[0].targetPerUnit', message: 'must be from 0.01 to 10,000,000 per unit', received: 1e-300 },
    },
    {
      name: 'connections per unit beyond any server',
      input: { ...validTarget, policies: [{ type: 'predictive', name: 'p', connectionsPerUnit: 1e12 }] },
      expected: { path: 'policies[0].connectionsPerUnit', message: 'must be from 0.01 to 10,000,000 per unit', received: 1e12 },
    },
    {
      name: 'an alarm threshold of 1e308',
      input: { ...validTarget, policies: [{ ...validStep, alarm: { comparison: 'GreaterThanThreshold', threshold: 1e308 } }] },
      expected: { path: 'policies[0].alarm.threshold', message: 'must be a finite number from -1e+12 to 1e+12', received: 1e308 },
    },
    {
      name: 'a warm-up of 1e20 seconds, saying the range',
      input: { ...validTarget, warmupSeconds: 1e20 },
      expected: { path: 'warmupSeconds', message: 'must be a whole number of seconds from 0 to 86,400', received: 1e20 },
    },
    {
      name: 'a maximum capacity beyond any fleet',
      input: { ...validTarget, maxCapacity: 1e9 },
      expected: { path: 'maxCapacity', message: 'must be a whole number of units from 0 to 100,000', received: 1e9 },
    },
    {
      name: 'a rate limit of a million units',
      input: { ...validTarget, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 100, scaleOut: { policies: [{ type: 'Units', value: 1e6, periodSeconds: 60 }] } }] },
      expected: { path: 'policies[0].scaleOut.policies[0].value', received: 1e6 },
    },
    {
      name: 'rate limits missing while a direction is enabled',
      input: { ...validTarget, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 700, scaleIn: { policies: [] } }] },
      expected: { path: 'policies[0].scaleIn.policies', message: 'at least one rate limit is needed unless selectPolicy is Disabled (selectPolicy is Max)', received: [] },
    },
    {
      name: 'two predictive policies that would need different forecasts',
      input: {
        ...validTarget,
        policies: [
          { type: 'predictive', name: 'a', connectionsPerUnit: 1000, bandQuantile: 0.8 },
          { type: 'predictive', name: 'b', connectionsPerUnit: 1000, bandQuantile: 0.95 },
        ],
      },
      expected: { path: 'policies', message: 'the predictive policies of one target share its forecast, so they must have the same bandQuantile (got 0.8, 0.95)' },
    },
    {
      name: 'a band quantile of 1',
      input: { ...validTarget, policies: [{ type: 'predictive', name: 'a', connectionsPerUnit: 1000, bandQuantile: 1 }] },
      expected: { path: 'policies[0].bandQuantile', received: 1 },
    },
  ])('rejects $name', ({ input, expected }) => {
    expect(problemsOf(input)).toContainEqual(expect.objectContaining(expected));
  });

  it('reports a type error and datapointsToAlarm above evaluationPeriods in the same alarm together', () => {
    const alarm = { comparison: 'GreaterThanThreshold', threshold: 'high', evaluationPeriods: 2, datapointsToAlarm: 3 };
    const problems = problemsOf({ ...validTarget, policies: [{ ...validStep, alarm }] });
    expect(problems.map((p) => p.path)).toEqual(['policies[0].alarm.threshold', 'policies[0].alarm.datapointsToAlarm']);
    expect(problems[1]!.message).toBe('datapointsToAlarm (3) must not exceed evaluationPeriods (2)');
  });

  it('reports min above max beside a malformed field', () => {
    const problems = problemsOf({ ...validTarget, minCapacity: 5, maxCapacity: 3, warmupSeconds: 'soon' });
    expect(problems.map((p) => p.path).sort()).toEqual(['minCapacity', 'warmupSeconds']);
  });

  it('reports every problem at once, each with the value received', () => {
    const error = (() => {
      try {
        parseTargetConfig({ name: '', kind: 'ecs-service', minCapacity: -1, maxCapacity: 'ten', policies: [{ ...validStep, AdjustmentType: 'Sideways' }] });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems.map((p) => p.path)).toEqual(['name', 'minCapacity', 'maxCapacity', 'policies[0].AdjustmentType']);
    expect(error.message).toContain('Invalid target configuration: 4 problem(s)');
    expect(error.message).toContain('policies[0].AdjustmentType: Invalid option: expected one of "ChangeInCapacity"|"ExactCapacity"|"PercentChangeInCapacity" (received: "Sideways")');
    expect(error.message).toContain('maxCapacity: Invalid input: expected number, received string (received: "ten")');
  });
});

describe('controller configuration', () => {
  it('rejects two step policies driven by the same alarm', () => {
    const withAlarm = { ...validStep, alarm: { name: 'shared', comparison: 'GreaterThanThreshold', threshold: 1 } };
    const second = { ...validTarget, name: 'other', policies: [withAlarm] };
    expect(() => parseControllerConfig({ targets: [{ ...validTarget, policies: [withAlarm] }, second] })).toThrow(
      'targets[1].policies[0].alarm: alarm name "shared" is already used by targets[0].policies[0]',
    );
  });

  it('defaults dryRun to false and each target resource to empty', () => {
    const parsed = parseControllerConfig({ targets: [validTarget] });
    expect([parsed.dryRun, parsed.targets[0]!.resource]).toEqual([false, {}]);
  });

  it('rejects duplicate target names and an empty list', () => {
    expect(() => parseControllerConfig({ targets: [validTarget, validTarget] })).toThrow('targets[1].name: duplicate target name "chat" (also at index 0)');
    expect(() => parseControllerConfig({ targets: [] })).toThrow('targets: at least one target is required');
  });
});
