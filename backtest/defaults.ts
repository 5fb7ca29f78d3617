/** Every default of the backtester and its baselines, in one place. */
export const BACKTEST_DEFAULTS = {
  mean: 20_000,
  perUnit: 1000,
  startupSeconds: 60,
  stepSeconds: 60,
  evalFromDays: 3,
  minCapacity: 1,
  maxCapacity: 100_000,
  /** Every baseline aims at the same share of a unit's connections. */
  targetUtilization: 0.7,
  awsTargetTracking: {
    periodSeconds: 60,
    scaleOutDatapoints: 3,
    scaleInDatapoints: 15,
    /** The scale-in alarm fires below this fraction of the target. */
    scaleInThresholdRatio: 0.9,
    scaleInCooldownSeconds: 300,
  },
  awsStep: {
    periodSeconds: 60,
    scaleOutDatapoints: 2,
    scaleOutCooldownSeconds: 60,
    scaleInDatapoints: 10,
    /** The scale-in alarm fires below this fraction of the target. */
    scaleInThresholdRatio: 0.75,
    scaleInCooldownSeconds: 300,
  },
  awsPredictive: {
    /** AWS forecasts hourly, refreshes every 6 hours, needs 24 hours of history and uses up to 14 days. */
    forecastResolutionSeconds: 3600,
    refreshSeconds: 6 * 3600,
    minHistorySeconds: 24 * 3600,
    maxHistorySeconds: 14 * 86_400,
    schedulingBufferSeconds: 300,
  },
  hpa: {
    periodSeconds: 15,
    tolerance: 0.1,
    scaleDownStabilizationSeconds: 300,
  },
} as const;
