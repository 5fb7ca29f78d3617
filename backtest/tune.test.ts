import { describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../core';
import { syntheticTrace } from './synthetic-trace';
import { tunedPolicies, tuneOurs, type TuneResult } from './tune';

const DAY = 86_400;
const options = { perUnit: 1000, startupSeconds: 60, stepSeconds: 60, minCapacity: 1, maxCapacity: 100_000, validationDays: 1 };
const trace = syntheticTrace();
const choiceOf = (r: TuneResult) => ({ chosen: r.chosen?.candidate, closest: r.closest?.candidate, tried: r.tried.map((t) => [t.candidate, t.metrics]) });

describe('tuneOurs', () => {
  const tuned = tuneOurs(trace, { ...options, objective: { maxUnderProvisionedPercent: 0.5 } });

  it('chooses the cheapest setting that meets the objective on the tuning days, and checks it on the held-out day', () => {
    expect(tuned.chosen).toBeDefined();
    expect(tuned.chosen!.metrics.underTimeShare).toBeLessThanOrEqual(0.5);
    const meeting = tuned.tried.filter((t) => t.meets);
    expect(Math.min(...meeting.map((t) => t.metrics.unitHours))).toBe(tuned.chosen!.metrics.unitHours);
    expect(tuned.validationDays).toEqual({ from: trace.times.at(-1)! - DAY, to: trace.times.at(-1)! });
    expect(tuned.validation.candidate).toEqual(tuned.chosen!.candidate);
    expect(tuned.validation.metrics.days).toBeCloseTo(1, 2);
  });

  it('gives the same choice for the same history', () => {
    expect(choiceOf(tuneOurs(trace, { ...options, objective: { maxUnderProvisionedPercent: 0.5 } }))).toEqual(choiceOf(tuned));
  });

  it('never reads the held-out days: changing them changes the check, not the choice', () => {
    const end = trace.times.at(-1)!;
    const other = { times: trace.times, values: trace.values.map((v, i) => (trace.times[i]! > end - DAY ? v * 3 : v)) };
    const retuned = tuneOurs(other, { ...options, objective: { maxUnderProvisionedPercent: 0.5 } });
    expect(choiceOf(retuned)).toEqual(choiceOf(tuned));
    expect(retuned.validation.metrics.unitHours).not.toBe(tuned.validation.metrics.unitHours);
  });

  it('says when no setting meets the objective, and gives the closest', () => {
    const strict = tuneOurs(trace, { ...options, objective: { maxUnderProvisionedPercent: 0, maxActionsPerDay: 1 } });
    expect(strict.chosen).toBeUndefined();
    expect(strict.closest).toBeDefined();
    const lowest = Math.min(...strict.tried.map((t) => t.metrics.underTimeShare));
    expect(strict.closest!.metrics.underTimeShare).toBe(lowest);
  });

  it('writes settings a target takes as they are', () => {
    const block = { objective: { maxUnderProvisionedPercent: 0.5 }, policies: tunedPolicies(tuned.chosen!.candidate, options) };
    expect(() => parseTargetConfig({ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 1, maxCapacity: 50, ...block })).not.toThrow();
  });

  it('refuses a history too short to tune and hold days out', () => {
    expect(() => tuneOurs(trace, { ...options, validationDays: 4, objective: { maxUnderProvisionedPercent: 1 } })).toThrow('tuning needs at least 2 days before the 4 held-out day(s); the trace spans 5.00 days');
  });
});
