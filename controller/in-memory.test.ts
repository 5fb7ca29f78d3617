import { describe, expect, it } from 'vitest';
import { alarmOf, decide, emptyState, parseControllerConfig } from '../core';
import { StateConflictError } from './errors';
import { evaluateTarget, firingAlarmsOf } from './evaluate';
import { runScheduled } from './on-schedule';
import { inMemoryDeps } from './in-memory';
import { InMemoryTarget } from './seams/in-memory-target';
import { HOME, recordingLog } from '../aws/testing';

const NOW = Date.parse('2026-11-22T10:00:00Z') / 1000;
const scheduled = (now: number) => ({ version: '0', id: `tick-${now}`, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: new Date(now * 1000).toISOString(), region: 'us-east-1', resources: [], detail: {} });

const tracking = { type: 'target-tracking', name: 'connections', targetPerUnit: 100, scaleIn: { stabilizationSeconds: 0 } };
const surge = {
  type: 'ecs-step',
  name: 'surge',
  AdjustmentType: 'ChangeInCapacity',
  StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 8 }],
  alarm: { comparison: 'GreaterThanThreshold', threshold: 150, statistic: 'Average' },
};
const config = parseControllerConfig({ targets: [{ name: 'chat', kind: 'ecs-service', resource: { cluster: 'chat', service: 'chat' }, minCapacity: 1, maxCapacity: 20, policies: [tracking, surge] }] });

/** `units` units of the fleet each report `each` connections over the minute before `now`. */
function report(deps: ReturnType<typeof inMemoryDeps>, fleet: InMemoryTarget, each: number, now: number) {
  for (const unit of fleet.runningUnits()) deps.memory.record('chat', unit, each, now - 30);
}

describe('the controller on in-memory seams', () => {
  it('runs the scheduled handler end to end: reads the fleet total, decides and scales the target', async () => {
    const fleet = new InMemoryTarget({ desired: 2 });
    const deps = inMemoryDeps(new Map([['chat', fleet]]));
    report(deps, fleet, 150, NOW);
    const result = await runScheduled(scheduled(NOW), { config, deps, clock: () => NOW, home: HOME }, recordingLog());
    // 300 connections at 100 per unit: 3 units.
    expect(result.evaluated).toEqual([{ target: 'chat', current: 2, desired: 3, reason: 'TargetTrackingScaleOut', applied: true }]);
    expect(fleet.changes).toEqual([3]);
    expect(deps.state.lastDecision('chat')).toMatchObject({ at: NOW, current: 2, desired: 3, reason: 'TargetTrackingScaleOut' });
  });

  it('evaluates an alarm on per-unit averages as CloudWatch would, and the step policy acts on it', async () => {
    const fleet = new InMemoryTarget({ desired: 2 });
    const deps = inMemoryDeps(new Map([['chat', fleet]]));
    report(deps, fleet, 400, NOW);
    const target = config.targets[0]!;
    const alarm = alarmOf(target.name, target.policies[1]!)!;
    expect(await deps.memory.evaluate(target, alarm.name, alarm.definition!, NOW)).toEqual({ threshold: 150, datapoints: [{ value: 400 }] });
    expect(await firingAlarmsOf(target, deps.alarms)).toEqual({ surge: { threshold: 150, datapoints: [{ value: 400 }] } });
    const result = await runScheduled(scheduled(NOW), { config, deps, clock: () => NOW, home: HOME }, recordingLog());
    // Target tracking wants 8 (800 / 100), the surge step 2 + 8 = 10: the larger wins.
    expect(result.evaluated[0]).toMatchObject({ desired: 10, reason: 'StepScaleOut' });
  });

  it('spares the busiest units on scale-in, and stops the emptiest', async () => {
    const fleet = new InMemoryTarget({ desired: 4 });
    const deps = inMemoryDeps(new Map([['chat', fleet]]));
    const loads = [90, 5, 60, 0];
    fleet.runningUnits().forEach((unit, i) => deps.memory.record('chat', unit, loads[i]!, NOW - 30));
    const outcome = await evaluateTarget(config.targets[0]!, { ...deps, log: recordingLog() }, { now: NOW, alarms: {}, dryRun: false });
    expect(outcome.decision.desired).toBe(2);
    fleet.settle();
    expect(fleet.runningUnits()).toEqual(['unit-0', 'unit-2']);
  });

  it('keeps versioned saves: of two decisions from the same state, the second is a conflict', async () => {
    const deps = inMemoryDeps(new Map());
    const decision = decide({ target: config.targets[0]!, observation: { capacity: 2, metrics: { connections: 500 }, alarms: {} }, state: emptyState(), now: NOW });
    const { version } = await deps.state.load('chat');
    const entry = { state: decision.state, lastDecision: { at: NOW, current: 2, desired: decision.desired, reason: decision.reason, message: decision.message } };
    expect(await deps.state.save('chat', entry, version)).toBe(1);
    await expect(deps.state.save('chat', entry, version)).rejects.toThrow(StateConflictError);
    expect((await deps.state.load('chat')).state).toEqual(decision.state);
  });

  it('refuses a target it does not hold, naming the ones it does', () => {
    const deps = inMemoryDeps(new Map([['chat', new InMemoryTarget({ desired: 1 })]]));
    expect(() => deps.targets({ ...config.targets[0]!, name: 'other' })).toThrow('no in-memory target of that name; known: chat');
  });
});
