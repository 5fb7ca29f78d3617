import { describe, expect, it } from 'vitest';
import { findStep, stepIntervalProblems, type StepAdjustment } from './intervals';

const step = (lo: number | undefined, hi: number | undefined, adj = 1): StepAdjustment => ({
  ...(lo === undefined ? {} : { MetricIntervalLowerBound: lo }),
  ...(hi === undefined ? {} : { MetricIntervalUpperBound: hi }),
  ScalingAdjustment: adj,
});

// AWS's documented pair of policies for threshold 50, written as one table.
const awsExample = [step(0, 10, 0), step(10, 20, 10), step(20, undefined, 30), step(-10, 0, 0), step(-20, -10, -10), step(undefined, -20, -30)];

describe('findStep uses AWS bound semantics', () => {
  it.each([
    { name: 'above the threshold the lower bound is inclusive', delta: 10, expected: 10 },
    { name: 'above the threshold the upper bound is exclusive', delta: 19.999, expected: 10 },
    { name: 'the open-ended top step catches everything above', delta: 1e9, expected: 30 },
    { name: 'below the threshold the upper bound is inclusive', delta: -10, expected: -10 },
    { name: 'below the threshold the lower bound is exclusive', delta: -20, expected: -30 },
    { name: 'the open-ended bottom step catches everything below', delta: -1e9, expected: -30 },
    { name: 'exactly at the threshold the step starting at 0 applies', delta: 0, expected: 0 },
  ])('$name (delta $delta)', ({ delta, expected }) => {
    expect(findStep(awsExample, delta)?.ScalingAdjustment).toBe(expected);
  });

  it('at the threshold, a scale-in policy uses the step ending at 0', () => {
    expect(findStep([step(-10, 0, -1), step(undefined, -10, -2)], 0)?.ScalingAdjustment).toBe(-1);
  });

  it('finds nothing when no step covers the breach, as AWS reports', () => {
    expect(findStep([step(0, undefined, 1)], -0.5)).toBeUndefined();
  });
});

describe('stepIntervalProblems enforces the rules AWS enforces', () => {
  it.each([
    { name: 'the AWS example', steps: awsExample },
    { name: 'a single open-ended scale-out step', steps: [step(0, undefined)] },
    { name: 'a single open-ended scale-in step', steps: [step(undefined, 0, -1)] },
    { name: 'steps that do not start at the threshold', steps: [step(5, 10), step(10, undefined)] },
    { name: 'steps in any order', steps: [step(10, undefined), step(0, 10)] },
  ])('accepts $name', ({ steps }) => {
    expect(stepIntervalProblems(steps)).toEqual([]);
  });

  it.each([
    { name: 'overlapping steps', steps: [step(0, 15), step(10, undefined)], message: 'StepAdjustments[0] [0, 15) overlaps StepAdjustments[1] [10, +inf)' },
    { name: 'a gap between steps', steps: [step(0, 10), step(20, undefined)], message: 'gap between StepAdjustments[0] [0, 10) and StepAdjustments[1] [20, +inf): no step covers 10 to 20' },
    { name: 'two steps without a lower bound', steps: [step(undefined, -10, -2), step(undefined, 0, -1)], message: 'at most one step may have no MetricIntervalLowerBound, but StepAdjustments[0] (-inf, -10] and StepAdjustments[1] (-inf, 0] have none' },
    { name: 'two steps without an upper bound', steps: [step(0, undefined), step(10, undefined)], message: 'at most one step may have no MetricIntervalUpperBound, but StepAdjustments[0] [0, +inf) and StepAdjustments[1] [10, +inf) have none' },
    { name: 'a step with neither bound', steps: [step(undefined, undefined)], message: 'StepAdjustments[0] has neither MetricIntervalLowerBound nor MetricIntervalUpperBound; one of them must be set' },
    { name: 'a positive upper bound with no open top step', steps: [step(0, 10)], message: 'StepAdjustments[0] [0, 10) has a positive upper bound, so one step must have no MetricIntervalUpperBound (reach +inf)' },
    { name: 'a negative lower bound with no open bottom step', steps: [step(-10, 0, -1)], message: 'StepAdjustments[0] (-10, 0] has a negative lower bound, so one step must have no MetricIntervalLowerBound (reach -inf)' },
    { name: 'a lower bound above the upper bound', steps: [step(10, 5), step(5, undefined)], message: 'StepAdjustments[0] [10, 5): MetricIntervalLowerBound (10) must be less than MetricIntervalUpperBound (5)' },
  ])('rejects $name, naming the steps', ({ steps, message }) => {
    expect(stepIntervalProblems(steps)).toContain(message);
  });

  it('rejects more than 20 steps', () => {
    const steps = Array.from({ length: 21 }, (_, i) => step(i, i === 20 ? undefined : i + 1));
    expect(stepIntervalProblems(steps)).toContain('at most 20 step adjustments are allowed, got 21');
  });
});
