import { simulatedTarget } from './simulated-target';
import type { ForecastCache } from './simulated-forecast';
import type { Controller } from './view';
import { deployedController, type DecisionListener } from './engine-controller';

export interface OursOptions {
  readonly perUnit: number;
  readonly startupSeconds: number;
  readonly stepSeconds: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Extra headroom for a sweep, as a fraction of a unit's connections: 0 is the recommended setting. */
  readonly headroom: number;
  /** The settings to run with; the recommended ones (OURS) by default. */
  readonly settings?: OursSettings;
  /** Forecast models to share with other runs over the same trace (see ForecastCache). */
  readonly forecastCache?: ForecastCache;
}

/** The settings the recommended policies are built from (see OURS for what each does). */
export interface OursSettings {
  readonly quantile: number;
  /** Provision to this many predicted spreads of demand instead of the band; absent: the band at `quantile`. */
  readonly spreadDeviations?: number;
  readonly schedulingBufferSeconds: number;
  readonly holdSeconds: number;
  readonly scaleInThresholdPercent: number;
  readonly scaleInStabilizationSeconds: number;
  readonly scaleInLimit: { readonly type: 'Percent' | 'Units'; readonly value: number; readonly periodSeconds: number };
  readonly scaleInBandHorizonSeconds: number;
  readonly reactiveUtilization: number;
}

/** Our recommended configuration, as a user would deploy it. */
export const OURS: OursSettings = {
  /** The upper band: the 80th percentile of the forecast's error at each horizon. */
  quantile: 0.8,
  /**
   * The forecast plus two predicted spreads: the spread follows the hour of the day and the last hour,
   * so quiet hours are not provisioned for the noise of busy ones. The tuner searches it.
   */
  spreadDeviations: 2,
  schedulingBufferSeconds: 60,
  /** A scale-out covers the forecast's peak this much further ahead, so capacity moves in fewer steps. */
  holdSeconds: 900,
  /** Scale in only when the need is at least this far (percent) below capacity... */
  scaleInThresholdPercent: 30,
  /** ...over a whole 3-minute window, and by at most half the fleet a minute. */
  scaleInStabilizationSeconds: 180,
  scaleInLimit: { type: 'Percent', value: 50, periodSeconds: 60 },
  /** A scale-in keeps what the band 10 minutes out may need, rather than relaunch it minutes later. */
  scaleInBandHorizonSeconds: 600,
  /**
   * The reactive safety net scales out once the observed load passes 90% of a unit. It never scales in,
   * and is a floor for scale-in over the same 3-minute window.
   */
  reactiveUtilization: 0.9,
};

/**
 * The recommended policies for a target whose units each serve `perUnit` connections and start serving
 * `startupSeconds` after launch, as configuration (examples/recommended.json is this for Fargate).
 */
export function recommendedPolicies(o: { readonly perUnit: number; readonly startupSeconds: number }, s: OursSettings = OURS): unknown[] {
  return [
    {
      type: 'predictive',
      name: 'forecast',
      connectionsPerUnit: o.perUnit,
      bandQuantile: s.quantile,
      ...(s.spreadDeviations === undefined ? {} : { spreadDeviations: s.spreadDeviations }),
      startupSeconds: o.startupSeconds,
      schedulingBufferSeconds: s.schedulingBufferSeconds,
      holdSeconds: s.holdSeconds,
      scaleInThresholdPercent: s.scaleInThresholdPercent,
      scaleIn: { stabilizationSeconds: s.scaleInStabilizationSeconds, policies: [s.scaleInLimit], bandHorizonSeconds: s.scaleInBandHorizonSeconds },
    },
    {
      type: 'target-tracking',
      name: 'reactive',
      targetPerUnit: o.perUnit * s.reactiveUtilization,
      tolerance: 0,
      scaleIn: { stabilizationSeconds: s.scaleInStabilizationSeconds, selectPolicy: 'Disabled' },
    },
  ];
}

/**
 * Predictive + reactive. At each decision the forecaster, refitted hourly and corrected by the latest
 * datapoints, schedules the units its upper band needs over the next start-up time plus buffer; target
 * tracking on connections catches what the forecast misses and keeps scale-in above the load observed
 * over the stabilization window. The highest proposal wins.
 */
export function ours(o: OursOptions, onDecision?: DecisionListener): Controller {
  const target = simulatedTarget('ours', o, recommendedPolicies({ perUnit: o.perUnit / (1 + o.headroom), startupSeconds: o.startupSeconds }, o.settings));
  return deployedController(target, o.stepSeconds, o.forecastCache, onDecision);
}
