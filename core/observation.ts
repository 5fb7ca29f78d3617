import type { PlatformLimits } from './bounds';
import type { EpochSeconds } from './time';

/** One datapoint of an alarm's metric. `warming` marks a value that came from a unit still warming up (EC2). */
export interface MetricDatapoint {
  readonly value: number;
  readonly warming?: boolean;
}

/** A CloudWatch alarm that is in ALARM, as its step policy sees it. */
export interface AlarmObservation {
  readonly threshold: number;
  /** The alarm's recent datapoints, newest last; aggregated with the policy's MetricAggregationType. */
  readonly datapoints: readonly MetricDatapoint[];
}

/** What the adapters fetched about one target, handed to the engine as plain values. */
export interface Observation {
  /** The target's current desired capacity (units). */
  readonly capacity: number;
  /** Metric values by name, for target tracking, e.g. `{ connections: 18250 }` (the fleet's total). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Alarms currently in ALARM, keyed by the name of the step policy they drive. */
  readonly alarms: Readonly<Record<string, AlarmObservation>>;
  /** The platform's own capacity limits (an ASG's MinSize and MaxSize), where it has them. */
  readonly platform?: PlatformLimits;
  /** Stored forecast capacity schedules, keyed by the name of the predictive policy they feed. */
  readonly schedules?: Readonly<Record<string, CapacitySchedule>>;
}

/** Units the forecast asks for, one value per `stepSeconds` from `start`: what a forecast refresh stores. */
export interface CapacitySchedule {
  readonly start: EpochSeconds;
  readonly stepSeconds: number;
  /** What a scale-out provides: the upper band at the lead horizon, step by step. */
  readonly units: readonly number[];
  /**
   * What a scale-in keeps, as long as `units` and never below it: the upper band measured at each step's
   * own horizon, up to the policy's scale-in band horizon. Without it a scale-in keeps `units`.
   */
  readonly keep?: readonly number[];
}
