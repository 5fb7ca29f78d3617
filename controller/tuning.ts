import { applyTuning, type TargetConfig } from '../core';
import type { TuningStore } from './seams/state-store';

/** The target as it decides now: with its stored tuning applied, when it has an objective. */
export async function tunedTarget(target: TargetConfig, state: Pick<TuningStore, 'loadTuning'>): Promise<TargetConfig> {
  if (target.objective === undefined) return target;
  const stored = await state.loadTuning(target.name);
  return applyTuning(target, stored?.settings);
}
