import { applyTuning, configuredSettings, InvalidInputError, type Objective, type PredictivePolicy, type TargetConfig, type TunedSettings } from '../core';
import type { ElasticityMetrics } from './metrics';
import { deployedController } from './engine-controller';
import { OURS, recommendedPolicies } from './ours';
import { oracle } from './oracle';
import { simulatedTarget } from './simulated-target';
import { runOptions, simulate, type MetricBetweenSamples, type RunSettings } from './simulate';
import type { ForecastCache } from './simulated-forecast';
import { sliceTrace, type Trace } from './trace';

const DAY = 86_400;

export interface CandidateScore {
  readonly candidate: TunedSettings;
  readonly metrics: ElasticityMetrics;
  /** Unit-hours over the oracle's on the same window. */
  readonly costRatio: number;
  readonly meets: boolean;
  /** How far it falls short of the objective (see shortfall): 0 when it meets it. */
  readonly shortfall: number;
}

export interface TuneOptions {
  /** Connections one unit serves: what demand in units is measured against. */
  readonly perUnit: number;
  readonly startupSeconds: number;
  readonly stepSeconds: number;
  /** What the metric does between the trace's samples, as the deployed controller sees it (see simulate). */
  readonly metric?: MetricBetweenSamples;
  readonly objective: Objective;
  /** The last days of the trace, held out: the choice is checked on them and never reads them. */
  readonly validationDays: number;
}

export interface TuneResult {
  /** The cheapest candidate that met the objective on the tuning days; absent when none did. */
  readonly chosen?: CandidateScore;
  /**
   * With no candidate meeting the objective: the untuned settings when they keep within the budget of
   * changes (buying headroom that still misses τU is money spent for nothing), else the candidate
   * closest to the objective (the smallest shortfall, then the cheapest).
   */
  readonly closest?: CandidateScore;
  /** The target's own settings, untuned, on the tuning days: what tuning is measured against. */
  readonly untuned: CandidateScore;
  /** The chosen (or closest) candidate on the held-out days. */
  readonly validation: CandidateScore;
  /** Every candidate tried, on the tuning days. */
  readonly tried: readonly CandidateScore[];
  readonly tuningDays: { readonly from: number; readonly to: number };
  readonly validationDays: { readonly from: number; readonly to: number };
}

/** The coarse pass: how much headroom, with the target's own scale-in. */
export const HEADROOMS = [-0.15, 0, 0.15, 0.3, 0.5, 0.8] as const;
/**
 * The coarse pass of a target that provisions to predicted spreads: how many, with no headroom (as long
 * as HEADROOMS, so a search tries as many candidates either way).
 */
export const SPREADS = [0.5, 1, 1.5, 2, 3, 4] as const;
/** Halvings of the headroom step around the cheapest coarse setting that meets the objective. */
const HEADROOM_HALVINGS = 2;
/** The refinement around the best headroom: how eagerly capacity comes back down. */
const SCALE_IN_THRESHOLDS = [15, 30, 45, 60] as const;
const SCALE_IN_WINDOWS = [120, 180, 360, 900] as const;
/** Last, how far ahead a scale-out covers the peak: longer holds make fewer, larger changes. */
const HOLDS = [300, 900, 1800, 3600] as const;
/**
 * Passes over all four settings. One greedy pass can settle on a headroom chosen for the target's own
 * scale-in, which a later knob makes needless: a longer window that meets the budget of changes can
 * let a lower headroom meet the τU the first pass bought with a higher one. The second pass revisits it.
 */
const PASSES = 2;
/**
 * The most candidates one search tries (the configured settings are headroom 0 on the grid). Under a
 * budget of changes the scale-in threshold and window are tried together (each alone can meet the budget,
 * and the greedy order would settle on whichever comes first, not the cheaper), in two descents.
 */
export function maxCandidates(objective: Objective): number {
  const scaleIn = objective.maxActionsPerDay === undefined ? SCALE_IN_THRESHOLDS.length + SCALE_IN_WINDOWS.length : SCALE_IN_THRESHOLDS.length * SCALE_IN_WINDOWS.length;
  const descents = objective.maxActionsPerDay === undefined ? 1 : 2;
  return descents * PASSES * (HEADROOMS.length + HEADROOM_HALVINGS + scaleIn + HOLDS.length);
}
/** The shortest history a search tunes on: a day for the forecast to start, a day scored. */
export const MIN_TUNING_DAYS = 2;

/**
 * Finds the cheapest tuned settings (see applyTuning) of a configured target that meet `objective` on
 * the trace before its last `validationDays`, then runs them on those days. Coordinate descent: a coarse
 * pass over headroom picks the cheapest setting that meets the objective (or the closest), halving the
 * step around it; then the scale-in threshold and window (one after the other, or together under a
 * budget of changes) and the hold; then once more from the headroom, if anything moved. Every run shares one set of forecast models: none of
 * these settings changes the fit, so the forecast is fitted once per hour of the trace, not once
 * per candidate. Each run sees only the history before each of its decisions.
 */
export function tuneTarget(trace: Trace, target: TargetConfig, o: TuneOptions, onProgress?: (done: number, total: number) => void): TuneResult {
  const start = trace.times[0]!;
  const end = trace.times[trace.times.length - 1]!;
  const split = end - o.validationDays * DAY;
  const tuningSpan = (split - start) / DAY;
  if (!(o.validationDays > 0) || tuningSpan < MIN_TUNING_DAYS) {
    throw new InvalidInputError(`tuning needs at least ${MIN_TUNING_DAYS} days before the ${o.validationDays} held-out day(s); the trace spans ${((end - start) / DAY).toFixed(2)} days`);
  }
  // The forecast needs a day of history; score from then, or from day 3 on a long trace, as backtests do.
  const evalFromDays = Math.min(3, tuningSpan / 2);
  const tuning = sliceTrace(trace, start, split);
  const cache: ForecastCache = new Map();
  const tried: CandidateScore[] = [];
  const seen = new Map<string, CandidateScore>();
  const tuningOracle = oracleHours(tuning, target, o, evalFromDays);
  const score = (candidate: TunedSettings): CandidateScore => {
    const key = JSON.stringify(candidate);
    const known = seen.get(key);
    if (known !== undefined) return known;
    const metrics = runTuned(tuning, target, candidate, o, evalFromDays, cache);
    const result = scored(candidate, metrics, tuningOracle, o.objective);
    seen.set(key, result);
    tried.push(result);
    onProgress?.(tried.length, maxCandidates(o.objective));
    return result;
  };

  const untuned = score(configuredSettings(target));
  const descend = (firstHeadroomBy: (s: CandidateScore) => boolean): CandidateScore => {
    let best = untuned;
    for (let pass = 0; pass < PASSES; pass++) {
      const from = best.candidate;
      best = searchHeadroom(best, score, pass === 0 ? firstHeadroomBy : (c) => c.meets);
      if (o.objective.maxActionsPerDay === undefined) {
        best = pick([best, ...SCALE_IN_THRESHOLDS.map((t) => score({ ...best.candidate, scaleInThresholdPercent: t }))]);
        best = pick([best, ...SCALE_IN_WINDOWS.map((w) => score({ ...best.candidate, scaleInStabilizationSeconds: w }))]);
      } else {
        const at = best.candidate;
        best = pick([best, ...SCALE_IN_THRESHOLDS.flatMap((t) => SCALE_IN_WINDOWS.map((w) => score({ ...at, scaleInThresholdPercent: t, scaleInStabilizationSeconds: w })))]);
      }
      best = pick([best, ...HOLDS.map((h) => score({ ...best.candidate, holdSeconds: h }))]);
      if (JSON.stringify(best.candidate) === JSON.stringify(from)) break;
    }
    return best;
  };
  // Under a budget, a second descent whose first headroom is chosen for τU alone: at the target's own
  // scale-in the budget may be out of reach at every headroom, and judging them by it buys headroom the
  // scale-in then makes needless; or it may be in reach only at a high one. Neither order wins always.
  let best = descend((c) => c.meets);
  if (o.objective.maxActionsPerDay !== undefined) best = pick([best, descend(reachesTau(o.objective))]);
  if (!best.meets && withinBudget(untuned.metrics, o.objective)) best = untuned;

  // Held out: the whole trace, so each decision sees the history before it, scored on the last days only.
  const heldOut = (split - start) / DAY;
  const validation = runTuned(trace, target, best.candidate, o, heldOut, cache);
  return {
    ...(best.meets ? { chosen: best } : { closest: best }),
    untuned,
    validation: scored(best.candidate, validation, oracleHours(trace, target, o, heldOut), o.objective),
    tried,
    tuningDays: { from: start + evalFromDays * DAY, to: split },
    validationDays: { from: split, to: end },
  };
}

/** tuneTarget on the recommended policies for units of `perUnit` connections (`scaler tune`). */
export function tuneOurs(trace: Trace, o: TuneOptions & { readonly minCapacity: number; readonly maxCapacity: number }, onProgress?: (done: number, total: number) => void): TuneResult {
  return tuneTarget(trace, recommendedTarget(o), o, onProgress);
}

/** A target's policies with tuned settings, as configuration it takes as it is. */
export function tunedPolicies(target: Pick<TargetConfig, 'policies'>, candidate: TunedSettings): unknown[] {
  return applyTuning(target, candidate).policies.map((p) => roundPerUnit(p));
}

/** The recommended policies as a target with these limits (what `scaler tune` tunes without a configuration). */
export function recommendedTarget(o: { readonly perUnit: number; readonly startupSeconds: number; readonly minCapacity: number; readonly maxCapacity: number }): TargetConfig {
  return simulatedTarget('ours', o, recommendedPolicies({ perUnit: o.perUnit, startupSeconds: o.startupSeconds }, OURS));
}

/**
 * What a configured target's tuning measures demand and launches by: its predictive policy's connections
 * per unit and start-up. A target without one cannot be tuned (an objective needs one, too).
 */
export function tuningUnits(target: TargetConfig): { readonly perUnit: number; readonly startupSeconds: number } {
  const predictive = target.policies.find((p): p is PredictivePolicy => p.type === 'predictive');
  if (predictive === undefined) throw new InvalidInputError(`target ${target.name} has no predictive policy; tuning sets its headroom and scale-in, so it needs one`);
  return { perUnit: predictive.connectionsPerUnit, startupSeconds: predictive.startupSeconds };
}

/** Per-unit targets to the hundredth, as a person would write them. */
function roundPerUnit(policy: object): object {
  const round2 = (n: number) => Math.round(100 * n) / 100;
  const p = policy as { connectionsPerUnit?: number; targetPerUnit?: number };
  return { ...policy, ...(p.connectionsPerUnit === undefined ? {} : { connectionsPerUnit: round2(p.connectionsPerUnit) }), ...(p.targetPerUnit === undefined ? {} : { targetPerUnit: round2(p.targetPerUnit) }) };
}

function runTuned(trace: Trace, target: TargetConfig, candidate: TunedSettings, o: TuneOptions, evalFromDays: number, cache: ForecastCache): ElasticityMetrics {
  return simulate(trace, deployedController(applyTuning(target, candidate), o.stepSeconds, cache), runOptions(trace, runSettings(target, o, evalFromDays))).metrics;
}

/** The oracle's unit-hours on the same window, within the target's limits: what costs are relative to. */
function oracleHours(trace: Trace, target: TargetConfig, o: TuneOptions, evalFromDays: number): number {
  const settings = runSettings(target, o, evalFromDays);
  return simulate(trace, oracle(trace, settings), runOptions(trace, settings)).metrics.unitHours;
}

/** A tuning run: the target's limits, starting with the units the first sample needs at full use. */
function runSettings(target: TargetConfig, o: TuneOptions, evalFromDays: number): RunSettings {
  return { ...o, evalFromDays, minCapacity: target.minCapacity, maxCapacity: target.maxCapacity, targetUtilization: 1 };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function scored(candidate: TunedSettings, metrics: ElasticityMetrics, oracleUnitHours: number, objective: Objective): CandidateScore {
  const meets = metrics.underTimeShare <= objective.maxUnderProvisionedPercent && withinBudget(metrics, objective);
  return { candidate, metrics, costRatio: metrics.unitHours / oracleUnitHours, meets, shortfall: shortfall(metrics, objective) };
}

/**
 * The headroom grid with the other settings of `start`, then halvings of the step between the best
 * headroom and the next lower one on the grid.
 */
function searchHeadroom(start: CandidateScore, score: (c: TunedSettings) => CandidateScore, meets: (s: CandidateScore) => boolean): CandidateScore {
  const knob: 'headroom' | 'spreadDeviations' = start.candidate.spreadDeviations === undefined ? 'headroom' : 'spreadDeviations';
  const grid: readonly number[] = knob === 'headroom' ? HEADROOMS : SPREADS;
  const at = (best: CandidateScore, value: number) => score({ ...best.candidate, [knob]: value });
  const valueOf = (s: CandidateScore) => s.candidate[knob]!;
  let best = pick([start, ...grid.map((value) => at(start, value))], meets);
  let below: number | undefined = grid.filter((h) => h < valueOf(best)).at(-1);
  for (let i = 0; i < HEADROOM_HALVINGS && below !== undefined; i++) {
    const middle = at(best, round((below + valueOf(best)) / 2));
    if (pick([best, middle], meets) === middle) best = middle;
    else below = valueOf(middle);
  }
  return best;
}

/** Meets the objective's τU, whatever its changes a day. */
const reachesTau = (objective: Objective) => (s: CandidateScore) => s.metrics.underTimeShare <= objective.maxUnderProvisionedPercent;

/** Whether a run keeps within the objective's budget of changes a day (always, without one). */
export function withinBudget(m: Pick<ElasticityMetrics, 'actionsPerDay'>, objective: Objective): boolean {
  return objective.maxActionsPerDay === undefined || m.actionsPerDay <= objective.maxActionsPerDay;
}

/**
 * How far a run falls short of the objective: the relative excess of its τU and of its changes a day,
 * summed: how the closest setting is chosen when none meets it.
 */
export function shortfall(m: Pick<ElasticityMetrics, 'underTimeShare' | 'actionsPerDay'>, objective: Objective): number {
  const excess = (value: number, limit: number) => Math.max(0, value / Math.max(limit, 1e-3) - 1);
  return excess(m.underTimeShare, objective.maxUnderProvisionedPercent) + (objective.maxActionsPerDay === undefined ? 0 : excess(m.actionsPerDay, objective.maxActionsPerDay));
}

/**
 * The cheapest that meets the objective; if none does, the closest: the smallest shortfall, then the
 * fewest unit-hours. (Lowest τU alone would buy headroom against a budget of changes it cannot help.)
 */
function pick(scores: readonly CandidateScore[], meets: (s: CandidateScore) => boolean = (s) => s.meets): CandidateScore {
  const meeting = scores.filter(meets);
  if (meeting.length > 0) return meeting.reduce((a, b) => (b.metrics.unitHours < a.metrics.unitHours ? b : a));
  return scores.reduce((a, b) => {
    const [sa, sb] = [a.shortfall, b.shortfall];
    return sb < sa || (sb === sa && b.metrics.unitHours < a.metrics.unitHours) ? b : a;
  });
}
