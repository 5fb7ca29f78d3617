import type { PolicyResult } from './run';

export interface DominanceCheck {
  readonly baseline: string;
  /** No more under-provisioned time and no more unit-hours than the baseline, and strictly less of one. */
  readonly dominates: boolean;
  readonly detail: string;
}

/** How `ours` compares with each baseline (the oracle is a bound, not a baseline). */
export function checkDominance(results: readonly PolicyResult[]): DominanceCheck[] {
  const ours = results.find((r) => r.policy === 'ours');
  if (ours === undefined) return [];
  return results
    .filter((r) => r.policy !== 'ours' && r.policy !== 'oracle')
    .map((base) => {
      const a = ours.metrics;
      const b = base.metrics;
      const tau = compare(a.underTimeShare, b.underTimeShare);
      const cost = compare(a.unitHours, b.unitHours);
      const dominates = tau <= 0 && cost <= 0 && (tau < 0 || cost < 0);
      const detail = `τU ${a.underTimeShare.toFixed(2)}% vs ${b.underTimeShare.toFixed(2)}%, unit-hours ${a.unitHours.toFixed(0)} vs ${b.unitHours.toFixed(0)}`;
      return { baseline: base.policy, dominates, detail };
    });
}

/** -1, 0 or 1, treating differences within floating-point noise as equal. */
function compare(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b), 1e-9);
  return Math.abs(a - b) <= 1e-9 * scale ? 0 : Math.sign(a - b);
}
