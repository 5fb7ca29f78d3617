import { describe, expect, it } from 'vitest';
import { sliceTrace, simulate, syntheticTrace, recommendedPolicies, simulatedTarget } from '../../sim';
import { retunedController, type Retuning } from './retuned';

const DAY = 86_400;
const o = { perUnit: 1000, startupSeconds: 60, stepSeconds: 60 };
const target = simulatedTarget('ours', { minCapacity: 1, maxCapacity: 100_000 }, recommendedPolicies(o));
const objective = { maxUnderProvisionedPercent: 0.5 };

function run(trace: ReturnType<typeof syntheticTrace>) {
  const retunings: Retuning[] = [];
  const { rows } = simulate(trace, retunedController(trace, target, objective, o, (r) => retunings.push(r)), { ...o, evalFrom: trace.times[0]!, initialCapacity: 20 });
  return { rows: [...rows], retunings };
}

describe('ours re-tuned as deployed', () => {
  const trace = syntheticTrace();
  const full = run(trace);

  it('re-tunes once a day once 3 days are visible, each time on the history before that moment only', () => {
    // The first once 3 days of samples are published (a sample is seen a step after it is taken), then a day later.
    expect(full.retunings.map((r) => Math.round(r.at / 3600))).toEqual([72, 96]);
    expect(full.retunings[1]!.at - full.retunings[0]!.at).toBe(DAY);
    for (const r of full.retunings) expect(r.historyFrom).toBe(trace.times[0]);
  });

  it('makes every choice without data from after it: cut the trace, and nothing before the cut changes', () => {
    const cut = 4.5 * DAY;
    const truncated = run(sliceTrace(trace, trace.times[0]!, cut));
    expect(truncated.retunings).toEqual(full.retunings.filter((r) => r.at < cut));
    const before = (rows: typeof full.rows) => rows.filter((r) => r.time < cut - 2 * o.stepSeconds);
    expect(before(truncated.rows)).toEqual(before(full.rows));
  });
});
