import { applyTuning, configuredSettings, InvalidInputError, type TargetConfig, type TunedSettings } from '../core';
import type { ElasticityMetrics } from './metrics';
import { deployedController } from './policies/engine-controller';
import { OURS, recommendedPolicies } from './policies/ours';
import { oracle } from './policies/oracle';
import { simulatedTarget } from './policies/simulated-target';
import { sliceTrace } from './replay';
import { runOptions, simulate, type MetricBetweenSamples, type RunSettings } from './simulate';
import type { ForecastCache } from './simulated-forecast';
import type { Trace } from './trace';

const DAY = 86_400;

/** What a user asks of a target: the share of time under-provisioned, and at most so many changes a day. */
export interface Objective {
  readonly maxUnderProvisionedPercent: number;
  readonly maxActionsPerDay?: number;
}

export interface CandidateScore {
  readonly candidate: TunedSettings;
  readonly metrics: ElasticityMetrics;
  /** Unit-hours over the oracle's on the same window. */
  readonly costRatio: number;
  readonly meets: boolean;
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
  /** With no candidate meeting the objective: the one closest to it (lowest τU, then cost). */
  readonly closest?: CandidateScore;
  /** The chosen (or closest) candidate on the held-out days. */
  readonly validation: CandidateScore;
  /** Every candidate tried, on the tuning days. */
  readonly tried: readonly CandidateScore[];
  readonly tuningDays: { readonly from: number; readonly to: number };
  readonly validationDays: { readonly from: number; readonly to: number };
}

/** The coarse pass: how much headroom, with the target's own scale-in. */
export const HEADROOMS = [-0.15, 0, 0.15, 0.3, 0.5, 0.8] as const;
/** Halvings of the headroom step around the cheapest coarse setting that meets the objective. */
const HEADROOM_HALVINGS = 2;
/** The refinement around the best headroom: how eagerly capacity comes back down. */
const SCALE_IN_THRESHOLDS = [15, 30, 45, 60] as const;
const SCALE_IN_WINDOWS = [120, 180, 360, 900] as const;
/** Last, how far ahead a scale-out covers the peak: longer holds make fewer, larger changes. */
const HOLDS = [300, 900, 1800, 3600] as const;
/** The most candidates one search tries. */
export const MAX_CANDIDATES = HEADROOMS.length + HEADROOM_HALVINGS + SCALE_IN_THRESHOLDS.length + SCALE_IN_WINDOWS.length + HOLDS.length;
/** The shortest history a search tunes on: a day for the forecast to start, a day scored. */
export const MIN_TUNING_DAYS = 2;

/**
 * Finds the cheapest tuned settings (see applyTuning) of a configured target that meet `objective` on
 * the trace before its last `validationDays`, then runs them on those days. A coarse pass over headroom
 * picks the cheapest setting that meets the objective (or the closest), halving the step around it; a
 * refinement then tries the scale-in threshold, the scale-in window and the hold, one after another. Every run shares one set of forecast models:
 * none of these settings changes the fit, so the forecast is fitted once per hour of the trace, not once
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
    const result = { candidate, metrics, costRatio: metrics.unitHours / tuningOracle, meets: meets(metrics, o.objective) };
    seen.set(key, result);
    tried.push(result);
    onProgress?.(tried.length, MAX_CANDIDATES);
    return result;
  };

  const own = configuredSettings(target);
  const base = (headroom: number): TunedSettings => ({ ...own, headroom });
  const coarse = HEADROOMS.map((h) => score(base(h)));
  let best = pick(coarse);
  // Between the cheapest headroom that meets the objective and the next lower one that does not, halve.
  let below = coarse.filter((c) => !c.meets && c.candidate.headroom < best.candidate.headroom).at(-1)?.candidate.headroom;
  for (let i = 0; i < HEADROOM_HALVINGS && best.meets && below !== undefined; i++) {
    const middle = score(base(round((below + best.candidate.headroom) / 2)));
    if (middle.meets) best = pick([best, middle]);
    else below = middle.candidate.headroom;
  }
  best = pick([best, ...SCALE_IN_THRESHOLDS.map((t) => score({ ...best.candidate, scaleInThresholdPercent: t }))]);
  best = pick([best, ...SCALE_IN_WINDOWS.map((w) => score({ ...best.candidate, scaleInStabilizationSeconds: w }))]);
  best = pick([best, ...HOLDS.map((h) => score({ ...best.candidate, holdSeconds: h }))]);

  // Held out: the whole trace, so each decision sees the history before it, scored on the last days only.
  const heldOut = (split - start) / DAY;
  const validation = runTuned(trace, target, best.candidate, o, heldOut, cache);
  return {
    ...(best.meets ? { chosen: best } : { closest: best }),
    validation: { candidate: best.candidate, metrics: validation, costRatio: validation.unitHours / oracleHours(trace, target, o, heldOut), meets: meets(validation, o.objective) },
    tried,
    tuningDays: { from: start + evalFromDays * DAY, to: split },
    validationDays: { from: split, to: end },
  };
}

/** tuneTarget on the recommended policies for units of `perUnit` connections (`scaler tune`). */
export function tuneOurs(trace: Trace, o: TuneOptions & { readonly minCapacity: number; readonly maxCapacity: number }, onProgress?: (done: number, total: number) => void): TuneResult {
  return tuneTarget(trace, recommendedTarget(o), o, onProgress);
}

/** The recommended policies with tuned settings, as configuration a target takes as it is. */
export function tunedPolicies(candidate: TunedSettings, o: { readonly perUnit: number; readonly startupSeconds: number; readonly minCapacity: number; readonly maxCapacity: number }): unknown[] {
  return applyTuning(recommendedTarget(o), candidate).policies.map((p) => roundPerUnit(p));
}

function recommendedTarget(o: { readonly perUnit: number; readonly startupSeconds: number; readonly minCapacity: number; readonly maxCapacity: number }): TargetConfig {
  return simulatedTarget('ours', o, recommendedPolicies({ perUnit: o.perUnit, startupSeconds: o.startupSeconds }, OURS));
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

function meets(m: ElasticityMetrics, objective: Objective): boolean {
  return m.underTimeShare <= objective.maxUnderProvisionedPercent && (objective.maxActionsPerDay === undefined || m.actionsPerDay <= objective.maxActionsPerDay);
}

/** The cheapest that meets the objective; if none does, the closest: lowest τU, then fewest unit-hours. */
function pick(scores: readonly CandidateScore[]): CandidateScore {
  const meeting = scores.filter((s) => s.meets);
  if (meeting.length > 0) return meeting.reduce((a, b) => (b.metrics.unitHours < a.metrics.unitHours ? b : a));
  return scores.reduce((a, b) => (b.metrics.underTimeShare < a.metrics.underTimeShare || (b.metrics.underTimeShare === a.metrics.underTimeShare && b.metrics.unitHours < a.metrics.unitHours) ? b : a));
}
