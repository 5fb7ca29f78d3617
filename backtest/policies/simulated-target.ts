import { parseTargetConfig, type TargetConfig } from '../../core';
import type { BaselineLimits } from './aws-target-tracking';

/**
 * A target for the simulator: the backtest's capacity limits and the policies under test, as a local
 * fleet, the kind that stands in for either platform and takes every policy type.
 */
export function simulatedTarget(name: string, limits: Pick<BaselineLimits, 'minCapacity' | 'maxCapacity'>, policies: unknown[]): TargetConfig {
  return parseTargetConfig({ name, kind: 'local-fleet', minCapacity: limits.minCapacity, maxCapacity: limits.maxCapacity, policies });
}
