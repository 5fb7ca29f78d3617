import type { PolicyConfig } from './config/target';
import { ScalerError } from './errors';
import type { Evaluation, PolicyContext } from './policy-context';
import { evaluatePredictive } from './predictive/predictive';
import { evaluateEc2Step } from './step/ec2-step';
import { evaluateEcsStep } from './step/ecs-step';
import { evaluateTargetTracking } from './target-tracking/target-tracking';

type Evaluator<P extends PolicyConfig> = (policy: P, ctx: PolicyContext) => Evaluation;

/** One evaluator per policy type; the config schema admits no other type. */
const evaluators: { [T in PolicyConfig['type']]: Evaluator<Extract<PolicyConfig, { type: T }>> } = {
  'ec2-step': evaluateEc2Step,
  'ecs-step': evaluateEcsStep,
  'target-tracking': evaluateTargetTracking,
  predictive: evaluatePredictive,
};

export function evaluatePolicy(policy: PolicyConfig, ctx: PolicyContext): Evaluation {
  const evaluate = evaluators[policy.type] as Evaluator<PolicyConfig> | undefined;
  if (evaluate === undefined) {
    throw new ScalerError(`no evaluator found for policy type: ${String((policy as { type: unknown }).type)}; parse configurations with parseTargetConfig`);
  }
  return evaluate(policy, ctx);
}
