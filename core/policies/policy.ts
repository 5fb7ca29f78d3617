import type { z } from 'zod';
import type { AlarmDefinition } from '../alarm';
import type { Proposal } from '../decision';
import type { FitOptions } from '../forecast/fit';
import type { ForecastModel } from '../forecast/model';
import type { Observed } from '../forecast/predict';
import type { CapacitySchedule, Observation } from '../observation';
import type { TargetState } from '../state';
import type { EpochSeconds } from '../time';

/** What every policy configuration has: its type, which names its behaviour in the registry, and its name. */
export interface PolicyBase {
  readonly type: string;
  readonly name: string;
}

/** What every policy sees when it is evaluated. `state` has already been pruned to what is live at `now`. */
export interface PolicyContext {
  readonly now: EpochSeconds;
  readonly capacity: number;
  readonly state: TargetState;
  readonly observation: Observation;
}

export interface Evaluation {
  readonly proposal: Proposal;
  /** A raw recommendation the engine remembers for this policy's history window. */
  readonly recommendation?: number;
  /** A higher maxCapacity this policy allows for this decision (predictive IncreaseMaxCapacity). */
  readonly maxCapacity?: number;
}

/** A stored forecast, turned into the capacity schedule a policy reads. */
export interface ForecastInput {
  /** The band of the forecast's error the policy follows: one forecast is fitted per target. */
  readonly bandQuantile: number;
  /** How the refresh fits the forecast for this policy, at `stepSeconds` resolution. */
  fitOptions(stepSeconds: number): FitOptions;
  /** The schedule the policy reads, from the stored model and the recent metric. */
  schedule(model: ForecastModel, observed: Observed): CapacitySchedule;
}

/**
 * What a policy reads from an observation. Adapters fetch exactly this, and the engine refuses an
 * observation that lacks it or carries parts no policy reads.
 */
export interface PolicyInputs {
  /** The observed metric (the fleet's total) it reads from `observation.metrics`. */
  readonly metric?: string;
  /** It acts when its CloudWatch alarm is in ALARM (`observation.alarms[name]`); the config may define the alarm. */
  readonly alarm?: { readonly definition: AlarmDefinition | undefined };
  /** It reads a capacity schedule from the stored forecast (`observation.schedules[name]`). */
  readonly forecast?: ForecastInput;
}

/** How the target's state changes when this policy's proposal moved capacity. */
export interface AfterScaling {
  /** Seconds the units it launched warm up; the target's warmupSeconds when absent. */
  readonly warmupSeconds?: number;
  /** Seconds of cooldown its change starts (Application Auto Scaling step scaling); none when absent or 0. */
  readonly cooldownSeconds?: number;
}

/**
 * One type of scaling policy, as KEDA has one Scaler per event source: its schema, what it reads, its
 * proposal and what the engine must remember for it. The engine combines proposals without knowing the
 * type; the registry maps `type` to this. Methods, not function properties, so a policy of a narrower
 * configuration type is still a ScalingPolicy of the base.
 */
export interface ScalingPolicy<P extends PolicyBase = PolicyBase> {
  readonly type: P['type'];
  /**
   * The platform whose own policy type it is (EC2 Auto Scaling's or Application Auto Scaling's step
   * scaling); each kind of target says which platforms' types it takes. Every kind takes it when absent.
   */
  readonly platform?: string;
  /** Rejects unknown keys and reports every problem; fills the defaults. */
  readonly schema: z.ZodType<P>;
  inputs(policy: P): PolicyInputs;
  propose(policy: P, ctx: PolicyContext): Evaluation;
  /** Seconds its recommendations are remembered (stabilization windows); 0 keeps none. */
  historySeconds(policy: P): number;
  /** Seconds applied changes are remembered for its rate limits; 0 keeps none. */
  rateLimitSeconds(policy: P): number;
  afterScaling(policy: P): AfterScaling;
  /**
   * Why no policy may scale in now because of this one (a scale-out alarm still in ALARM), or undefined.
   * Without it the policy never holds the others back.
   */
  holdsScaleIn?(policy: P, ctx: PolicyContext): string | undefined;
}

/** Declares a policy type, checking it against the interface while keeping its own configuration type. */
export const definePolicy = <P extends PolicyBase>(policy: ScalingPolicy<P>): ScalingPolicy<P> => policy;

/** The configuration type of a policy type. */
export type ConfigOf<T> = T extends ScalingPolicy<infer P> ? P : never;
