import { alarmsOf, quote, type AlarmDefinition, type AlarmObservation, type ControllerConfig, type EpochSeconds, type PolicyConfig, type TargetConfig } from '../core';
import { EventError } from './errors';
import { evaluateTarget, firingAlarmsOf, type DecisionLog, type EvaluationOutcome } from './evaluate';
import { arnParts, checkEventTime, checkOrigin, parseEvent } from './events/guard';
import { alarmStateChangeSchema, snsAlarmMessageSchema, snsEventSchema, type AlarmChange } from './events/schemas';
import { alarmObservation } from './events/alarm-reason';
import type { Runtime } from './runtime';
import { tunedTarget } from './tuning';

/** Reads an alarm state change from EventBridge, or from SNS; anything else is refused with the reason. */
export function parseAlarmEvent(event: unknown): AlarmChange {
  if (typeof event === 'object' && event !== null && 'Records' in event) {
    const record = parseEvent(snsEventSchema, event, 'SNS event').Records[0]!;
    let message: unknown;
    try {
      message = JSON.parse(record.Sns.Message);
    } catch (error) {
      throw new EventError(`SNS message ${record.Sns.MessageId} is not JSON`, { cause: error });
    }
    const alarm = parseEvent(snsAlarmMessageSchema, message, 'CloudWatch alarm message in SNS');
    // The alarm's own ARN says where it lives; older messages carry only the account, beside the topic's.
    const topic = arnParts(record.Sns.TopicArn);
    const own = arnParts(alarm.AlarmArn);
    return {
      id: record.Sns.MessageId,
      account: own?.account ?? alarm.AWSAccountId ?? topic?.account ?? '',
      region: own?.region ?? topic?.region ?? '',
      alarmName: alarm.AlarmName,
      state: alarm.NewStateValue,
      time: Date.parse(alarm.StateChangeTime) / 1000,
      ...(alarm.Trigger?.Threshold === undefined ? {} : { threshold: alarm.Trigger.Threshold }),
    };
  }
  const change = parseEvent(alarmStateChangeSchema, event, 'CloudWatch alarm state change event');
  return {
    id: change.id,
    account: change.account,
    region: change.region,
    alarmName: change.detail.alarmName,
    state: change.detail.state.value,
    time: Date.parse(change.time) / 1000,
    ...(change.detail.state.reasonData === undefined ? {} : { reasonData: change.detail.state.reasonData }),
  };
}

/** An alarm-driven policy of a target, with its alarm's name and the definition the config gives. */
interface AlarmedPolicy {
  readonly target: TargetConfig;
  readonly policy: PolicyConfig;
  readonly alarm: { readonly name: string; readonly definition: AlarmDefinition | undefined };
}

/** The target and policy an alarm drives, or an EventError naming the alarms that are configured. */
export function policyForAlarm(config: ControllerConfig, alarmName: string): AlarmedPolicy {
  const alarmed = config.targets.flatMap((target) => alarmsOf(target).map(({ policy, ...alarm }) => ({ target, policy, alarm })));
  const found = alarmed.find((a) => a.alarm.name === alarmName);
  if (found !== undefined) return found;
  throw new EventError(`unknown alarm ${quote(JSON.stringify(alarmName))}; configured alarms: ${quote(alarmed.map((a) => a.alarm.name).join(', ')) || 'none'}`);
}

/**
 * An alarm changed state: if it is now in ALARM, its step policy is applied at once with the datapoints
 * the event carries (from DescribeAlarms when it carries none). Leaving ALARM needs no action.
 */
export async function runAlarm(event: unknown, rt: Runtime, log: DecisionLog): Promise<EvaluationOutcome | { skipped: string }> {
  const change = parseAlarmEvent(event);
  checkOrigin(change, rt.home, `alarm state change ${quote(change.id)}`);
  const now = rt.clock();
  checkEventTime(change.time, now, `alarm state change ${quote(change.id)}`);
  const alarmed = policyForAlarm(rt.config, change.alarmName);
  const { target, policy } = alarmed;
  if (change.state !== 'ALARM') {
    log.info('alarm left ALARM; nothing to do', { alarm: change.alarmName, state: change.state });
    return { skipped: `alarm ${change.alarmName} is ${change.state}` };
  }
  const observed = alarmObservation(change.reasonData, change.threshold) ?? (await fetchDatapoints(rt, alarmed, now));
  // The target's other alarms still in ALARM: a scale-in must not undo what one of them scaled out for.
  const others = alarmsOf(target).length > 1 ? await firingAlarmsOf(target, rt.deps.alarms) : {};
  const alarms = { ...others, [policy.name]: observed };
  return evaluateTarget(await tunedTarget(target, rt.deps.state), { ...rt.deps, log }, { now, eventAt: change.time, alarms, dryRun: rt.config.dryRun });
}

/** When the event carries no datapoints: the alarm's own state (DescribeAlarms), else the metric (GetMetricData). */
async function fetchDatapoints(rt: Runtime, { target, alarm }: AlarmedPolicy, now: EpochSeconds): Promise<AlarmObservation> {
  const described = (await rt.deps.alarms.firingAlarms([alarm.name])).get(alarm.name);
  if (described !== undefined) return described;
  if (alarm.definition !== undefined) {
    const values = await rt.deps.alarms.alarmDatapoints(target, alarm.definition, now);
    if (values.length > 0) return { threshold: alarm.definition.threshold, datapoints: values.map((value) => ({ value })) };
  }
  throw new EventError(`alarm ${alarm.name} carries no datapoints and none could be read back; the scheduled evaluation will catch up`);
}
