import type { FrontierPoint } from './sweep';

/** Ours must bill at most this share of a baseline's unit-hours above the oracle's: close a quarter of its gap. */
export const GAP_SHARE_BAR = 0.75;

/** Ours against one baseline's cost curve (its headroom sweep), at ours' own τU. */
export interface CurveCheck {
  readonly baseline: string;
  /** The cheapest setting of the baseline whose τU is no worse than ours'; none when no setting reaches it. */
  readonly match?: FrontierPoint;
  /** Ours' unit-hours over the match's. */
  readonly costRatio?: number;
  /** Ours' unit-hours above the oracle's over the match's: the share of the baseline's gap ours leaves. */
  readonly gapShare?: number;
  /** Ours lies below the curve: the gap share is at most GAP_SHARE_BAR, or no setting reaches ours' τU. */
  readonly passes: boolean;
  readonly detail: string;
}

/**
 * The fair comparison with a baseline that has a headroom knob: not its default setting, but the cheapest
 * setting of it whose τU is no worse than ours', judged on the gap to the oracle (lying 15% below a
 * baseline within 10% of the oracle would mean beating the oracle).
 */
export function compareToCurves(ours: { readonly underTimeShare: number; readonly unitHours: number }, oracleUnitHours: number, frontier: readonly FrontierPoint[]): CurveCheck[] {
  const baselines = [...new Set(frontier.map((p) => p.policy))].filter((p) => p !== 'ours' && p !== 'oracle');
  return baselines.map((baseline) => {
    const reaching = frontier.filter((p) => p.policy === baseline && p.underTimeShare <= ours.underTimeShare + 1e-9);
    const match = reaching.reduce<FrontierPoint | undefined>((best, p) => (best === undefined || p.unitHours < best.unitHours ? p : best), undefined);
    if (match === undefined) {
      const lowest = Math.min(...frontier.filter((p) => p.policy === baseline).map((p) => p.underTimeShare));
      return { baseline, passes: true, detail: `no setting reaches ours' τU ${ours.underTimeShare.toFixed(2)}% (its lowest is ${lowest.toFixed(2)}%)` };
    }
    const costRatio = ours.unitHours / match.unitHours;
    const gapShare = (ours.unitHours - oracleUnitHours) / Math.max(match.unitHours - oracleUnitHours, 1e-9);
    const passes = gapShare <= GAP_SHARE_BAR;
    const detail = `its cheapest setting at τU <= ${ours.underTimeShare.toFixed(2)}% is headroom ${match.headroom} (τU ${match.underTimeShare.toFixed(2)}%, ${Math.round(match.unitHours).toLocaleString('en-US')} unit-hours): ours costs ${costRatio.toFixed(3)}x it and closes ${(100 * (1 - gapShare)).toFixed(0)}% of its gap to the oracle`;
    return { baseline, match, costRatio, gapShare, passes, detail };
  });
}

/** compareToCurves for a backtest's results and its sweep; empty without ours, the oracle or a sweep. */
export function curveChecks(results: ReadonlyArray<{ readonly policy: string; readonly metrics: { readonly underTimeShare: number; readonly unitHours: number } }>, frontier: readonly FrontierPoint[]): CurveCheck[] {
  const ours = results.find((r) => r.policy === 'ours');
  const oracle = results.find((r) => r.policy === 'oracle');
  if (ours === undefined || oracle === undefined || frontier.length === 0) return [];
  return compareToCurves(ours.metrics, oracle.metrics.unitHours, frontier);
}
