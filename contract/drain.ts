// How the stop of one chat unit is timed. Everything follows from one setting, the drain window, so that
// every moved client is on another node before the load balancer may close what is still open.
//
// Both platforms deregister a unit from the load balancer first, wait the deregistration delay, and only
// then tell the unit (ECS sends SIGTERM; the ASG runs its terminating lifecycle hook). AWS promises no
// open WebSocket beyond that delay. So a node watches for the platform's own notice that it is going
// (ECS: its task DEACTIVATING; EC2: the instance's target lifecycle state), drains at once, and the
// delay covers the watch, the drain window and a margin.

/** The default window within which a draining node's clients reconnect, each at its own random moment. */
export const DRAIN_WINDOW_SECONDS = 10;

export interface DrainTimings {
  /** Clients reconnect elsewhere at random within this window. */
  readonly drainWindowSeconds: number;
  /** How often a node looks for its platform's notice that it is being stopped. */
  readonly noticeSeconds: number;
  /** The load balancer's deregistration delay: the notice, the window, and a margin for the last clients. */
  readonly deregistrationDelaySeconds: number;
  /** SIGTERM to SIGKILL: a drain that begins only at SIGTERM (no notice came) still ends within it. */
  readonly stopTimeoutSeconds: number;
}

/** The margin after the window for the last clients' reconnect and the node's own grace. */
const MARGIN_SECONDS = 5;

export function drainTimings(drainWindowSeconds = DRAIN_WINDOW_SECONDS): DrainTimings {
  const noticeSeconds = 5;
  return {
    drainWindowSeconds,
    noticeSeconds,
    deregistrationDelaySeconds: noticeSeconds + drainWindowSeconds + MARGIN_SECONDS,
    stopTimeoutSeconds: drainWindowSeconds + 4 * MARGIN_SECONDS,
  };
}
