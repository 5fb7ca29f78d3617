import { MIN_TUNING_DAYS, tuneTarget, tuningUnits } from '../backtest/tune';
import { moveToward, type EpochSeconds, type PredictivePolicy, type TargetConfig } from '../core';
import type { DecisionLog } from './evaluate';
import type { Series } from './metrics/metric-source';
import type { StateStore } from './state/state-store';

/** How often a target with an objective is re-tuned: daily, at the first forecast refresh a day after the last. */
export const RETUNE_SECONDS = 86_400;
/** The last day of the history is held out: the settings are chosen on the days before and checked on it. */
export const RETUNE_VALIDATION_DAYS = 1;
const DAY = 86_400;
const STEP = 60;

/**
 * Re-tunes a target with an objective on its own metric history (what the forecast refresh fetched: up to
 * 14 days at 1 minute), once a day: the cheapest settings that meet the objective on all but the last
 * day, checked on it, moved toward from the stored ones by at most a step (so one odd day cannot swing
 * them), stored for every decision to apply, and logged with their backtested figures. With too little
 * history the configured settings go on applying. In a dry run, or with a forecastOnly predictive policy,
 * it logs what it would choose and stores nothing.
 */
export async function retune(
  target: TargetConfig,
  history: Series,
  deps: { readonly state: Pick<StateStore, 'loadTuning' | 'saveTuning'>; readonly log: DecisionLog },
  options: { readonly now: EpochSeconds; readonly dryRun: boolean },
): Promise<void> {
  const objective = target.objective;
  const predictive = target.policies.find((p): p is PredictivePolicy => p.type === 'predictive');
  if (objective === undefined || predictive === undefined) return;
  const previous = await deps.state.loadTuning(target.name);
  if (previous !== undefined && options.now - previous.tunedAt < RETUNE_SECONDS) return;

  const known = history.times.flatMap((_, i) => (Number.isFinite(history.values[i]) ? [i] : []));
  const trace = { times: known.map((i) => history.times[i]!), values: known.map((i) => history.values[i]!) };
  const days = trace.times.length > 1 ? (trace.times.at(-1)! - trace.times[0]!) / DAY : 0;
  if (days < MIN_TUNING_DAYS + RETUNE_VALIDATION_DAYS) {
    deps.log.info('tuning: too little history; the configured settings apply', { target: target.name, days: round(days), needed: MIN_TUNING_DAYS + RETUNE_VALIDATION_DAYS });
    return;
  }
  const started = performance.now();
  const result = tuneTarget(trace, target, { ...tuningUnits(target), stepSeconds: STEP, objective, validationDays: RETUNE_VALIDATION_DAYS });
  const best = result.chosen ?? result.closest!;
  const settings = moveToward(previous?.settings, best.candidate);
  const figures = {
    target: target.name,
    objective,
    met: result.chosen !== undefined,
    chosen: best.candidate,
    applied: settings,
    tuning: { underTimeShare: round(best.metrics.underTimeShare), costRatio: round(best.costRatio), actionsPerDay: round(best.metrics.actionsPerDay) },
    heldOut: { underTimeShare: round(result.validation.metrics.underTimeShare), costRatio: round(result.validation.costRatio), actionsPerDay: round(result.validation.metrics.actionsPerDay) },
    candidates: result.tried.length,
    days: round(days),
    seconds: round((performance.now() - started) / 1000),
  };
  if (options.dryRun || predictive.mode === 'forecastOnly') {
    deps.log.info(`tuning chosen (${options.dryRun ? 'dry run' : 'forecastOnly'}: nothing stored)`, figures);
    return;
  }
  await deps.state.saveTuning(target.name, { settings, tunedAt: options.now });
  deps.log.info('tuning chosen', figures);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
