import type { PolicyResult } from './run';

/**
 * How ours compares with a baseline, at the precision the table shows (τU to 0.01%, unit-hours whole):
 * - `dominates`: lower on τU and on unit-hours, the README's rule for better;
 * - `cheaper at equal τU` / `safer at equal cost`: the same on one, lower on the other;
 * - `does not dominate`: higher on one, or the same on both.
 */
export type Verdict = 'dominates' | 'cheaper at equal τU' | 'safer at equal cost' | 'does not dominate';

export interface DominanceCheck {
  readonly baseline: string;
  readonly verdict: Verdict;
  /** Lower τU and fewer unit-hours than the baseline. */
  readonly dominates: boolean;
  /** No worse on either and lower on one: dominates, or one of the two ties. */
  readonly noWorse: boolean;
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
      const tau = Math.sign(shownTau(a.underTimeShare) - shownTau(b.underTimeShare));
      const cost = Math.sign(Math.round(a.unitHours) - Math.round(b.unitHours));
      const verdict = verdictOf(tau, cost);
      const detail = `τU ${a.underTimeShare.toFixed(2)}% vs ${b.underTimeShare.toFixed(2)}%, unit-hours ${a.unitHours.toFixed(0)} vs ${b.unitHours.toFixed(0)}`;
      return { baseline: base.policy, verdict, dominates: verdict === 'dominates', noWorse: verdict !== 'does not dominate', detail };
    });
}

/** The verdict as a sentence about ours: "dominates hpa", "costs less than hpa at the same τU". */
export function verdictSentence(check: Pick<DominanceCheck, 'verdict' | 'baseline'>): string {
  switch (check.verdict) {
    case 'cheaper at equal τU':
      return `costs less than ${check.baseline} at the same τU`;
    case 'safer at equal cost':
      return `is under-provisioned less than ${check.baseline} at the same cost`;
    default:
      return `${check.verdict} ${check.baseline}`;
  }
}

/** τU as the table shows it, in hundredths of a percent: differences below that are noise, not a result. */
const shownTau = (percent: number) => Math.round(percent * 100);

function verdictOf(tau: number, cost: number): Verdict {
  if (tau < 0 && cost < 0) return 'dominates';
  if (tau === 0 && cost < 0) return 'cheaper at equal τU';
  if (cost === 0 && tau < 0) return 'safer at equal cost';
  return 'does not dominate';
}
