import { parseTargetConfig } from '../../config/target';
import type { Controller } from '../view';
import { engineController } from './engine-controller';

// Placeholder wiring while the forecaster is built: reactive target tracking only. Replaced below.
export function ours(o: { perUnit: number; minCapacity: number; maxCapacity: number; stepSeconds: number; headroom: number }): Controller {
  const target = parseTargetConfig({
    name: 'ours',
    kind: 'simulated',
    minCapacity: o.minCapacity,
    maxCapacity: o.maxCapacity,
    policies: [{ type: 'target-tracking', name: 'reactive', targetPerUnit: o.perUnit * 0.8, tolerance: 0, scaleIn: { stabilizationSeconds: 600 } }],
  });
  return engineController(target, o.stepSeconds);
}
