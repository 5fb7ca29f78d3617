import { describe, expect, it } from 'vitest';
import { checkDominance } from './dominance';
import { formatTable, HEADERS, metricRows, rowsToCsv, summaryJson } from './report';
import { StepRows, syntheticTrace, deployedController, recommendedPolicies, simulatedTarget, runOptions, simulate } from '../sim';
import { renderHtml } from './report-html';
import { parseTargetConfig } from '../core';
import { retunedController } from './policies/retuned';
import { defaultBacktestOptions, POLICY_NAMES, runBacktest, type PolicyResult } from './run';

const DAY = 86_400;

describe('runBacktest', () => {
  const results = runBacktest(syntheticTrace(), POLICY_NAMES, defaultBacktestOptions());
  const by = (name: string) => results.find((r) => r.policy === name)!;

  it('runs every policy over the evaluation window only', () => {
    expect(results.map((r) => r.policy)).toEqual([...POLICY_NAMES]);
    for (const r of results) {
      expect(r.metrics.days).toBeCloseTo(2, 1);
      expect(r.rows.at(0)!.time).toBe(3 * DAY);
    }
  });

  it('the oracle is never short and is the cheapest', () => {
    expect(by('oracle').metrics.underTimeShare).toBe(0);
    expect(by('oracle').costRatio).toBe(1);
    for (const r of results) expect(r.metrics.unitHours).toBeGreaterThanOrEqual(by('oracle').metrics.unitHours);
  });

  it('every policy stays within [min, max] and never has more ready than running units', () => {
    for (const r of results) {
      for (const row of r.rows) {
        expect(row.desired).toBeGreaterThanOrEqual(1);
        expect(row.ready).toBeLessThanOrEqual(row.running);
      }
    }
  });

  it('a reactive policy is short during the surge, because it sees load a step late and units take a minute to start', () => {
    expect(by('aws-target-tracking').metrics.underTimeShare).toBeGreaterThan(0);
  });

  it('refuses a trace that is all warm-up', () => {
    expect(() => runBacktest({ times: [0, DAY], values: [1, 1] }, ['oracle'], defaultBacktestOptions())).toThrow('lower --eval-from-days');
  });

  it('writes one CSV row per step with the documented columns', () => {
    const csv = rowsToCsv(by('ours').rows).split('\n');
    expect(csv[0]).toBe('time,demand,desired,running,ready');
    expect(csv[1]).toMatch(/^259200,\d+(\.\d+)?,\d+,\d+,\d+$/);
    expect(csv.length - 2).toBe(by('ours').rows.length);
  });

  it.each([
    { unserved: 3.64e-12, shown: '0' },
    { unserved: 0.49, shown: '0' },
    { unserved: 1234.6, shown: '1235' },
  ])('shows $unserved unserved connection-minutes as $shown: whole connection-minutes', ({ unserved, shown }) => {
    const result = { ...by('ours'), metrics: { ...by('ours').metrics, unservedConnectionMinutes: unserved } };
    expect(metricRows([result])[0]![HEADERS.indexOf('unserved conn-min')]).toBe(shown);
  });

  it('summarizes metrics and dominance as JSON, and renders a table and an HTML report', () => {
    const meta = { trace: 'synthetic <trace>.csv', perUnit: 1000, options: { step: 60 } };
    const summary = JSON.parse(summaryJson(results, meta));
    expect(Object.keys(summary.policies)).toEqual([...POLICY_NAMES]);
    expect(summary.policies.oracle.costRatio).toBe(1);
    expect(formatTable(results).split('\n')[0]).toMatch(/^policy\s+τU %/);
    const html = renderHtml(results, meta);
    expect(html).toContain('synthetic &lt;trace&gt;.csv');
    expect(html).toContain('<div id="capacity-chart">');
    expect(html).not.toContain('<div id="frontier-chart">'); // no sweep, no frontier
  });
});

describe('checkDominance', () => {
  const result = (policy: PolicyResult['policy'], underTimeShare: number, unitHours: number): PolicyResult => ({
    policy,
    rows: new StepRows(0),
    metrics: { underTimeShare, unitHours, underAccuracy: 0, overAccuracy: 0, overTimeShare: 0, unservedConnectionMinutes: 0, actionsPerDay: 0, days: 1, unscoredHours: 0 },
  });
  it.each([
    { name: 'less of both', ours: [0.1, 90], base: [0.5, 100], verdict: 'dominates', noWorse: true },
    { name: 'equal time, less cost', ours: [0, 90], base: [0, 100], verdict: 'cheaper at equal τU', noWorse: true },
    { name: 'less time, equal cost', ours: [0.1, 100], base: [0.5, 100], verdict: 'safer at equal cost', noWorse: true },
    { name: 'equal in both', ours: [0, 100], base: [0, 100], verdict: 'does not dominate', noWorse: false },
    { name: 'less time, more cost', ours: [0.1, 110], base: [0.5, 100], verdict: 'does not dominate', noWorse: false },
    { name: 'more time, less cost', ours: [0.5, 90], base: [0.1, 100], verdict: 'does not dominate', noWorse: false },
    // Below what the table shows (0.01% of τU, a whole unit-hour), two figures are the same.
    { name: 'τU lower only below the shown precision', ours: [0.001, 90], base: [0.004, 100], verdict: 'cheaper at equal τU', noWorse: true },
    { name: 'unit-hours lower only below a whole hour', ours: [0.1, 99.8], base: [0.5, 100.1], verdict: 'safer at equal cost', noWorse: true },
  ])('$name: $verdict', ({ ours, base, verdict, noWorse }) => {
    const checks = checkDominance([result('ours', ours[0]!, ours[1]!), result('hpa', base[0]!, base[1]!), result('oracle', 0, 50)]);
    expect(checks).toEqual([expect.objectContaining({ baseline: 'hpa', verdict, noWorse, dominates: verdict === 'dominates' })]);
  });
});

describe('a configured target as ours', () => {
  const trace = syntheticTrace();
  const o = defaultBacktestOptions();
  const policies = recommendedPolicies({ perUnit: o.perUnit, startupSeconds: o.startupSeconds });

  it('runs its own policies as deployed', () => {
    const target = simulatedTarget('mine', o, policies);
    const [configured] = runBacktest(trace, ['ours'], { ...o, target });
    expect(configured!.metrics).toEqual(simulate(trace, deployedController(target, o.stepSeconds), runOptions(trace, o)).metrics);
  });

  it('with an objective, re-tunes daily exactly as the deployed re-tuning simulation does', () => {
    const objective = { maxUnderProvisionedPercent: 0.5 };
    const target = parseTargetConfig({ ...simulatedTarget('mine', o, policies), objective });
    let retunings = 0;
    const expected = simulate(trace, retunedController(trace, target, objective, o, () => retunings++), runOptions(trace, o)).metrics;
    const [configured] = runBacktest(trace, ['ours'], { ...o, target });
    expect(retunings).toBeGreaterThan(0);
    expect(configured!.metrics).toEqual(expected);
  });
});
