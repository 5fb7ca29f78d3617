import { simulatedTarget, type Controller, engineController } from '../../sim';
import { BACKTEST_DEFAULTS } from '../defaults';
import type { BaselineLimits } from './aws-target-tracking';

/** Kubernetes HPA with its default behavior: 15 s loop, 10% tolerance, 300 s scale-down stabilization. */
export function hpa(limits: BaselineLimits, d = BACKTEST_DEFAULTS.hpa): Controller {
  const period = d.periodSeconds;
  const target = simulatedTarget('hpa', limits, [
    {
      type: 'target-tracking',
      name: 'hpa',
      targetPerUnit: limits.targetPerUnit,
      tolerance: d.tolerance,
      scaleOut: { stabilizationSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: period }, { type: 'Units', value: 4, periodSeconds: period }] },
      scaleIn: { stabilizationSeconds: d.scaleDownStabilizationSeconds, policies: [{ type: 'Percent', value: 100, periodSeconds: period }] },
    },
  ]);
  return engineController(target, period);
}
