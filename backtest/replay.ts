import { DEFAULT_FIT_OPTIONS, type EpochSeconds, InvalidInputError, type TargetConfig } from '../core';
import { simulatedForecast, gapSeconds, sampleTraceUntil, sliceTrace, type Trace, connectionsOnlyProblems, engineController, type DecisionListener, type ObservationExtras, simulate, type SimulationResult } from '../sim';

export interface ReplayOptions {
  readonly from: EpochSeconds;
  readonly to: EpochSeconds;
  /** Seconds between decisions. */
  readonly stepSeconds: number;
  readonly initialCapacity: number;
  /** Connections a unit serves, for the under-provisioning figures. */
  readonly perUnit: number;
  /** Seconds from launch until a unit serves; 0 (the default) applies each decision at once. */
  readonly startupSeconds?: number;
}

/**
 * Runs one configured target through the simulator for a window of a trace, every decision handed to
 * `onDecision` with its reason. Units serve `startupSeconds` after launch (at once by default: what the
 * engine decides and why, apart from how fast the platform follows). A predictive policy gets its
 * forecast as deployed: refitted hourly on up to 14 days of the trace before each decision, including
 * what precedes the window.
 */
export function replayTarget(target: TargetConfig, trace: Trace, options: ReplayOptions, onDecision?: DecisionListener): SimulationResult {
  assertReplayable(target, options);
  const schedules = forecastBeforeAndDuring(target, trace, options);
  return simulate(sliceTrace(trace, options.from, options.to), engineController(target, options.stepSeconds, schedules, onDecision), {
    stepSeconds: options.stepSeconds,
    startupSeconds: options.startupSeconds ?? 0,
    perUnit: options.perUnit,
    evalFrom: options.from,
    initialCapacity: options.initialCapacity,
    gapSeconds: gapSeconds(trace),
  });
}

/**
 * The schedules of the target's predictive policies, fitted on the trace's datapoints before the window
 * (at the replay's step, up to the fitter's maximum history) followed by those the replay has published.
 */
function forecastBeforeAndDuring(target: TargetConfig, trace: Trace, options: ReplayOptions): ObservationExtras | undefined {
  const forecast = simulatedForecast(target.policies, options.stepSeconds);
  if (forecast === undefined) return undefined;
  const step = options.stepSeconds;
  const { times, values } = sampleTraceUntil(trace, options.from - step, step, DEFAULT_FIT_OPTIONS.maxHistorySeconds - step);
  const before = times.length;
  return ({ history, now }) => {
    for (let i = times.length - before; i < history.visible; i++) {
      times.push(history.times[i]!);
      values.push(history.connections[i]!);
    }
    const schedules = forecast({ times, values, visible: before + history.visible }, now);
    return schedules === undefined ? {} : { schedules };
  };
}

function assertReplayable(target: TargetConfig, options: ReplayOptions): void {
  const problems = connectionsOnlyProblems(target, 'a replay');
  if (!(options.to > options.from)) problems.push(`the replay must end (${options.to}) after it starts (${options.from})`);
  if (!Number.isInteger(options.initialCapacity) || options.initialCapacity < 0) {
    problems.push(`initialCapacity must be a whole number >= 0, got ${options.initialCapacity}`);
  }
  if (problems.length > 0) throw new InvalidInputError(`Cannot replay target ${target.name}: ${problems.join('; ')}`);
}
