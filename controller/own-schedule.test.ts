import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../core';
import { HOME, recordingLog } from '../aws/testing';
import { inMemoryDeps } from './in-memory';
import { OwnSchedule } from './own-schedule';
import { InMemoryTarget } from './seams/in-memory-target';

const NOW = Date.parse('2026-11-22T10:00:30Z') / 1000;
const config = parseControllerConfig({
  targets: [{ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 1, maxCapacity: 20, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 100 }] }],
});

describe('the schedule a controller keeps for itself', () => {
  it('evaluates once a slot, from the slot after it starts, with or without anyone told of it', async () => {
    const fleet = new InMemoryTarget({ desired: 2 });
    const deps = inMemoryDeps(new Map([['chat', fleet]]));
    for (const unit of fleet.runningUnits()) deps.memory.record('chat', unit, 300, NOW - 20);
    const log = recordingLog();
    let at = NOW;
    const runtime = { config, deps, clock: () => at, home: HOME };
    const schedule = new OwnSchedule(runtime, log, 60);
    schedule.restart(at);
    await schedule.due(at);
    expect((await fleet.describe()).desired).toBe(2);
    at = NOW + 30;
    await schedule.due(at);
    expect((await fleet.describe()).desired).toBe(6);
    const told: number[] = [];
    const reporting = new OwnSchedule(runtime, log, 60, (report) => told.push(...report.evaluated.map((e) => e.desired)));
    reporting.restart(NOW);
    at = NOW + 40;
    await reporting.due(at);
    at = NOW + 50;
    await reporting.due(at);
    expect(told).toEqual([6]);
  });

  it('logs a failed evaluation and goes on', async () => {
    const deps = inMemoryDeps(new Map());
    const log = recordingLog();
    const schedule = new OwnSchedule({ config, deps, clock: () => NOW + 30, home: HOME }, log, 60);
    schedule.restart(NOW);
    await expect(schedule.due(NOW + 30)).resolves.toBeUndefined();
    expect(JSON.stringify(log)).toContain('no in-memory target of that name');
  });
});
