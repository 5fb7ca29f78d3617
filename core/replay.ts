import { evaluateAlarm } from './alarm';
import { isStepPolicy, type TargetConfig } from './config/target';
import type { Decision } from './decision';
import { decide } from './engine';
import { InvalidInputError } from './errors';
import type { AlarmObservation } from './observation';
import { emptyState } from './state';
import type { EpochSeconds } from './time';
import { TraceCursor, type Trace } from './trace';

export interface ReplayOptions {
  readonly from: EpochSeconds;
  readonly to: EpochSeconds;
  /** Seconds between decisions. */
  readonly stepSeconds: number;
  readonly initialCapacity: number;
}

export interface ReplayTick {
  readonly time: EpochSeconds;
  readonly connections: number;
  readonly decision: Decision;
}

/**
 * Feeds a connections trace through the engine, one decision per step, applying each decision at once.
 * Step policies see their alarm the way CloudWatch would evaluate it over the replayed metric.
 * It shows what the engine decides and why; it does not model start-up time or score cost: that is the
 * backtester's job.
 */
export function* replay(target: TargetConfig, trace: Trace, options: ReplayOptions): Generator<ReplayTick> {
  assertReplayable(target, options);
  const cursor = new TraceCursor(trace);
  const alarmed = target.policies.flatMap((p) => (isStepPolicy(p) && p.alarm !== undefined ? [{ name: p.name, alarm: p.alarm }] : []));
  const periods = new Map(alarmed.map(({ name }) => [name, [] as number[]]));
  let capacity = options.initialCapacity;
  let state = emptyState();

  for (let time = options.from; time <= options.to; time += options.stepSeconds) {
    const connections = cursor.valueAt(time);
    const alarms: Record<string, AlarmObservation> = {};
    for (const { name, alarm } of alarmed) {
      const history = periods.get(name)!;
      if ((time - options.from) % alarm.periodSeconds < options.stepSeconds) {
        history.push(alarm.statistic === 'Sum' ? connections : capacity > 0 ? connections / capacity : NaN);
        if (history.length > alarm.evaluationPeriods) history.shift();
      }
      const firing = evaluateAlarm(alarm, history);
      if (firing !== undefined) alarms[name] = firing;
    }
    const decision = decide({ target, observation: { capacity, metrics: { connections }, alarms }, state, now: time });
    yield { time, connections, decision };
    capacity = decision.desired;
    state = decision.state;
  }
}

function assertReplayable(target: TargetConfig, options: ReplayOptions): void {
  const problems: string[] = [];
  for (const policy of target.policies) {
    if (policy.type === 'target-tracking' && policy.metric !== 'connections') {
      problems.push(`policy ${policy.name} tracks "${policy.metric}", but a replay only knows "connections"`);
    }
    if (isStepPolicy(policy) && policy.alarm === undefined) {
      problems.push(`step policy ${policy.name} has no alarm, so a replay cannot tell when it fires`);
    }
    if (isStepPolicy(policy) && policy.alarm !== undefined && policy.alarm.metric !== 'connections') {
      problems.push(`the alarm of ${policy.name} watches "${policy.alarm.metric}", but a replay only knows "connections"`);
    }
  }
  if (!(options.stepSeconds > 0)) problems.push(`stepSeconds must be > 0, got ${options.stepSeconds}`);
  if (!(options.to >= options.from)) problems.push(`the replay must end (${options.to}) at or after it starts (${options.from})`);
  if (!Number.isInteger(options.initialCapacity) || options.initialCapacity < 0) {
    problems.push(`initialCapacity must be a whole number >= 0, got ${options.initialCapacity}`);
  }
  if (problems.length > 0) throw new InvalidInputError(`Cannot replay target ${target.name}: ${problems.join('; ')}`);
}

export interface ReplaySummary {
  readonly decisions: number;
  readonly scaleOuts: number;
  readonly scaleIns: number;
  readonly unitHours: number;
  readonly peakCapacity: number;
  readonly peakConnections: number;
  readonly reasons: Readonly<Record<string, number>>;
}

/** Totals over a replay's ticks; `reasons` counts the reason of every decision that changed capacity. */
export function summarize(ticks: Iterable<ReplayTick>, stepSeconds: number): ReplaySummary {
  let decisions = 0;
  let scaleOuts = 0;
  let scaleIns = 0;
  let unitSeconds = 0;
  let peakCapacity = 0;
  let peakConnections = 0;
  const reasons: Record<string, number> = {};
  for (const { connections, decision } of ticks) {
    decisions++;
    if (decision.desired > decision.current) scaleOuts++;
    if (decision.desired < decision.current) scaleIns++;
    if (decision.desired !== decision.current) reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
    unitSeconds += decision.desired * stepSeconds;
    peakCapacity = Math.max(peakCapacity, decision.desired);
    peakConnections = Math.max(peakConnections, connections);
  }
  return { decisions, scaleOuts, scaleIns, unitHours: unitSeconds / 3600, peakCapacity, peakConnections, reasons };
}
