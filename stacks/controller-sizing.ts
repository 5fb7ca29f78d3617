import type { ControllerConfig } from '../core';
import { alarmsOf } from '../core';
import { autoScalingGroupsOf } from '../kinds';

/** The controller's functions, by construct id. */
export type ControllerFunction = 'Evaluate' | 'OnAlarm' | 'RefreshForecast' | 'Retune' | 'DrainInstance';

/**
 * Each function's memory (MB). The evaluations, the alarm and the drain mostly wait on AWS; the forecast
 * fits 14 days of history; the re-tuning's search is CPU-bound on one thread, and 1,769 MB is where
 * Lambda gives a whole vCPU.
 */
export const MEMORY_MB: Record<ControllerFunction, number> = { Evaluate: 512, OnAlarm: 512, RefreshForecast: 1024, Retune: 1769, DrainInstance: 512 };

/**
 * Reserved concurrency for each controller function, sized from the configuration. A reservation does two
 * things a scaler needs: the controller still runs when the account's other functions take every unreserved
 * execution (as they may in the very spike it must answer), and no function of it takes more than its share.
 * Each size is the most invocations that can usefully run at once; a throttled event is retried by Lambda
 * (asynchronous invocations), so the sizes bound latency, not correctness, except for the drain.
 */
export function reservedConcurrency(config: ControllerConfig): Record<ControllerFunction, number> {
  const alarms = config.targets.reduce((n, t) => n + alarmsOf(t).length, 0);
  const groupCapacity = config.targets.filter((t) => autoScalingGroupsOf([t]).length > 0).reduce((n, t) => n + t.maxCapacity, 0);
  return {
    // One invocation a minute evaluates every target and ends (50 s timeout) before the next; the second
    // lets EventBridge's retry of a late delivery run beside the next minute's.
    Evaluate: 2,
    // Each step-policy alarm enters ALARM once per transition: at most every alarm at once.
    OnAlarm: Math.max(1, alarms),
    // Hourly and daily, each one invocation for every target.
    RefreshForecast: 1,
    Retune: 1,
    // Every instance of every group may terminate at once (a scale-in to the minimum, an instance refresh).
    // A drain throttled past the hook's timeout would come after the instance is gone, so none may wait.
    DrainInstance: Math.max(1, groupCapacity),
  };
}
