import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseControllerConfig, parseTargetConfig } from '../core';
import type { Trace } from './trace';
import { defaultBacktestOptions, runBacktest } from '../backtest/run';
import { recommendedPolicies } from './ours';

const HOUR = 3600;
/** Four days at 5-minute samples: 5,000 connections, and an hourly job that takes 60,000 at minute 55. */
function hourlyJobTrace(): Trace {
  const times: number[] = [];
  const values: number[] = [];
  for (let t = 0; t <= 4 * 86_400; t += 300) {
    times.push(t);
    values.push(t % HOUR === 55 * 60 ? 60_000 : 5000);
  }
  return { times, values };
}

describe('ours on an hourly job', () => {
  const [ours, reactive] = runBacktest(hourlyJobTrace(), ['ours', 'aws-target-tracking'], defaultBacktestOptions());
  const at = (minute: number) => [...ours!.rows].filter((r) => r.time % HOUR === minute * 60);

  it("has the job's units ready before its peak, every hour, where a reactive policy is short", () => {
    expect(at(55).length).toBe(24);
    for (const row of at(55)) expect(row.ready).toBeGreaterThanOrEqual(60);
    expect(ours!.metrics.underTimeShare).toBe(0);
    expect(reactive!.metrics.underTimeShare).toBeGreaterThan(0.05);
  });

  it("releases the job's units between runs", () => {
    for (const row of at(25)) expect(row.ready).toBeLessThanOrEqual(10);
  });
});

describe('the recommended configuration', () => {
  it('examples/recommended.json holds exactly the policies the backtest runs as ours', () => {
    const example = parseControllerConfig(JSON.parse(readFileSync(new URL('../examples/recommended.json', import.meta.url), 'utf8')));
    const target = example.targets[0]!;
    const backtested = parseTargetConfig({ ...target, policies: recommendedPolicies({ perUnit: 1000, startupSeconds: 60 }) });
    expect(target.policies).toEqual(backtested.policies);
  });
});
