import { describe, expect, it } from 'vitest';
import { OURS, recommendedPolicies, simulatedTarget, type Trace } from '../sim';
import { describeSettings, sampleSettings, searchSettings } from './settings-search';

/** Four days of 5-minute samples around 20,000 connections, with a daily swing. */
function dailyTrace(): Trace {
  const times: number[] = [];
  const values: number[] = [];
  for (let t = 0; t <= 4 * 86_400; t += 300) {
    times.push(t);
    values.push(20_000 + 8000 * Math.sin((2 * Math.PI * t) / 86_400));
  }
  return { times, values };
}

describe('sampleSettings', () => {
  it('draws the same settings for the same seed, and others for another', () => {
    expect(sampleSettings(5, 1)).toEqual(sampleSettings(5, 1));
    expect(sampleSettings(5, 1)).not.toEqual(sampleSettings(5, 2));
  });

  it('draws settings the recommended policies accept', () => {
    for (const s of sampleSettings(50, 3)) {
      expect(() => simulatedTarget('draw', { minCapacity: 1, maxCapacity: 100 }, recommendedPolicies({ perUnit: 1000, startupSeconds: 60 }, s))).not.toThrow();
    }
  });
});

describe('describeSettings', () => {
  it('names only what differs from the recommended settings', () => {
    expect(describeSettings(OURS)).toBe('the recommended settings');
    expect(describeSettings({ ...OURS, holdSeconds: 300, scaleInLimit: { type: 'Percent', value: 25, periodSeconds: 60 } })).toBe('holdSeconds 300, scaleInLimit 25%/60s');
  });
});

describe('searchSettings', () => {
  const trace = { name: 'daily', trace: dailyTrace(), strict: false };

  it('runs ours with the settings it is given and scores them against the baselines', () => {
    const [slow, fast] = searchSettings(
      [trace],
      [
        { label: 'slow', settings: { ...OURS, holdSeconds: 1800, scaleInStabilizationSeconds: 300 } },
        { label: 'fast', settings: { ...OURS, holdSeconds: 300, scaleInStabilizationSeconds: 60 } },
      ],
    );
    expect(slow!.verdicts).toHaveLength(1);
    expect(slow!.verdicts[0]!.ours.metrics.unitHours).toBeGreaterThan(fast!.verdicts[0]!.ours.metrics.unitHours);
  });

  it('stops at the first trace whose bar fails, unless asked for every trace', () => {
    // A reactive floor at 5% of a unit keeps twenty times the units the load needs: the bar fails at once.
    const costly = { ...OURS, quantile: 0.9, reactiveUtilization: 0.05 };
    const [stopped] = searchSettings([trace, trace], [{ label: 'costly', settings: costly }]);
    expect(stopped!.verdicts).toHaveLength(1);
    expect(stopped!.verdicts[0]!.failed.length).toBeGreaterThan(0);
    const [all] = searchSettings([trace, trace], [{ label: 'costly', settings: costly, allTraces: true }]);
    expect(all!.verdicts).toHaveLength(2);
  });
});
