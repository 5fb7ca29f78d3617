import { alarmsOf, decide, policyInputs, quote, type AlarmObservation, type CapacitySchedule, type Decision, type EpochSeconds, type TargetConfig, type TargetState } from '../core';
import { AdapterError, StateConflictError } from './errors';
import { readerOf, type AlarmReader, type ForecastSink, type MetricReaders, type UnitLoads } from './seams/metric-source';
import type { DecisionStore, ProtectionStore, StateStore } from './seams/state-store';
import type { ScalingTarget, TargetCapacity } from './seams/scaling-target';

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
  /** The metrics policies and alarms name, each with its reader. */
  readonly metrics: MetricReaders;
  readonly alarms: AlarmReader;
  readonly forecastSink: ForecastSink;
  /** Every store a deployment keeps; each step below takes only the ones it uses. */
  readonly state: StateStore;
  /** Per-unit connections, to spare the busiest units on scale-in; without it the platform picks. */
  readonly unitLoads?: UnitLoads;
}

export interface EvaluationDeps extends ControllerDeps {
  readonly log: DecisionLog;
}

/** What one evaluation uses: the target's adapter, its metrics, its engine state and its scale-in protection. */
type EvaluateDeps = Pick<EvaluationDeps, 'targets' | 'metrics' | 'unitLoads' | 'log'> & { readonly state: DecisionStore & ProtectionStore };

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
 * before capacity changes, so of two invocations deciding from the same state only one applies. If the
 * platform then refuses the change, the state is put back as it was, with the failure as its last
 * decision, and the error is rethrown so the event is retried. With `dryRun`, the decision is logged
 * and nothing is changed.
 */
export async function evaluateTarget(
  target: TargetConfig,
  deps: EvaluateDeps,
  options: {
    /** The controller's clock. */
    readonly now: EpochSeconds;
    /** When the event being answered happened; it only orders and deduplicates (default: `now`). */
    readonly eventAt?: EpochSeconds;
    readonly alarms: Readonly<Record<string, AlarmObservation>>;
    readonly dryRun: boolean;
    readonly schedules?: Readonly<Record<string, CapacitySchedule>>;
  },
): Promise<EvaluationOutcome> {
  const scaling = deps.targets(target);
  const metricNames = [...new Set(target.policies.flatMap((p) => policyInputs(p).metric ?? []))];
  const { now, eventAt = now } = options;
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.state.load(target.name);
    const capacity = await scaling.describe();
    if (attempt === 1 && !options.dryRun) await releaseSettled(target, scaling, capacity, deps);
    const metrics: Record<string, number> = {};
    const units = metricNames.length > 0 ? await scaling.listUnits?.() : undefined;
    for (const name of metricNames) metrics[name] = await readerOf(deps.metrics, name).latest(target, now, units);
    const observation = {
      capacity: capacity.desired,
      metrics,
      alarms: options.alarms,
      platform: { min: capacity.min, max: capacity.max },
      ...(options.schedules ? { schedules: options.schedules } : {}),
    };
    const decision = decide({ target, observation, state: stored.state, now, eventAt });
    const logged = { target: target.name, kind: target.kind, current: decision.current, desired: decision.desired, reason: decision.reason, decisionMessage: decision.message, metrics, alarms: options.alarms, proposals: decision.proposals, platform: capacity };
    if (options.dryRun) {
      deps.log.info('decision (dry run: nothing changed)', logged);
      return { target: target.name, decision, applied: false, dryRun: true };
    }
    const lastDecision = { at: now, current: decision.current, desired: decision.desired, reason: decision.reason, message: decision.message };
    let version: number;
    try {
      version = await deps.state.save(target.name, { state: decision.state, lastDecision }, stored.version);
    } catch (error) {
      if (error instanceof StateConflictError && attempt < ATTEMPTS) {
        deps.log.warn('state changed under us; deciding again', { target: target.name, attempt });
        continue;
      }
      throw error;
    }
    const applied = decision.desired !== decision.current;
    try {
      if (applied && decision.desired < decision.current && scaling.protectBusiest !== undefined && deps.unitLoads !== undefined) {
        const loads = deps.unitLoads;
        const spared = await scaling.protectBusiest(decision.desired, (units) => loads.connectionsByUnit(target, units, now));
        await deps.state.saveProtection(target.name, spared);
        deps.log.info('protected the busiest units before scale-in', { target: target.name, protected: spared });
      }
      if (applied) await scaling.setDesired(decision.desired);
    } catch (error) {
      const refusal = quote(error instanceof Error ? error.message : String(error));
      await undoSave(target, deps, { state: stored.state, version, decision, now, refusal });
      throw new AdapterError(`${target.kind} ${target.name} refused the change ${decision.current} -> ${decision.desired}: ${refusal}`, { cause: error });
    }
    deps.log.info(applied ? 'capacity changed' : 'decision', logged);
    return { target: target.name, decision, applied, dryRun: false };
  }
}

/**
 * Puts back the state a refused change replaced, so the retried event and the next evaluation decide
 * from what is really running. It is conditional on the version just saved: if another invocation has
 * saved since, its state stands.
 */
async function undoSave(
  target: TargetConfig,
  deps: EvaluateDeps,
  failed: { state: TargetState; version: number; decision: Decision; now: EpochSeconds; refusal: string },
): Promise<void> {
  const { decision, refusal } = failed;
  const message = `could not apply ${decision.current} -> ${decision.desired} (${decision.reason}): ${refusal}`;
  const lastDecision = { at: failed.now, current: decision.current, desired: decision.current, reason: 'ApplyFailed', message };
  try {
    await deps.state.save(target.name, { state: failed.state, lastDecision }, failed.version);
    deps.log.error('the platform refused the change; state put back as it was', { target: target.name, error: refusal });
  } catch (undoError) {
    deps.log.error('the platform refused the change, and the state could not be put back', { target: target.name, error: refusal, undoError: quote(String(undoError)) });
  }
}

/** Once a scale-in has settled (running equals desired), the protection set for it is lifted. */
async function releaseSettled(target: TargetConfig, scaling: ScalingTarget, capacity: TargetCapacity, deps: EvaluateDeps): Promise<void> {
  if (scaling.releaseProtection === undefined || capacity.running !== capacity.desired) return;
  const units = await deps.state.loadProtection(target.name);
  if (units.length === 0) return;
  await scaling.releaseProtection(units);
  await deps.state.saveProtection(target.name, []);
  deps.log.info('scale-in settled; protection released', { target: target.name, released: units });
}

/** The alarms of a target's alarm-driven policies that are in ALARM, keyed by policy name. */
export async function firingAlarmsOf(target: TargetConfig, alarms: AlarmReader): Promise<Record<string, AlarmObservation>> {
  const byAlarm = new Map(alarmsOf(target).map((alarm) => [alarm.name, alarm.policy.name]));
  if (byAlarm.size === 0) return {};
  const firing = await alarms.firingAlarms([...byAlarm.keys()]);
  return Object.fromEntries([...firing].map(([alarm, observed]) => [byAlarm.get(alarm)!, observed]));
}
