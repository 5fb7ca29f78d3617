import { describe, expect, it } from 'vitest';
import type { PredictivePolicy } from './policies/predictive/schema';
import type { TargetTrackingPolicy } from './policies/target-tracking/schema';
import { target } from './testing';
import { applyTuning, configuredSettings, moveToward, TUNING_STEP, tunedSettingsSchema } from './tuning';

const configured = target({
  policies: [
    { type: 'predictive', name: 'forecast', connectionsPerUnit: 1000, scaleInThresholdPercent: 30, scaleIn: { stabilizationSeconds: 180 } },
    { type: 'target-tracking', name: 'reactive', targetPerUnit: 900, scaleIn: { stabilizationSeconds: 180, selectPolicy: 'Disabled' } },
    { type: 'ecs-step', name: 'surge', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] },
  ],
});

describe('applyTuning', () => {
  it('divides the per-unit targets by 1 + headroom and takes the scale-in settings, leaving step policies alone', () => {
    const tuned = applyTuning(configured, { headroom: 0.25, scaleInThresholdPercent: 45, scaleInStabilizationSeconds: 360, holdSeconds: 1800 });
    const [forecast, reactive, surge] = tuned.policies as [PredictivePolicy, TargetTrackingPolicy, unknown];
    expect([forecast.connectionsPerUnit, forecast.scaleInThresholdPercent, forecast.scaleIn.stabilizationSeconds, forecast.holdSeconds]).toEqual([800, 45, 360, 1800]);
    expect([reactive.targetPerUnit, reactive.scaleIn.stabilizationSeconds, reactive.scaleIn.selectPolicy]).toEqual([720, 360, 'Disabled']);
    expect(surge).toEqual(configured.policies[2]);
  });

  it('sets the predictive policy\'s spreads only where it provisions to spreads', () => {
    const spreads = target({ policies: [{ type: 'predictive', name: 'forecast', connectionsPerUnit: 1000, spreadDeviations: 2 }] });
    const tuned = (t: typeof configured) => applyTuning(t, { headroom: 0, scaleInThresholdPercent: 30, scaleInStabilizationSeconds: 180, holdSeconds: 900, spreadDeviations: 3.5 }).policies[0] as PredictivePolicy;
    expect(tuned(spreads).spreadDeviations).toBe(3.5);
    expect(tuned(configured).spreadDeviations).toBeUndefined();
    expect(configuredSettings(spreads).spreadDeviations).toBe(2);
    expect(configuredSettings(configured)).not.toHaveProperty('spreadDeviations');
  });

  it('changes nothing without tuned settings, and the configured settings reproduce the target', () => {
    expect(applyTuning(configured, undefined)).toBe(configured);
    expect(applyTuning(configured, configuredSettings(configured))).toEqual(configured);
  });
});

describe('moveToward', () => {
  const previous = { headroom: 0.1, scaleInThresholdPercent: 30, scaleInStabilizationSeconds: 180, holdSeconds: 900 };
  it.each([
    { name: 'takes the choice the first time', from: undefined, to: { headroom: 0.8, scaleInThresholdPercent: 45, scaleInStabilizationSeconds: 360, holdSeconds: 3600 }, expected: { headroom: 0.8, scaleInThresholdPercent: 45, scaleInStabilizationSeconds: 360, holdSeconds: 3600 } },
    { name: 'moves each setting at most one step a day', from: previous, to: { headroom: 0.8, scaleInThresholdPercent: 15, scaleInStabilizationSeconds: 600, holdSeconds: 3600 }, expected: { headroom: 0.2, scaleInThresholdPercent: 15, scaleInStabilizationSeconds: 300, holdSeconds: 1800 } },
    { name: 'moves down as slowly as up', from: previous, to: { headroom: -0.15, scaleInThresholdPercent: 30, scaleInStabilizationSeconds: 120, holdSeconds: 300 }, expected: { headroom: 0, scaleInThresholdPercent: 30, scaleInStabilizationSeconds: 120, holdSeconds: 300 } },
    { name: 'reaches a choice within a step', from: previous, to: { headroom: 0.15, scaleInThresholdPercent: 40, scaleInStabilizationSeconds: 180, holdSeconds: 900 }, expected: { headroom: 0.15, scaleInThresholdPercent: 40, scaleInStabilizationSeconds: 180, holdSeconds: 900 } },
    { name: 'moves the spreads half a deviation a day', from: { ...previous, spreadDeviations: 2 }, to: { ...previous, spreadDeviations: 4 }, expected: { ...previous, spreadDeviations: 2.5 } },
    { name: 'takes a first choice of spreads as it is', from: previous, to: { ...previous, spreadDeviations: 4 }, expected: { ...previous, spreadDeviations: 4 } },
  ])('$name', ({ from, to, expected }) => {
    expect(moveToward(from, to)).toEqual(expected);
  });

  it('refuses stored spreads out of bounds', () => {
    expect(tunedSettingsSchema.safeParse({ ...previous, spreadDeviations: 2 }).success).toBe(true);
    expect(tunedSettingsSchema.safeParse({ ...previous, spreadDeviations: -1 }).success).toBe(false);
    expect(tunedSettingsSchema.safeParse({ ...previous, spreadDeviations: Number.NaN }).success).toBe(false);
  });

  it('keeps an odd day from swinging the settings: one day moves headroom by at most its step', () => {
    expect(Math.abs(moveToward(previous, { ...previous, headroom: 5 }).headroom - previous.headroom)).toBeCloseTo(TUNING_STEP.headroom, 9);
  });
});
