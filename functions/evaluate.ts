import { alarmOf, decide, policyInputs, type AlarmObservation, type CapacitySchedule, type Decision, type EpochSeconds, type TargetConfig } from '../core';
import { StateConflictError } from './errors';
import type { MetricSource, UnitLoads } from './metrics/metric-source';
import type { StateStore } from './state/state-store';
import type { ScalingTarget, TargetCapacity } from './targets/scaling-target';

/** The structured log a handler keeps (Powertools Logger satisfies it). */
export interface DecisionLog {
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

/** The seams the controller works through: AWS in Lambda, in memory in tests and local mode. */
export interface ControllerDeps {
  /** The adapter that scales a configured target. */
  readonly targets: (target: TargetConfig) => ScalingTarget;
  readonly metrics: MetricSource;
  readonly state: StateStore;
  /** Per-unit connections, to spare the busiest units on scale-in; without it the platform picks. */
  readonly unitLoads?: UnitLoads;
}

export interface EvaluationDeps extends ControllerDeps {
  readonly log: DecisionLog;
}

export interface EvaluationOutcome {
  readonly target: string;
  readonly decision: Decision;
  /** True when capacity was changed on the target. */
  readonly applied: boolean;
  readonly dryRun: boolean;
}

/** Saves are retried this many times when another invocation saved first. */
const ATTEMPTS = 3;

/**
 * Fetch → decide → apply for one target. The new state is saved (conditionally on the version read)
 * before capacity changes, so of two invocations deciding from the same state only one applies. With
 * `dryRun`, the decision is logged and nothing is changed.
 */
export async function evaluateTarget(
  target: TargetConfig,
  deps: EvaluationDeps,
  options: {
    readonly now: EpochSeconds;
    readonly alarms: Readonly<Record<string, AlarmObservation>>;
    readonly dryRun: boolean;
    readonly schedules?: Readonly<Record<string, CapacitySchedule>>;
  },
): Promise<EvaluationOutcome> {
  const scaling = deps.targets(target);
  const metricNames = [...new Set(target.policies.flatMap((p) => policyInputs(p).metric ?? []))];
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.state.load(target.name);
    const capacity = await scaling.describe();
    if (attempt === 1 && !options.dryRun) await releaseSettled(target, scaling, capacity, deps);
    const metrics: Record<string, number> = {};
    for (const name of metricNames) metrics[name] = await deps.metrics.latest(target, name, options.now);
    const observation = { capacity: capacity.desired, metrics, alarms: options.alarms, ...(options.schedules ? { schedules: options.schedules } : {}) };
    const decision = decide({ target, observation, state: stored.state, now: options.now });
    const logged = { target: target.name, kind: target.kind, current: decision.current, desired: decision.desired, reason: decision.reason, decisionMessage: decision.message, metrics, alarms: options.alarms, proposals: decision.proposals, platform: capacity };
    if (options.dryRun) {
      deps.log.info('decision (dry run: nothing changed)', logged);
      return { target: target.name, decision, applied: false, dryRun: true };
    }
    try {
      await deps.state.save(target.name, decision, stored.version, options.now);
    } catch (error) {
      if (error instanceof StateConflictError && attempt < ATTEMPTS) {
        deps.log.warn('state changed under us; deciding again', { target: target.name, attempt });
        continue;
      }
      throw error;
    }
    const applied = decision.desired !== decision.current;
    if (applied && decision.desired < decision.current && scaling.protectBusiest !== undefined && deps.unitLoads !== undefined) {
      const loads = deps.unitLoads;
      const spared = await scaling.protectBusiest(decision.desired, (units) => loads.connectionsByUnit(target, units, options.now));
      await deps.state.saveProtection(target.name, spared);
      deps.log.info('protected the busiest units before scale-in', { target: target.name, protected: spared });
    }
    if (applied) await scaling.setDesired(decision.desired);
    deps.log.info(applied ? 'capacity changed' : 'decision', logged);
    return { target: target.name, decision, applied, dryRun: false };
  }
}

/** Once a scale-in has settled (running equals desired), the protection set for it is lifted. */
async function releaseSettled(target: TargetConfig, scaling: ScalingTarget, capacity: TargetCapacity, deps: EvaluationDeps): Promise<void> {
  if (scaling.releaseProtection === undefined || capacity.running !== capacity.desired) return;
  const units = await deps.state.loadProtection(target.name);
  if (units.length === 0) return;
  await scaling.releaseProtection(units);
  await deps.state.saveProtection(target.name, []);
  deps.log.info('scale-in settled; protection released', { target: target.name, released: units });
}

/** The alarms of a target's alarm-driven policies that are in ALARM, keyed by policy name. */
export async function firingAlarmsOf(target: TargetConfig, metrics: MetricSource): Promise<Record<string, AlarmObservation>> {
  const byAlarm = new Map(target.policies.flatMap((p) => {
    const alarm = alarmOf(target.name, p);
    return alarm === undefined ? [] : [[alarm.name, p.name] as const];
  }));
  if (byAlarm.size === 0) return {};
  const firing = await metrics.firingAlarms([...byAlarm.keys()]);
  return Object.fromEntries([...firing].map(([alarm, observed]) => [byAlarm.get(alarm)!, observed]));
}
