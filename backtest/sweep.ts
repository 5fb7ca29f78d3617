import type { Trace } from '../sim';
import { runBacktest, type BacktestOptions, type PolicyName } from './run';

/** One policy at one headroom: its cost and its τU. */
export interface FrontierPoint {
  readonly policy: string;
  readonly headroom: number;
  readonly unitHours: number;
  readonly costRatio: number | undefined;
  readonly underTimeShare: number;
}

/** Headroom added to every policy in a sweep: negative runs hotter (less headroom), positive cooler. */
export const SWEEP_HEADROOMS = [-0.2, -0.1, 0, 0.15, 0.3, 0.5, 1] as const;

/** Cost against τU for each policy at each headroom, so a user can pick a setting on the frontier. */
export function sweepHeadroom(
  trace: Trace,
  policies: readonly PolicyName[],
  options: BacktestOptions,
  onProgress?: (label: string, done: number) => void,
): FrontierPoint[] {
  const points: FrontierPoint[] = [];
  for (const headroom of SWEEP_HEADROOMS) {
    const results = runBacktest(trace, policies.filter((p) => p !== 'oracle'), { ...options, headroom }, (policy, done) => onProgress?.(`${policy} headroom ${headroom}`, done));
    for (const r of results) {
      points.push({ policy: r.policy, headroom, unitHours: r.metrics.unitHours, costRatio: r.costRatio, underTimeShare: r.metrics.underTimeShare });
    }
  }
  return points;
}

export function frontierToCsv(points: readonly FrontierPoint[]): string {
  const lines = ['policy,headroom,unitHours,costRatio,underTimeShare'];
  for (const p of points) lines.push(`${p.policy},${p.headroom},${p.unitHours.toFixed(2)},${p.costRatio?.toFixed(4) ?? ''},${p.underTimeShare.toFixed(4)}`);
  return `${lines.join('\n')}\n`;
}
