import type { Proposal } from './decision';
import type { Observation } from './observation';
import type { TargetState } from './state';
import type { EpochSeconds } from './time';

/** What every policy sees when it is evaluated. `state` has already been pruned to what is live at `now`. */
export interface PolicyContext {
  readonly now: EpochSeconds;
  readonly capacity: number;
  readonly state: TargetState;
  readonly observation: Observation;
}

export interface Evaluation {
  readonly proposal: Proposal;
  /** A raw recommendation the engine remembers for this policy's stabilization window. */
  readonly recommendation?: number;
  /** A higher maxCapacity this policy allows for this decision (predictive IncreaseMaxCapacity). */
  readonly maxCapacity?: number;
}
