import type { ReasonCode } from './decision';

export interface CapacityLimits {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly maxStepSize?: number | undefined;
}

/** The platform's own limits (an ASG's MinSize and MaxSize, a scalable target's), where it has them. */
export interface PlatformLimits {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** The narrower of the configuration's and the platform's limits, and which of the two sets each side. */
export function effectiveLimits(config: CapacityLimits, platform: PlatformLimits = {}) {
  const platformMax = platform.max !== undefined && platform.max < config.maxCapacity;
  const platformMin = platform.min !== undefined && platform.min > config.minCapacity;
  return {
    maxCapacity: platformMax ? platform.max! : config.maxCapacity,
    minCapacity: platformMin ? platform.min! : config.minCapacity,
    maxStepSize: config.maxStepSize,
    maxBy: platformMax ? ('ClampedToPlatformMax' as const) : ('ClampedToMax' as const),
    minBy: platformMin ? ('ClampedToPlatformMin' as const) : ('ClampedToMin' as const),
  };
}

export interface Bounded {
  readonly desired: number;
  /** Set when a limit changed what was wanted. */
  readonly limitedBy?: Extract<ReasonCode, 'ClampedToMax' | 'ClampedToMin' | 'ClampedToPlatformMax' | 'ClampedToPlatformMin' | 'MaxStepLimited'>;
}

/**
 * Applies the maximum step size, then clamps to [min, max]. Clamping comes last so the result is always
 * within [min, max], even when the current capacity is outside it by more than one step.
 */
export function boundCapacity(current: number, wanted: number, limits: CapacityLimits & { readonly maxBy?: Bounded['limitedBy']; readonly minBy?: Bounded['limitedBy'] }): Bounded {
  let desired = wanted;
  let limitedBy: Bounded['limitedBy'];
  const step = limits.maxStepSize;
  if (step !== undefined && Math.abs(desired - current) > step) {
    desired = desired > current ? current + step : current - step;
    limitedBy = 'MaxStepLimited';
  }
  if (desired > limits.maxCapacity) {
    desired = limits.maxCapacity;
    limitedBy = limits.maxBy ?? 'ClampedToMax';
  } else if (desired < limits.minCapacity) {
    desired = limits.minCapacity;
    limitedBy = limits.minBy ?? 'ClampedToMin';
  }
  return limitedBy === undefined ? { desired } : { desired, limitedBy };
}
