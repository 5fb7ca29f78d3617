import { z } from 'zod';
import type { PredictivePolicy } from './policies/predictive/schema';
import type { TargetTrackingPolicy } from './policies/target-tracking/schema';
import type { TargetConfig } from './config/target';
import { DEFAULT_FIT_OPTIONS } from './forecast/fit';

/**
 * The settings a target's objective tunes: extra headroom on its per-unit targets, and how eagerly its
 * capacity comes back down. Plain data, stored per target and applied at every decision.
 */
export interface TunedSettings {
  /** Per-unit targets are divided by 1 + headroom: 0.2 provisions a fifth more, -0.1 runs hotter. */
  readonly headroom: number;
  /** The predictive policy scales in only when the held need is this far (%) below capacity. */
  readonly scaleInThresholdPercent: number;
  /** Every policy scales in only as low as the highest need of this window, in seconds. */
  readonly scaleInStabilizationSeconds: number;
  /** A predictive scale-out covers the forecast's peak this much further ahead: fewer, larger steps. */
  readonly holdSeconds: number;
  /** A predictive policy that provisions to predicted spreads provisions to this many (see spreadDeviations). */
  readonly spreadDeviations?: number;
}

/** Tuned settings as they are stored and read back: bounded, so a damaged item is refused, not applied. */
export const tunedSettingsSchema = z.strictObject({
  headroom: z.number().min(-0.5).max(5),
  scaleInThresholdPercent: z.number().min(0).max(100),
  scaleInStabilizationSeconds: z.number().int().min(0).max(3600),
  holdSeconds: z.number().int().min(0).max(86_400),
  spreadDeviations: z.number().min(0).max(10).optional(),
});

/** How a target with an objective is re-tuned, deployed (functions/retune.ts) and simulated (backtest) alike. */
export const RETUNING = {
  /** Daily: the objective is about days, and an hourly search would chase the noise. */
  everySeconds: 86_400,
  /** On the history the forecaster fits on, 14 days. */
  historySeconds: DEFAULT_FIT_OPTIONS.maxHistorySeconds,
  /** The last day is held out: the settings are chosen on the days before and checked on it. */
  validationDays: 1,
} as const;

/** How far one re-tuning may move each setting, so that one odd day cannot swing them. */
export const TUNING_STEP = { headroom: 0.1, scaleInThresholdPercent: 15, scaleInStabilizationSeconds: 120, holdSeconds: 900, spreadDeviations: 0.5 } as const;

/**
 * The target with tuned settings applied to its capacity policies: predictive and target tracking
 * divide their per-unit targets by 1 + headroom and take the scale-in window; predictive takes the
 * scale-in threshold and the hold. Step policies keep their alarms' absolute thresholds. Undefined changes nothing.
 */
export function applyTuning<T extends Pick<TargetConfig, 'policies'>>(target: T, tuned: TunedSettings | undefined): T {
  if (tuned === undefined) return target;
  const scale = (perUnit: number) => perUnit / (1 + tuned.headroom);
  const policies = target.policies.map((policy) => {
    if (policy.type === 'predictive') {
      const p = policy as PredictivePolicy;
      const spread = p.spreadDeviations === undefined || tuned.spreadDeviations === undefined ? {} : { spreadDeviations: tuned.spreadDeviations };
      return { ...p, ...spread, connectionsPerUnit: scale(p.connectionsPerUnit), scaleInThresholdPercent: tuned.scaleInThresholdPercent, holdSeconds: tuned.holdSeconds, scaleIn: { ...p.scaleIn, stabilizationSeconds: tuned.scaleInStabilizationSeconds } };
    }
    if (policy.type === 'target-tracking') {
      const p = policy as TargetTrackingPolicy;
      return { ...p, targetPerUnit: scale(p.targetPerUnit), scaleIn: { ...p.scaleIn, stabilizationSeconds: tuned.scaleInStabilizationSeconds } };
    }
    return policy;
  });
  return { ...target, policies };
}

/** `chosen`, reached from `previous` by at most TUNING_STEP per setting; `chosen` itself the first time. */
export function moveToward(previous: TunedSettings | undefined, chosen: TunedSettings): TunedSettings {
  if (previous === undefined) return chosen;
  const step = (key: keyof typeof TUNING_STEP, from: number, to: number) => from + Math.sign(to - from) * Math.min(Math.abs(to - from), TUNING_STEP[key]);
  const settled = (key: Exclude<keyof TunedSettings, 'spreadDeviations'>) => step(key, previous[key], chosen[key]);
  // A first choice of spreads (the settings stored before them had none) is taken as it is.
  const spread = chosen.spreadDeviations === undefined ? {} : { spreadDeviations: Math.round(1000 * step('spreadDeviations', previous.spreadDeviations ?? chosen.spreadDeviations, chosen.spreadDeviations)) / 1000 };
  return {
    headroom: Math.round(1000 * settled('headroom')) / 1000,
    scaleInThresholdPercent: settled('scaleInThresholdPercent'),
    scaleInStabilizationSeconds: settled('scaleInStabilizationSeconds'),
    holdSeconds: settled('holdSeconds'),
    ...spread,
  };
}

/** The untuned settings of a target: no headroom added, and its predictive policy's own scale-in. */
export function configuredSettings(target: Pick<TargetConfig, 'policies'>): TunedSettings {
  const predictive = target.policies.find((p): p is PredictivePolicy => p.type === 'predictive');
  const tracking = target.policies.find((p): p is TargetTrackingPolicy => p.type === 'target-tracking');
  return {
    headroom: 0,
    scaleInThresholdPercent: predictive?.scaleInThresholdPercent ?? 10,
    scaleInStabilizationSeconds: predictive?.scaleIn.stabilizationSeconds ?? tracking?.scaleIn.stabilizationSeconds ?? 300,
    holdSeconds: predictive?.holdSeconds ?? 600,
    ...(predictive?.spreadDeviations === undefined ? {} : { spreadDeviations: predictive.spreadDeviations }),
  };
}
