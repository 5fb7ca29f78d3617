import { decide, emptyState, parseTargetConfig, type Observation, type TargetState } from '../core';
import { summarizeSamples } from '../chat/load/stats';

const STEPS = 10;

/** A step table of STEPS contiguous intervals covering both sides of the threshold. */
function steps(width: number, adjustments: (i: number) => number) {
  return Array.from({ length: STEPS }, (_, i) => {
    const lo = (i - STEPS / 2) * width;
    return {
      ...(i === 0 ? {} : { MetricIntervalLowerBound: lo }),
      ...(i === STEPS - 1 ? {} : { MetricIntervalUpperBound: lo + width }),
      ScalingAdjustment: adjustments(i),
    };
  });
}

// Both platforms' step policies on one target: only local mode's fleet takes both.
const target = parseTargetConfig({
  name: 'bench',
  kind: 'local-fleet',
  minCapacity: 2,
  maxCapacity: 400,
  maxStepSize: 50,
  policies: [
    { type: 'target-tracking', name: 'connections', targetPerUnit: 700 },
    { type: 'ecs-step', name: 'surge', AdjustmentType: 'PercentChangeInCapacity', MinAdjustmentMagnitude: 2, Cooldown: 120, StepAdjustments: steps(50, (i) => (i - 4) * 10) },
    { type: 'ec2-step', name: 'exact', AdjustmentType: 'ChangeInCapacity', EstimatedInstanceWarmup: 180, StepAdjustments: steps(80, (i) => i - 4) },
  ],
});

/** A deterministic pseudo-random load (xorshift), so every run measures the same decisions. */
function* loads(seed: number): Generator<number> {
  let x = seed;
  let level = 20_000;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = (x >>> 0) / 4294967296;
    level = Math.max(0, level + (r - 0.5) * 4000 + (r > 0.995 ? 30_000 : 0) - (level > 60_000 ? 20_000 : 0));
    yield level;
  }
}

export function benchCoreDecision(decisions: number) {
  const warmup = Math.min(20_000, decisions);
  const samples = new Float64Array(decisions);
  const load = loads(0x2545f491);
  let capacity = 30;
  let state: TargetState = emptyState();
  let now = 1_700_000_000;
  let checksum = 0;

  for (let i = -warmup; i < decisions; i++) {
    const connections = load.next().value!;
    const perUnit = connections / capacity;
    const observation: Observation = {
      capacity,
      metrics: { connections },
      alarms: {
        surge: { threshold: 700, datapoints: [{ value: perUnit }, { value: perUnit * 1.02 }] },
        exact: { threshold: 700, datapoints: [{ value: perUnit }] },
      },
    };
    const start = process.hrtime.bigint();
    const decision = decide({ target, observation, state, now });
    const elapsed = process.hrtime.bigint() - start;
    if (i >= 0) samples[i] = Number(elapsed) / 1000;
    capacity = decision.desired;
    state = decision.state;
    checksum += decision.desired;
    now += 60;
  }
  return { ...summarizeSamples(samples), checksum, timerOverhead: timerOverhead() };
}

/** What one hrtime pair costs on its own, in µs: the floor under every sample above. */
function timerOverhead(): number {
  const n = 100_000;
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  return summarizeSamples(samples).p50;
}
