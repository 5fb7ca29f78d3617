import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors';
import { parseTargetConfig, type TargetConfig } from './config/target';
import { policyInputs } from './policies/registry';
import { decide } from './engine';
import type { Observation } from './observation';
import type { TargetState } from './state';

const NOW = 10_000;

/** Contiguous steps from the sorted cut points, with adjustments that never fall as the metric rises. */
function stepsFrom(cuts: number[], adjustments: number[], fullCoverage: boolean) {
  const bounds = fullCoverage ? [undefined, ...cuts, undefined] : [0, ...cuts.filter((c) => c > 0), undefined];
  const sorted = [...adjustments].sort((a, b) => a - b);
  return bounds.slice(0, -1).map((lo, i) => ({
    ...(lo === undefined ? {} : { MetricIntervalLowerBound: lo }),
    ...(bounds[i + 1] === undefined ? {} : { MetricIntervalUpperBound: bounds[i + 1] }),
    ScalingAdjustment: sorted[i % sorted.length]!,
  }));
}

const cutPoints = fc.uniqueArray(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 9 }).map((c) => c.sort((a, b) => a - b));

function stepPolicy(name: string, fullCoverage: boolean) {
  return fc
    .record({
      flavour: fc.constantFrom('ec2-step', 'ecs-step'),
      AdjustmentType: fc.constantFrom('ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'),
      cuts: cutPoints,
      adjustments: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 10, maxLength: 10 }),
      magnitude: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      MetricAggregationType: fc.constantFrom('Average', 'Minimum', 'Maximum'),
      timing: fc.integer({ min: 0, max: 600 }),
    })
    .map((p) => {
      const exact = p.AdjustmentType === 'ExactCapacity';
      const adjustments = exact ? p.adjustments.map(Math.abs) : p.adjustments;
      return {
        type: p.flavour,
        name,
        AdjustmentType: p.AdjustmentType,
        StepAdjustments: stepsFrom(p.cuts, adjustments, fullCoverage),
        MetricAggregationType: p.MetricAggregationType,
        ...(p.AdjustmentType === 'PercentChangeInCapacity' && p.magnitude !== undefined ? { MinAdjustmentMagnitude: p.magnitude } : {}),
        ...(p.flavour === 'ecs-step' ? { Cooldown: p.timing } : { EstimatedInstanceWarmup: p.timing }),
      };
    });
}

const rateLimits = fc.array(
  fc.record({ type: fc.constantFrom('Percent', 'Units'), value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 15, max: 600 }) }),
  { minLength: 1, maxLength: 3 },
);
const direction = fc.record({
  stabilizationSeconds: fc.integer({ min: 0, max: 600 }),
  selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
  policies: rateLimits,
});
const trackingPolicy = fc.record({
  type: fc.constant('target-tracking'),
  name: fc.constant('tracking'),
  targetPerUnit: fc.integer({ min: 1, max: 5000 }),
  tolerance: fc.double({ min: 0, max: 0.5, noNaN: true }),
  scaleOut: direction,
  scaleIn: direction,
});

const predictivePolicy = fc.record({
  type: fc.constant('predictive'),
  name: fc.constant('forecast'),
  connectionsPerUnit: fc.integer({ min: 100, max: 5000 }),
  startupSeconds: fc.integer({ min: 0, max: 300 }),
  schedulingBufferSeconds: fc.integer({ min: 0, max: 300 }),
  holdSeconds: fc.integer({ min: 0, max: 900 }),
  scaleInThresholdPercent: fc.integer({ min: 0, max: 50 }),
  scaleIn: fc.record({
    stabilizationSeconds: fc.integer({ min: 0, max: 600 }),
    bandHorizonSeconds: fc.integer({ min: 0, max: 1200 }),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
    policies: rateLimits,
  }),
});

function targetConfig(fullCoverage: boolean) {
  return fc
    .record({
      min: fc.integer({ min: 0, max: 50 }),
      span: fc.integer({ min: 0, max: 100 }),
      maxStepSize: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      warmupSeconds: fc.integer({ min: 0, max: 600 }),
      policies: fc.tuple(
        fc.option(trackingPolicy, { nil: undefined }),
        fc.option(stepPolicy('step-a', fullCoverage), { nil: undefined }),
        fc.option(stepPolicy('step-b', fullCoverage), { nil: undefined }),
        fc.option(predictivePolicy, { nil: undefined }),
      ),
    })
    .filter((t) => t.policies.some((p) => p !== undefined))
    .map((t) =>
      parseTargetConfig({
        name: 'prop',
        kind: 'local-fleet',
        minCapacity: t.min,
        maxCapacity: t.min + t.span,
        ...(t.maxStepSize === undefined ? {} : { maxStepSize: t.maxStepSize }),
        warmupSeconds: t.warmupSeconds,
        policies: t.policies.filter((p) => p !== undefined),
      }),
    );
}

const stateArb: fc.Arbitrary<TargetState> = fc.record({
  warmups: fc.array(fc.record({ units: fc.integer({ min: 1, max: 10 }), readyAt: fc.integer({ min: NOW - 600, max: NOW + 600 }) }), { maxLength: 3 }),
  cooldown: fc.option(
    fc.record({
      direction: fc.constantFrom('out' as const, 'in' as const),
      until: fc.integer({ min: NOW - 600, max: NOW + 600 }),
      baseCapacity: fc.integer({ min: 0, max: 150 }),
      policy: fc.constantFrom('step-a', 'step-b'),
    }),
    { nil: null },
  ),
  recommendations: fc.record({ forecast: fc.array(fc.record({ at: fc.integer({ min: NOW - 900, max: NOW - 1 }), desired: fc.integer({ min: 0, max: 200 }) }), { maxLength: 6 }), tracking: fc.array(fc.record({ at: fc.integer({ min: NOW - 900, max: NOW - 1 }), desired: fc.integer({ min: 0, max: 200 }) }), { maxLength: 6 }) }),
  scaleEvents: fc.array(fc.record({ at: fc.integer({ min: NOW - 900, max: NOW - 1 }), from: fc.integer({ min: 0, max: 150 }), to: fc.integer({ min: 0, max: 150 }) }), { maxLength: 4 }),
  lastScaledAt: fc.option(fc.integer({ min: NOW - 900, max: NOW - 1 }), { nil: null }),
});

interface Load {
  readonly schedule: readonly number[];
  /** How far the scale-in band (keep) may rise above the schedule with the horizon; undefined: no keep. */
  readonly keepRise: number | undefined;
  readonly capacity: number;
  readonly connections: number;
  readonly threshold: number;
  readonly datapoints: readonly number[];
}
const loadArb: fc.Arbitrary<Load> = fc.record({
  schedule: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 30 }),
  keepRise: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  capacity: fc.integer({ min: 0, max: 200 }),
  connections: fc.integer({ min: 0, max: 500_000 }),
  threshold: fc.integer({ min: -50, max: 150 }),
  datapoints: fc.array(fc.double({ min: -200, max: 400, noNaN: true }), { minLength: 1, maxLength: 5 }),
});

/** Every step policy's alarm fires with the same datapoints; raising `lift` raises every metric. */
function observationFor(config: TargetConfig, load: Load, lift = 0): Observation {
  const alarms: Record<string, Observation['alarms'][string]> = {};
  for (const p of config.policies) {
    if (policyInputs(p).alarm !== undefined) alarms[p.name] = { threshold: load.threshold, datapoints: load.datapoints.map((v) => ({ value: v + lift })) };
  }
  const keep = load.keepRise === undefined ? {} : { keep: load.schedule.map((u, i) => u + Math.min(load.keepRise!, i)) };
  const schedules = config.policies.some((p) => p.type === 'predictive') ? { forecast: { start: NOW - 60, stepSeconds: 60, units: load.schedule, ...keep } } : undefined;
  return { capacity: load.capacity, metrics: { connections: load.connections + lift * 1000 }, alarms, ...(schedules ? { schedules } : {}) };
}

describe('engine invariants', () => {
  it('the result is always within [min, max]', () => {
    fc.assert(
      fc.property(fc.boolean().chain((full) => targetConfig(full)), stateArb, loadArb, (config, state, load) => {
        const { desired } = decide({ target: config, observation: observationFor(config, load), state, now: NOW });
        expect(Number.isInteger(desired)).toBe(true);
        expect(desired).toBeGreaterThanOrEqual(config.minCapacity);
        expect(desired).toBeLessThanOrEqual(config.maxCapacity);
      }),
      { numRuns: 2000 },
    );
  });

  it("the result is always within the narrower of the configured and the platform's limits, or refused when they do not overlap", () => {
    const platformArb = fc.record({ min: fc.option(fc.integer({ min: 0, max: 250 }), { nil: undefined }), max: fc.option(fc.integer({ min: 0, max: 250 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.boolean().chain((full) => targetConfig(full)), stateArb, loadArb, platformArb, (config, state, load, platform) => {
        const lower = Math.max(config.minCapacity, platform.min ?? 0);
        const upper = Math.min(config.maxCapacity, platform.max ?? Infinity);
        const observation = { ...observationFor(config, load), platform };
        if (lower > upper) {
          expect(() => decide({ target: config, observation, state, now: NOW })).toThrow(InvalidInputError);
          return;
        }
        const { desired } = decide({ target: config, observation, state, now: NOW });
        expect(desired).toBeGreaterThanOrEqual(lower);
        expect(desired).toBeLessThanOrEqual(upper);
      }),
      { numRuns: 2000 },
    );
  });

  it('for a fixed state, a higher metric never yields a lower capacity', () => {
    fc.assert(
      fc.property(targetConfig(true), stateArb, loadArb, fc.double({ min: 0, max: 300, noNaN: true }), (config, state, load, lift) => {
        const low = decide({ target: config, observation: observationFor(config, load), state, now: NOW });
        const high = decide({ target: config, observation: observationFor(config, load, lift), state, now: NOW });
        expect(high.desired).toBeGreaterThanOrEqual(low.desired);
      }),
      { numRuns: 2000 },
    );
  });

  it('applying a decision and delivering the same event again changes nothing', () => {
    fc.assert(
      fc.property(fc.boolean().chain((full) => targetConfig(full)), stateArb, loadArb, (config, state, load) => {
        const first = decide({ target: config, observation: observationFor(config, load), state, now: NOW });
        const applied = { ...observationFor(config, load), capacity: first.desired };
        const again = decide({ target: config, observation: applied, state: first.state, now: NOW });
        expect(again.desired).toBe(first.desired);
        expect(again.state).toEqual(first.state);
      }),
      { numRuns: 2000 },
    );
  });

  it('is pure: the same input gives the same decision and the input is not mutated', () => {
    fc.assert(
      fc.property(fc.boolean().chain((full) => targetConfig(full)), stateArb, loadArb, (config, state, load) => {
        const before = JSON.stringify({ config, state, load });
        const input = { target: config, observation: observationFor(config, load), state, now: NOW };
        expect(decide(input)).toEqual(decide(input));
        expect(JSON.stringify({ config, state, load })).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
