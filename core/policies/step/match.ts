import type { Evaluation } from '../policy';
import type { AlarmObservation } from '../../observation';
import { aggregate, type MetricAggregationType } from './aggregate';
import { describeInterval, findStep, type StepAdjustment } from './intervals';

export interface StepMatch {
  readonly metric: number;
  readonly step: StepAdjustment;
  /** e.g. `metric 70 is 20 above threshold 50, step [20, +inf)` */
  readonly summary: string;
}

interface MatchablePolicy {
  readonly name: string;
  readonly StepAdjustments: readonly StepAdjustment[];
  readonly MetricAggregationType: MetricAggregationType;
}

/**
 * Aggregates the alarm's datapoints and finds the step they fall in, or returns the policy's abstention:
 * its alarm is not in ALARM, or no step covers the breach (AWS: "No step adjustment found").
 */
export function matchStep(
  policy: MatchablePolicy,
  alarm: AlarmObservation | undefined,
  values: readonly number[] | undefined,
): StepMatch | Evaluation {
  if (alarm === undefined) {
    return abstain(policy.name, 'AlarmNotFiring', `${policy.name}: alarm not in ALARM`);
  }
  if (values === undefined || values.length === 0) {
    return abstain(policy.name, 'AllDatapointsWarming', `${policy.name}: every datapoint came from a unit still warming up`);
  }
  const metric = aggregate(values, policy.MetricAggregationType);
  const delta = metric - alarm.threshold;
  const step = findStep(policy.StepAdjustments, delta);
  const position = `metric ${round(metric)} is ${round(Math.abs(delta))} ${delta >= 0 ? 'above' : 'below'} threshold ${alarm.threshold}`;
  if (step === undefined) {
    return abstain(policy.name, 'NoStepMatched', `${policy.name}: no step adjustment found: ${position}`);
  }
  return { metric, step, summary: `${position}, step ${describeInterval(step)}` };
}

export const isEvaluation = (value: StepMatch | Evaluation): value is Evaluation => 'proposal' in value;

function abstain(policy: string, reason: 'AlarmNotFiring' | 'AllDatapointsWarming' | 'NoStepMatched', message: string): Evaluation {
  return { proposal: { policy, reason, message } };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
