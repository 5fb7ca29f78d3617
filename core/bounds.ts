import type { ReasonCode } from './decision';

export interface CapacityLimits {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly maxStepSize?: number | undefined;
}

export interface Bounded {
  readonly desired: number;
  /** Set when a limit changed what was wanted. */
  readonly limitedBy?: Extract<ReasonCode, 'ClampedToMax' | 'ClampedToMin' | 'MaxStepLimited'>;
}

/**
 * Applies the maximum step size, then clamps to [min, max]. Clamping comes last so the result is always
 * within [min, max], even when the current capacity is outside it by more than one step.
 */
export function boundCapacity(current: number, wanted: number, limits: CapacityLimits): Bounded {
  let desired = wanted;
  let limitedBy: Bounded['limitedBy'];
  const step = limits.maxStepSize;
  if (step !== undefined && Math.abs(desired - current) > step) {
    desired = desired > current ? current + step : current - step;
    limitedBy = 'MaxStepLimited';
  }
  if (desired > limits.maxCapacity) {
    desired = limits.maxCapacity;
    limitedBy = 'ClampedToMax';
  } else if (desired < limits.minCapacity) {
    desired = limits.minCapacity;
    limitedBy = 'ClampedToMin';
  }
  return limitedBy === undefined ? { desired } : { desired, limitedBy };
}
