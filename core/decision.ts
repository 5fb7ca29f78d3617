import type { TargetState } from './state';

/**
 * Why a policy proposed what it did, or why the engine settled where it did.
 * Each code is stable and machine-readable; the message beside it is for humans.
 */
export type ReasonCode =
  // step scaling
  | 'StepScaleOut'
  | 'StepScaleIn'
  | 'StepNoChange'
  | 'NoStepMatched'
  | 'AlarmNotFiring'
  | 'InCooldown'
  | 'CooldownAbsorbed'
  | 'WarmupAbsorbed'
  | 'ScaleInBlockedByWarmup'
  | 'AllDatapointsWarming'
  // target tracking
  | 'TargetTrackingScaleOut'
  | 'TargetTrackingScaleIn'
  | 'WithinTolerance'
  | 'ScaleInStabilized'
  | 'ScaleOutStabilized'
  | 'ScaleOutRateLimited'
  | 'ScaleInRateLimited'
  | 'ScaleInDisabled'
  | 'ScaleOutDisabled'
  // predictive scaling
  | 'PredictiveScaleOut'
  | 'PredictiveScaleIn'
  | 'PredictiveHold'
  | 'NoForecast'
  | 'ForecastOnly'
  // the engine's own limits
  | 'NoChange'
  | 'ClampedToMax'
  | 'ClampedToMin'
  | 'ClampedToPlatformMax'
  | 'ClampedToPlatformMin'
  | 'MaxStepLimited'
  | 'AlreadyScaled'
  /** A scale-in held because a step policy's scale-out alarm is still in ALARM. */
  | 'ScaleOutAlarmFiring';

/** What one policy asks for. `desired` is absent when the policy abstains (it has no opinion this time). */
export interface Proposal {
  readonly policy: string;
  readonly desired?: number;
  readonly reason: ReasonCode;
  readonly message: string;
  /**
   * A floor, not a wish: it bounds how far other policies may scale in, but never starts a scale-in by
   * itself (target tracking with scale-in disabled, as AWS's DisableScaleIn).
   */
  readonly floorOnly?: boolean;
  /**
   * For a scale-in: it is worth making only if capacity ends below this. When another policy's floor
   * lifts the scale-in to this or above, capacity holds instead (a small scale-in is not worth an action).
   */
  readonly scaleInBelow?: number;
}

export interface Decision {
  /** Capacity the target had when the decision was made. */
  readonly current: number;
  /** Capacity to apply: always within [minCapacity, maxCapacity]. */
  readonly desired: number;
  readonly reason: ReasonCode;
  /** One line a human can read: what happened and why. */
  readonly message: string;
  /** The policy whose proposal won, if any policy proposed a capacity. */
  readonly policy?: string;
  /** Every policy's own proposal, winners and losers, for the log. */
  readonly proposals: readonly Proposal[];
  /** The state to persist once `desired` has been applied. */
  readonly state: TargetState;
}
