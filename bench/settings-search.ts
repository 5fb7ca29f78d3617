import fc from 'fast-check';
import { defaultBacktestOptions, POLICY_NAMES, type PolicyResult, runBacktest } from '../backtest';
import { OURS, type OursSettings, type Trace } from '../sim';
import { barChecks, type BarCheck } from './backtest-bar';

export interface SearchTrace {
  readonly name: string;
  readonly trace: Trace;
  /** Whether the bar's τU <= 1% at <= 1.5x the oracle applies on this trace. */
  readonly strict: boolean;
}

export interface TraceVerdict {
  readonly trace: string;
  readonly ours: PolicyResult;
  /** The checks that failed; empty when every check holds. */
  readonly failed: readonly BarCheck[];
}

export interface CandidateResult {
  readonly label: string;
  readonly settings: OursSettings;
  /** One verdict per trace searched, in order, up to and including the first trace whose bar fails. */
  readonly verdicts: readonly TraceVerdict[];
}

/** The values each of the recommended policies' settings takes in the search. */
const settingsSpace: fc.Arbitrary<OursSettings> = fc.record({
  quantile: fc.constantFrom(0.7, 0.75, 0.8, 0.85, 0.9),
  schedulingBufferSeconds: fc.constantFrom(0, 60, 120),
  holdSeconds: fc.constantFrom(300, 600, 900, 1200, 1800),
  scaleInThresholdPercent: fc.constantFrom(10, 15, 20, 25, 30, 35, 40),
  scaleInStabilizationSeconds: fc.constantFrom(60, 120, 180, 240, 300),
  scaleInLimit: fc.constantFrom(25, 50, 100).map((value) => ({ type: 'Percent' as const, value, periodSeconds: 60 })),
  scaleInBandHorizonSeconds: fc.constantFrom(180, 300, 600, 900, 1200),
  reactiveUtilization: fc.constantFrom(0.8, 0.85, 0.9, 0.95, 1),
});

/** `count` settings drawn at random (the same ones for the same seed). */
export function sampleSettings(count: number, seed: number): OursSettings[] {
  return fc.sample(settingsSpace, { numRuns: count, seed });
}

/** What a candidate changes from the recommended settings, for people: `holdSeconds 300, ...`. */
export function describeSettings(settings: OursSettings): string {
  const changed = (Object.keys(OURS) as (keyof OursSettings)[]).filter((k) => JSON.stringify(settings[k]) !== JSON.stringify(OURS[k]));
  if (changed.length === 0) return 'the recommended settings';
  return changed.map((k) => `${k} ${k === 'scaleInLimit' ? `${settings.scaleInLimit.value}%/${settings.scaleInLimit.periodSeconds}s` : settings[k]}`).join(', ');
}

/**
 * Runs the bar with each candidate as ours, trace by trace in the order given. A candidate stops at the
 * first trace whose bar it fails unless `allTraces` asks for every trace. The baselines do not depend on
 * ours' settings, so each trace's are simulated once.
 */
export function searchSettings(
  traces: readonly SearchTrace[],
  candidates: readonly { readonly label: string; readonly settings: OursSettings; readonly allTraces?: boolean }[],
  onResult?: (result: CandidateResult) => void,
): CandidateResult[] {
  const options = defaultBacktestOptions();
  const baselines = new Map<string, PolicyResult[]>();
  const baselinesOf = (t: SearchTrace) => {
    let found = baselines.get(t.name);
    if (found === undefined) {
      found = runBacktest(t.trace, POLICY_NAMES.filter((p) => p !== 'ours'), options);
      baselines.set(t.name, found);
    }
    return found;
  };
  return candidates.map(({ label, settings, allTraces = false }) => {
    const verdicts: TraceVerdict[] = [];
    for (const t of traces) {
      const [ours] = runBacktest(t.trace, ['ours'], { ...options, ours: settings });
      const failed = barChecks([ours!, ...baselinesOf(t)], t.strict).filter((c) => !c.met);
      verdicts.push({ trace: t.name, ours: ours!, failed });
      if (failed.length > 0 && !allTraces) break;
    }
    const result = { label, settings, verdicts };
    onResult?.(result);
    return result;
  });
}
