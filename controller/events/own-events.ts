import { randomUUID } from 'node:crypto';
import type { AlarmObservation, EpochSeconds } from '../../core';
import type { Home } from './guard';

// The events AWS would send, in the shapes the handlers parse: EventBridge's scheduled event and
// CloudWatch's alarm state change. A controller that runs as a process of its own (local mode, scaler
// keda) sends them to itself, on its clock.

const iso = (at: EpochSeconds) => new Date(Math.floor(at) * 1000).toISOString().replace('.000Z', 'Z');

export function scheduledEvent(rule: string, at: EpochSeconds, home: Home) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: home.account,
    time: iso(at),
    region: home.region,
    resources: [`arn:aws:events:${home.region}:${home.account}:rule/${rule}`],
    detail: {},
  };
}

export function alarmStateChange(alarmName: string, state: 'OK' | 'ALARM', observed: AlarmObservation | undefined, at: EpochSeconds, home: Home) {
  const reasonData = observed === undefined ? undefined : JSON.stringify({ version: '1.0', recentDatapoints: observed.datapoints.map((d) => d.value), threshold: observed.threshold });
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: home.account,
    time: iso(at),
    region: home.region,
    resources: [`arn:aws:cloudwatch:${home.region}:${home.account}:alarm:${alarmName}`],
    detail: { alarmName, state: { value: state, reason: `local alarm evaluator: ${state}`, ...(reasonData === undefined ? {} : { reasonData }), timestamp: new Date(at * 1000).toISOString() } },
  };
}
