import type { ControllerConfig, EpochSeconds } from '../core';
import type { ControllerDeps } from './evaluate';
import type { Home } from './events/guard';

/** What every event handler runs with: the configuration, the seams, the clock and where it runs. */
export interface Runtime {
  readonly config: ControllerConfig;
  readonly deps: ControllerDeps;
  /** The controller's clock: every decision's `now`. In Lambda, the function's own. */
  readonly clock: () => EpochSeconds;
  /** The account and region the controller runs in: events from anywhere else are refused. */
  readonly home: Home;
}
