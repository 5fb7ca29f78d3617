import { MIN_TUNING_DAYS, tuneTarget, tuningUnits } from '../sim';
import { InvalidInputError, moveToward, RETUNING, type EpochSeconds, type PredictivePolicy, type TargetConfig } from '../core';
import type { DecisionLog } from './evaluate';
import type { Series } from './seams/metric-source';
import type { TuningStore } from './seams/state-store';

const DAY = 86_400;
const STEP = 60;

/** What one re-tuning did: stored settings, only logged them (dry run, forecastOnly), or left the target alone. */
export type RetuneOutcome = 'stored' | 'logged' | 'too little history' | 'not due';

/** The targets the daily re-tuning serves: those with an objective (which needs a predictive policy). */
export function tunedTargets(targets: readonly TargetConfig[]): TargetConfig[] {
  return targets.filter((t) => t.objective !== undefined && t.policies.some((p) => p.type === 'predictive'));
}

/**
 * Re-tunes a target with an objective on its own metric history (up to 14 days at 1 minute), once a
 * day: the cheapest settings that meet the objective on all but the last day, checked on it, moved
 * toward from the stored ones by at most a step (so one odd day cannot swing them), stored for every
 * decision to apply, and logged with their backtested figures. With too little
 * history the configured settings go on applying. In a dry run, or with a forecastOnly predictive policy,
 * it logs what it would choose and stores nothing.
 */
export async function retune(
  target: TargetConfig,
  history: Series,
  deps: { readonly state: TuningStore; readonly log: DecisionLog },
  options: { readonly now: EpochSeconds; readonly dryRun: boolean },
): Promise<RetuneOutcome> {
  const objective = target.objective;
  const predictive = target.policies.find((p): p is PredictivePolicy => p.type === 'predictive');
  if (objective === undefined || predictive === undefined) throw new InvalidInputError(`target ${target.name} has no objective to tune to`);
  const previous = await deps.state.loadTuning(target.name);
  // A retried or repeated event finds today's tuning stored and changes nothing.
  if (previous !== undefined && options.now - previous.tunedAt < RETUNING.everySeconds) return 'not due';

  const known = history.times.flatMap((_, i) => (Number.isFinite(history.values[i]) ? [i] : []));
  const trace = { times: known.map((i) => history.times[i]!), values: known.map((i) => history.values[i]!) };
  const days = trace.times.length > 1 ? (trace.times.at(-1)! - trace.times[0]!) / DAY : 0;
  if (days < MIN_TUNING_DAYS + RETUNING.validationDays) {
    deps.log.info('tuning: too little history; the configured settings apply', { target: target.name, days: round(days), needed: MIN_TUNING_DAYS + RETUNING.validationDays });
    return 'too little history';
  }
  const started = performance.now();
  const result = tuneTarget(trace, target, { ...tuningUnits(target), stepSeconds: STEP, objective, validationDays: RETUNING.validationDays });
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
    return 'logged';
  }
  if (!(await deps.state.saveTuning(target.name, { settings, tunedAt: options.now }))) {
    deps.log.warn('a tuning as new is stored already; this re-tuning changes nothing', { target: target.name, tunedAt: options.now });
    return 'not due';
  }
  deps.log.info('tuning chosen', figures);
  return 'stored';
}

const round = (n: number) => Math.round(n * 1000) / 1000;
