import { InvalidInputError, type TargetConfig } from '../core';
import { type Trace, type ElasticityMetrics, deployedController, oracle, ours, type OursSettings, type ForecastCache, runOptions, simulate, type RunSettings, type StepRows, type Controller } from '../sim';
import { BACKTEST_DEFAULTS } from './defaults';
import { awsPredictive } from './policies/aws-predictive';
import { awsStep } from './policies/aws-step';
import { awsTargetTracking } from './policies/aws-target-tracking';
import { hpa } from './policies/hpa';
import { retunedController } from './policies/retuned';

export const POLICY_NAMES = ['ours', 'aws-target-tracking', 'aws-step', 'aws-predictive', 'hpa', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** A backtest's run settings (see RunSettings; the metric is interpolated by default), and what varies ours. */
export interface BacktestOptions extends RunSettings {
  /** Extra headroom for `--sweep`: a fraction added to every policy's provisioning (0 = the defaults). */
  readonly headroom?: number;
  /** The settings `ours` runs with; the recommended ones (OURS) by default. */
  readonly ours?: OursSettings;
  /** Forecast models `ours` shares with other runs over the same trace (see ForecastCache). */
  readonly forecastCache?: ForecastCache;
  /**
   * A configured target that `ours` runs instead of the recommended settings: its own policies, as the
   * deployed controller runs them, and with an objective the daily re-tuning as deployed too.
   */
  readonly target?: TargetConfig;
}

export const defaultBacktestOptions = (): BacktestOptions => ({
  perUnit: BACKTEST_DEFAULTS.perUnit,
  startupSeconds: BACKTEST_DEFAULTS.startupSeconds,
  stepSeconds: BACKTEST_DEFAULTS.stepSeconds,
  evalFromDays: BACKTEST_DEFAULTS.evalFromDays,
  minCapacity: BACKTEST_DEFAULTS.minCapacity,
  maxCapacity: BACKTEST_DEFAULTS.maxCapacity,
  targetUtilization: BACKTEST_DEFAULTS.targetUtilization,
});

export interface PolicyResult {
  readonly policy: PolicyName;
  readonly metrics: ElasticityMetrics;
  /** unitHours divided by the oracle's. */
  readonly costRatio?: number;
  readonly rows: StepRows;
}

function controllerFor(name: PolicyName, trace: Trace, o: BacktestOptions): Controller {
  const utilization = o.targetUtilization / (1 + (o.headroom ?? 0));
  const limits = { targetPerUnit: o.perUnit * utilization, minCapacity: o.minCapacity, maxCapacity: o.maxCapacity };
  switch (name) {
    case 'oracle':
      return oracle(trace, { ...o });
    case 'aws-target-tracking':
      return awsTargetTracking(limits);
    case 'aws-step':
      return awsStep(limits);
    case 'aws-predictive':
      return awsPredictive(limits, { stepSeconds: o.stepSeconds });
    case 'hpa':
      return hpa(limits);
    case 'ours':
      if (o.target !== undefined) return configuredController(trace, o.target, o);
      return ours({ ...o, headroom: o.headroom ?? 0, settings: o.ours, forecastCache: o.forecastCache });
  }
}

/** Refuses a backtest that would score nothing. */
function assertScorable(trace: Trace, o: BacktestOptions): void {
  if (trace.times[trace.times.length - 1]! - trace.times[0]! <= o.evalFromDays * 86_400) {
    throw new InvalidInputError(`the trace is no longer than the ${o.evalFromDays}-day warm-up, so nothing would be scored; lower --eval-from-days`);
  }
}

/** One policy over the trace, with the model every policy of a backtest shares. */
function simulatePolicy(trace: Trace, policy: PolicyName, o: BacktestOptions, onProgress?: (done: number) => void): Omit<PolicyResult, 'costRatio'> {
  assertScorable(trace, o);
  const run = simulate(trace, controllerFor(policy, trace, o), { ...runOptions(trace, o), ...(onProgress === undefined ? {} : { onProgress }) });
  return { policy, metrics: run.metrics, rows: run.rows };
}

/** Every cost related to the oracle's, which is cheap to simulate when it was not asked for. */
function relateToOracle(results: ReadonlyArray<Omit<PolicyResult, 'costRatio'>>, oracleRun: () => Omit<PolicyResult, 'costRatio'>): PolicyResult[] {
  const oracleHours = (results.find((r) => r.policy === 'oracle') ?? oracleRun()).metrics.unitHours;
  return results.map((r) => ({ ...r, costRatio: r.metrics.unitHours / oracleHours }));
}

/** Runs each policy over the trace with the same model, and relates every cost to the oracle's. */
export function runBacktest(trace: Trace, policies: readonly PolicyName[], o: BacktestOptions, onProgress?: (policy: PolicyName, done: number) => void): PolicyResult[] {
  assertScorable(trace, o);
  const results = policies.map((policy) => {
    const run = simulatePolicy(trace, policy, o, onProgress === undefined ? undefined : (done) => onProgress(policy, done));
    onProgress?.(policy, 1);
    return run;
  });
  return relateToOracle(results, () => simulatePolicy(trace, 'oracle', o));
}

/** A configured target as deployed: its policies through the engine, re-tuned daily when it has an objective. */
function configuredController(trace: Trace, target: TargetConfig, o: BacktestOptions): Controller {
  if (target.objective !== undefined) return retunedController(trace, target, target.objective, o);
  return deployedController(target, o.stepSeconds, o.forecastCache);
}
