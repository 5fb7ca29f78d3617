import { describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../core';
import { syntheticTrace } from './synthetic-trace';
import { recommendedTarget, shortfall, SPREADS, tunedPolicies, tuneOurs, type TuneResult } from './tune';

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

  it('searches how many spreads to provision for, with no headroom, when the target provisions to spreads', () => {
    const spreads = new Set(tuned.tried.map((t) => t.candidate.spreadDeviations));
    for (const z of SPREADS) expect(spreads).toContain(z);
    expect(tuned.tried.every((t) => t.candidate.headroom === 0)).toBe(true);
    // More spreads never serve worse, at the other settings untouched.
    const coarse = SPREADS.map((z) => tuned.tried.find((t) => t.candidate.spreadDeviations === z && JSON.stringify({ ...t.candidate, spreadDeviations: 0 }) === JSON.stringify({ ...tuned.untuned.candidate, spreadDeviations: 0 }))!);
    for (let i = 1; i < coarse.length; i++) expect(coarse[i]!.metrics.unitHours).toBeGreaterThanOrEqual(coarse[i - 1]!.metrics.unitHours);
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
    const smallest = Math.min(...strict.tried.map((t) => t.shortfall));
    expect(strict.closest!.shortfall).toBe(smallest);
    expect(strict.closest!.shortfall).toBeGreaterThan(0);
  });

  it.each([
    { case: 'meets both', m: { underTimeShare: 0.4, actionsPerDay: 50 }, objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 100 }, expected: 0 },
    { case: 'τU at twice its limit', m: { underTimeShare: 1, actionsPerDay: 50 }, objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 100 }, expected: 1 },
    { case: 'changes at three times the budget', m: { underTimeShare: 0.4, actionsPerDay: 300 }, objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 100 }, expected: 2 },
    { case: 'both over: the excesses add', m: { underTimeShare: 0.75, actionsPerDay: 150 }, objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 100 }, expected: 1 },
    { case: 'no budget of changes', m: { underTimeShare: 0.4, actionsPerDay: 1e6 }, objective: { maxUnderProvisionedPercent: 0.5 }, expected: 0 },
  ])('measures the shortfall from the objective: $case', ({ m, objective, expected }) => {
    expect(shortfall(m, objective)).toBeCloseTo(expected, 9);
  });

  it('prefers, when none meets the objective, the setting nearest to it over the one with the lowest τU', () => {
    // A budget of changes no scale-in meets: buying headroom for a lower τU would not bring it closer.
    const budget = tuneOurs(trace, { ...options, objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 0.5 } });
    const lowestUnder = budget.tried.reduce((a, b) => (b.metrics.underTimeShare < a.metrics.underTimeShare ? b : a));
    expect(budget.closest!.shortfall).toBeLessThan(lowestUnder.shortfall);
    expect(budget.closest!.metrics.actionsPerDay).toBeLessThan(lowestUnder.metrics.actionsPerDay);
  });

  it('under a budget the untuned settings meet, with the τU they meet, never costs more than them', () => {
    const untuned = tuned.untuned.metrics;
    const budget = tuneOurs(trace, { ...options, objective: { maxUnderProvisionedPercent: Math.max(0.5, untuned.underTimeShare), maxActionsPerDay: Math.ceil(untuned.actionsPerDay) } });
    expect(budget.untuned.meets).toBe(true);
    expect(budget.chosen!.metrics.unitHours).toBeLessThanOrEqual(budget.untuned.metrics.unitHours);
    expect(budget.chosen!.metrics.actionsPerDay).toBeLessThanOrEqual(Math.ceil(untuned.actionsPerDay));
  });

  it('keeps the untuned settings when no setting meets τU and they keep within the budget', () => {
    // A spike of fifty times the load each day, at an hour the days before do not foretell: no headroom
    // covers it within a minute's start-up.
    const spikeAt = (t: number) => t % DAY === ((3 + 5 * Math.floor(t / DAY)) % 24) * 3600;
    const spiky = { times: trace.times, values: trace.values.map((v, i) => (spikeAt(trace.times[i]!) ? v * 50 : v)) };
    const r = tuneOurs(spiky, { ...options, objective: { maxUnderProvisionedPercent: 0, maxActionsPerDay: 1440 } });
    expect(r.tried.every((t) => t.metrics.underTimeShare > 0)).toBe(true);
    expect(r.chosen).toBeUndefined();
    expect(r.closest).toBe(r.untuned);
  });

  it('tries every pair of scale-in threshold and window under a budget, and takes the cheapest that meets it', () => {
    const objective = { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 30 };
    const joint = tuneOurs(trace, { ...options, objective });
    expect(joint.chosen).toBeDefined();
    const pairs = new Set(joint.tried.map((t) => `${t.candidate.scaleInThresholdPercent}/${t.candidate.scaleInStabilizationSeconds}`));
    expect(pairs.size).toBeGreaterThanOrEqual(16);
    const meeting = joint.tried.filter((t) => t.meets);
    expect(joint.chosen!.metrics.unitHours).toBe(Math.min(...meeting.map((t) => t.metrics.unitHours)));
  });

  it('writes settings a target takes as they are', () => {
    const block = { objective: { maxUnderProvisionedPercent: 0.5 }, policies: tunedPolicies(recommendedTarget(options), tuned.chosen!.candidate) };
    expect(() => parseTargetConfig({ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 1, maxCapacity: 50, ...block })).not.toThrow();
  });

  it('refuses a history too short to tune and hold days out', () => {
    expect(() => tuneOurs(trace, { ...options, validationDays: 4, objective: { maxUnderProvisionedPercent: 1 } })).toThrow('tuning needs at least 2 days before the 4 held-out day(s); the trace spans 5.00 days');
  });
});
