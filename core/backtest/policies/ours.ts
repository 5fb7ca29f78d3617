import { simulatedTarget } from './simulated-target';
import { DEFAULT_FIT_OPTIONS, fitForecastModel } from '../../forecast/fit';
import type { ForecastModel } from '../../forecast/model';
import { scheduleFromModel } from '../../predictive/schedule';
import type { Controller } from '../view';
import { engineController, type DecisionListener, type ObservationExtras } from './engine-controller';

export interface OursOptions {
  readonly perUnit: number;
  readonly startupSeconds: number;
  readonly stepSeconds: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Extra headroom for a sweep, as a fraction of a unit's connections: 0 is the recommended setting. */
  readonly headroom: number;
}

/** Our recommended configuration, as a user would deploy it. */
export const OURS = {
  /** The forecaster is refitted hourly, as the forecast refresh does by default. */
  refitSeconds: 3600,
  /** The upper band: the 90th percentile of the forecast's error at the lead horizon. */
  quantile: 0.9,
  schedulingBufferSeconds: 60,
  /** A scale-out covers the forecast's peak this much further ahead, so capacity moves in fewer steps. */
  holdSeconds: 900,
  /** Scale in only when the need is at least this far (percent) below capacity... */
  scaleInThresholdPercent: 30,
  /** ...over a whole 3-minute window, and by at most half the fleet a minute. */
  scaleInStabilizationSeconds: 180,
  scaleInLimit: { type: 'Percent', value: 50, periodSeconds: 60 },
  /** The reactive safety net scales out once the observed load passes 90% of a unit; it never scales in. */
  reactiveUtilization: 0.9,
} as const;

/**
 * Predictive + reactive. At each decision the forecaster, refitted hourly and corrected by the latest
 * datapoints, schedules the units its upper band needs over the next start-up time plus buffer; target
 * tracking on connections catches what the forecast misses and keeps scale-in above the observed load.
 * The highest proposal wins.
 */
export function ours(o: OursOptions, onDecision?: DecisionListener): Controller {
  const perUnit = o.perUnit / (1 + o.headroom);
  const lead = o.startupSeconds + OURS.schedulingBufferSeconds;
  const target = simulatedTarget('ours', o, [
    {
      type: 'predictive',
      name: 'forecast',
      connectionsPerUnit: perUnit,
      startupSeconds: o.startupSeconds,
      schedulingBufferSeconds: OURS.schedulingBufferSeconds,
      holdSeconds: OURS.holdSeconds,
      scaleInThresholdPercent: OURS.scaleInThresholdPercent,
      scaleIn: { stabilizationSeconds: OURS.scaleInStabilizationSeconds, policies: [OURS.scaleInLimit] },
    },
    {
      type: 'target-tracking',
      name: 'reactive',
      targetPerUnit: perUnit * OURS.reactiveUtilization,
      tolerance: 0,
      scaleIn: { stabilizationSeconds: 0, selectPolicy: 'Disabled' },
    },
  ]);
  // From the last datapoint (one step old) to the end of the window a decision must cover.
  const leadSteps = Math.ceil(lead / o.stepSeconds) + 1;
  let model: ForecastModel | undefined;
  let fittedAt = -Infinity;

  const schedules = (view: Parameters<ObservationExtras>[0]): ReturnType<ObservationExtras> => {
    const { history, now } = view;
    if (now - fittedAt >= OURS.refitSeconds && (history.visible - 1) * o.stepSeconds >= 86_400) {
      const from = Math.max(0, history.visible - Math.floor(DEFAULT_FIT_OPTIONS.maxHistorySeconds / o.stepSeconds));
      model = fitForecastModel(history.times.slice(from, history.visible), history.connections.slice(from, history.visible), {
        ...DEFAULT_FIT_OPTIONS,
        quantile: OURS.quantile,
        stepSeconds: o.stepSeconds,
        scoreHorizonSeconds: leadSteps * o.stepSeconds,
        // Decisions only ever read the band at the lead horizon (below): measure that far, no further.
        horizonSeconds: (leadSteps + 1) * o.stepSeconds,
      });
      fittedAt = now;
    }
    if (model === undefined) return {};
    const observed = { times: history.times, values: history.connections, visible: history.visible };
    return { schedules: { forecast: scheduleFromModel(model, observed, { leadSeconds: lead, horizonSeconds: lead + OURS.holdSeconds, connectionsPerUnit: perUnit }) } };
  };
  return engineController(target, o.stepSeconds, schedules, onDecision);
}
