import type { TargetConfig } from '../core';
import type { DecisionLog } from './evaluate';

export interface TargetFailure {
  readonly target: string;
  readonly error: string;
}

/** Runs `work` for each target in turn; a failure on one is logged and reported, and the others still run. */
export async function forEachTarget<T>(
  targets: readonly TargetConfig[],
  work: (target: TargetConfig) => Promise<T | undefined>,
  log: DecisionLog,
  what: string,
): Promise<{ done: T[]; failed: TargetFailure[] }> {
  const done: T[] = [];
  const failed: TargetFailure[] = [];
  for (const target of targets) {
    try {
      const result = await work(target);
      if (result !== undefined) done.push(result);
    } catch (error) {
      log.error(`${what} failed`, { target: target.name, error: String(error) });
      failed.push({ target: target.name, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return { done, failed };
}
