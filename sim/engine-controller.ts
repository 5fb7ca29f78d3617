import { type AlarmObservation, decide, type Decision, emptyState, evaluateAlarm, policyInputs, type Observation, type TargetConfig } from '../core';
import { type ForecastCache, simulatedForecast } from './simulated-forecast';
import { perUnitAverages, type Controller, type MetricHistory, type PolicyView } from './view';

/** Extra observation parts a wrapper supplies (e.g. a predictive schedule). */
export type ObservationExtras = (view: PolicyView) => Partial<Pick<Observation, 'schedules'>>;

/** Sees every decision a simulated engine makes, e.g. to explain a backtest. */
export type DecisionListener = (decision: Decision, view: PolicyView) => void;

/** A target, or where to read the one in force at each decision (tuned settings change it mid-run). */
export type TargetSource = TargetConfig | (() => TargetConfig);

const currentOf = (source: TargetSource): (() => TargetConfig) => (typeof source === 'function' ? source : () => source);

/**
 * Runs the real engine (`decide`) as a simulated policy: it observes the published connections metric,
 * evaluates each step policy's CloudWatch alarm over the published history, and threads the state.
 */
export function engineController(
  source: TargetSource,
  periodSeconds: number,
  extras?: ObservationExtras,
  onDecision?: DecisionListener,
): Controller {
  const current = currentOf(source);
  let state = emptyState();
  return {
    periodSeconds,
    decide(view) {
      const target = current();
      const observation: Observation = {
        capacity: view.desired,
        metrics: { connections: view.observed },
        alarms: firingAlarms(target, view.history),
        ...extras?.(view),
      };
      const decision = decide({ target, observation, state, now: view.now });
      state = decision.state;
      onDecision?.(decision, view);
      return decision.desired;
    },
  };
}

/**
 * A configured target under simulation as deployed: the engine, and each predictive policy's schedule
 * from the forecast refitted hourly on the history published so far (shared through `cache`).
 */
export function deployedController(source: TargetSource, stepSeconds: number, cache?: ForecastCache, onDecision?: DecisionListener): Controller {
  const current = currentOf(source);
  const forecast = simulatedForecast(current().policies, stepSeconds, cache);
  return engineController(
    current,
    stepSeconds,
    forecast === undefined
      ? undefined
      : ({ history, now }) => {
          const schedules = forecast({ times: history.times, values: history.connections, visible: history.visible }, now, current().policies);
          return schedules === undefined ? {} : { schedules };
        },
    onDecision,
  );
}

/** The alarms of `target`'s alarm-driven policies that CloudWatch would have in ALARM over `history`. */
export function firingAlarms(target: TargetConfig, history: MetricHistory): Record<string, AlarmObservation> {
  const alarms: Record<string, AlarmObservation> = {};
  for (const policy of target.policies) {
    const alarm = policyInputs(policy).alarm?.definition;
    if (alarm === undefined) continue;
    const n = alarm.evaluationPeriods;
    const values = alarm.statistic === 'Sum' ? history.connections.slice(Math.max(0, history.visible - n), history.visible) : perUnitAverages(history, n);
    const firing = evaluateAlarm(alarm, values);
    if (firing !== undefined) alarms[policy.name] = firing;
  }
  return alarms;
}

/**
 * What keeps a target from running on connections alone (a replay, a backtest, local mode): a policy or
 * alarm on another metric, or a step policy whose alarm is defined elsewhere. `runner` names the run.
 */
export function connectionsOnlyProblems(target: TargetConfig, runner: string): string[] {
  const problems: string[] = [];
  for (const policy of target.policies) {
    const inputs = policyInputs(policy);
    if (inputs.metric !== undefined && inputs.metric !== 'connections') {
      problems.push(`policy ${policy.name} tracks "${inputs.metric}", but ${runner} only knows "connections"`);
    }
    if (inputs.alarm !== undefined && inputs.alarm.definition === undefined) {
      problems.push(`step policy ${policy.name} has no alarm, so ${runner} cannot tell when it fires`);
    }
    if (inputs.alarm?.definition !== undefined && inputs.alarm.definition.metric !== 'connections') {
      problems.push(`the alarm of ${policy.name} watches "${inputs.alarm.definition.metric}", but ${runner} only knows "connections"`);
    }
  }
  return problems;
}
