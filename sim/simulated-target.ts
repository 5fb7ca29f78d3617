import { parseTargetConfig, type TargetConfig } from '../core';

/** The capacity a simulated target may range over. */
export interface CapacityLimits {
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/** The kind of a target that only the simulator runs: the engine decides the same whatever the kind. */
const SIMULATED_KIND = 'simulated';

/** A target for the simulator: the backtest's capacity limits and the policies under test. */
export function simulatedTarget(name: string, limits: CapacityLimits, policies: unknown[]): TargetConfig {
  return parseTargetConfig({ name, kind: SIMULATED_KIND, minCapacity: limits.minCapacity, maxCapacity: limits.maxCapacity, policies });
}
