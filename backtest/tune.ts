import { InvalidInputError } from '../core';
import type { ElasticityMetrics } from './metrics';
import { OURS, recommendedPolicies, type OursSettings } from './policies/ours';
import { sliceTrace } from './replay';
import { runBacktest, type BacktestOptions } from './run';
import type { ForecastCache } from './simulated-forecast';
import type { Trace } from './trace';

const DAY = 86_400;

/** What a user asks of a target: the share of time under-provisioned, and at most so many changes a day. */
export interface Objective {
  readonly maxUnderProvisionedPercent: number;
  readonly maxActionsPerDay?: number;
}

/** One setting of ours the search tries: extra headroom on top of the recommended settings' scale-in knobs. */
export interface TuningCandidate {
  /** Extra provisioning as a fraction of a unit's connections (0: the recommended setting). */
  readonly headroom: number;
  readonly scaleInThresholdPercent: number;
  readonly scaleInStabilizationSeconds: number;
}

export interface CandidateScore {
  readonly candidate: TuningCandidate;
  readonly metrics: ElasticityMetrics;
  /** Unit-hours over the oracle's on the same window. */
  readonly costRatio: number;
  readonly meets: boolean;
}

export interface TuneOptions extends Omit<BacktestOptions, 'evalFromDays' | 'headroom' | 'ours' | 'forecastCache' | 'targetUtilization'> {
  readonly objective: Objective;
  /** The last days of the trace, held out: the choice is checked on them and never reads them. */
  readonly validationDays: number;
}

export interface TuneResult {
  /** The cheapest candidate that met the objective on the tuning days; absent when none did. */
  readonly chosen?: CandidateScore;
  /** With no candidate meeting the objective: the one closest to it (lowest τU, then cost). */
  readonly closest?: CandidateScore;
  /** The chosen (or closest) candidate on the held-out days. */
  readonly validation: CandidateScore;
  /** Every candidate tried, on the tuning days. */
  readonly tried: readonly CandidateScore[];
  readonly tuningDays: { readonly from: number; readonly to: number };
  readonly validationDays: { readonly from: number; readonly to: number };
}

/** The coarse pass: how much headroom, with the recommended scale-in. */
export const HEADROOMS = [-0.15, 0, 0.15, 0.3, 0.5, 0.8] as const;
/** Halvings of the headroom step around the cheapest coarse setting that meets the objective. */
const HEADROOM_HALVINGS = 2;
/** The refinement around the best headroom: how eagerly capacity comes back down. */
const SCALE_IN_THRESHOLDS = [15, 30, 45] as const;
const SCALE_IN_WINDOWS = [120, 180, 360] as const;

/**
 * Finds the cheapest settings of ours that meet `objective` on the trace before its last
 * `validationDays`, then runs them on those days. A coarse pass over headroom picks the cheapest
 * setting that meets the objective (or the closest); a refinement then tries the scale-in threshold and
 * window around it. Every run shares one set of forecast models: none of these knobs changes the fit,
 * so the forecast is fitted once per hour of the trace, not once per candidate.
 */
export function tuneOurs(trace: Trace, o: TuneOptions, onProgress?: (done: number, total: number) => void): TuneResult {
  const start = trace.times[0]!;
  const end = trace.times[trace.times.length - 1]!;
  const split = end - o.validationDays * DAY;
  const tuningSpan = (split - start) / DAY;
  if (!(o.validationDays > 0) || tuningSpan < 2) {
    throw new InvalidInputError(`tuning needs at least 2 days before the ${o.validationDays} held-out day(s); the trace spans ${((end - start) / DAY).toFixed(2)} days`);
  }
  // The forecast needs a day of history; score from then, or from day 3 on a long trace, as backtests do.
  const evalFromDays = Math.min(3, tuningSpan / 2);
  const tuning = sliceTrace(trace, start, split);
  const cache: ForecastCache = new Map();
  const total = HEADROOMS.length + HEADROOM_HALVINGS + SCALE_IN_THRESHOLDS.length + SCALE_IN_WINDOWS.length;
  const tried: CandidateScore[] = [];
  const seen = new Map<string, CandidateScore>();
  const score = (candidate: TuningCandidate): CandidateScore => {
    const key = JSON.stringify(candidate);
    const known = seen.get(key);
    if (known !== undefined) return known;
    const run = runOurs(tuning, candidate, { ...o, evalFromDays }, cache);
    const result = { ...run, meets: meets(run.metrics, o.objective) };
    seen.set(key, result);
    tried.push(result);
    onProgress?.(tried.length, total);
    return result;
  };

  const base = (headroom: number): TuningCandidate => ({ headroom, scaleInThresholdPercent: OURS.scaleInThresholdPercent, scaleInStabilizationSeconds: OURS.scaleInStabilizationSeconds });
  const coarse = HEADROOMS.map((h) => score(base(h)));
  let best = pick(coarse);
  // Between the cheapest headroom that meets the objective and the next lower one that does not, halve twice.
  let below = coarse.filter((c) => !c.meets && c.candidate.headroom < best.candidate.headroom).at(-1)?.candidate.headroom;
  for (let i = 0; i < HEADROOM_HALVINGS && best.meets && below !== undefined; i++) {
    const middle = score(base(round((below + best.candidate.headroom) / 2)));
    if (middle.meets) best = pick([best, middle]);
    else below = middle.candidate.headroom;
  }
  best = pick([best, ...SCALE_IN_THRESHOLDS.map((t) => score({ ...best.candidate, scaleInThresholdPercent: t }))]);
  best = pick([best, ...SCALE_IN_WINDOWS.map((w) => score({ ...best.candidate, scaleInStabilizationSeconds: w }))]);

  // Held out: the whole trace, so each decision sees the history before it, scored on the last days only.
  const validation = runOurs(trace, best.candidate, { ...o, evalFromDays: (split - start) / DAY }, cache);
  return {
    ...(best.meets ? { chosen: best } : { closest: best }),
    validation: { ...validation, meets: meets(validation.metrics, o.objective) },
    tried,
    tuningDays: { from: start + evalFromDays * DAY, to: split },
    validationDays: { from: split, to: end },
  };
}

/** The policies a candidate stands for, as configuration: the recommended ones with its settings. */
export function tunedPolicies(candidate: TuningCandidate, o: { readonly perUnit: number; readonly startupSeconds: number }): unknown[] {
  return recommendedPolicies({ perUnit: Math.round((100 * o.perUnit) / (1 + candidate.headroom)) / 100, startupSeconds: o.startupSeconds }, settingsOf(candidate));
}

const settingsOf = (c: TuningCandidate): OursSettings => ({ ...OURS, scaleInThresholdPercent: c.scaleInThresholdPercent, scaleInStabilizationSeconds: c.scaleInStabilizationSeconds });

function runOurs(trace: Trace, candidate: TuningCandidate, o: Omit<TuneOptions, 'objective' | 'validationDays'> & { evalFromDays: number }, forecastCache: ForecastCache): Omit<CandidateScore, 'meets'> {
  const [ours] = runBacktest(trace, ['ours'], { ...o, targetUtilization: 1, headroom: candidate.headroom, ours: settingsOf(candidate), forecastCache });
  return { candidate, metrics: ours!.metrics, costRatio: ours!.costRatio! };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function meets(m: ElasticityMetrics, objective: Objective): boolean {
  return m.underTimeShare <= objective.maxUnderProvisionedPercent && (objective.maxActionsPerDay === undefined || m.actionsPerDay <= objective.maxActionsPerDay);
}

/** The cheapest that meets the objective; if none does, the closest: lowest τU, then fewest unit-hours. */
function pick(scores: readonly CandidateScore[]): CandidateScore {
  const meeting = scores.filter((s) => s.meets);
  if (meeting.length > 0) return meeting.reduce((a, b) => (b.metrics.unitHours < a.metrics.unitHours ? b : a));
  return scores.reduce((a, b) => (b.metrics.underTimeShare < a.metrics.underTimeShare || (b.metrics.underTimeShare === a.metrics.underTimeShare && b.metrics.unitHours < a.metrics.unitHours) ? b : a));
}
