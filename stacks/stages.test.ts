import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSyntheses, stageApp } from './testing';

afterAll(removeSyntheses);

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
const resourcesOf = (template: Record<string, unknown>) => Object.values((template.Resources ?? {}) as Record<string, Resource>);

/**
 * The names a resource takes in the account and region: its top-level `...Name` and `...Id` properties
 * that are plain strings. Names that are unique only inside their parent (a role's inline policy, a
 * topic's display name, an alarm's metric) are not physical names.
 */
const NOT_PHYSICAL = new Set(['PolicyName', 'DisplayName', 'LifecycleHookName', 'MetricName']);
function physicalNames(templates: Record<string, unknown>[]): string[] {
  return templates.flatMap((t) =>
    resourcesOf(t).flatMap((r) =>
      Object.entries(r.Properties ?? {})
        .filter(([key, value]) => /(Name|GroupId)$/.test(key) && !NOT_PHYSICAL.has(key) && typeof value === 'string')
        .map(([key, value]) => `${r.Type} ${key}=${String(value)}`),
    ),
  );
}

const eventPatterns = (templates: Record<string, unknown>[]) =>
  templates.flatMap((t) => resourcesOf(t).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern !== undefined).map((r) => r.Properties!.EventPattern as Record<string, unknown>));

/**
 * Whether one event could match both patterns: every field both patterns constrain must admit a common
 * value. Literal lists admit what they share; anything else (prefix, numeric, exists) is taken to overlap.
 */
function overlap(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const literal = (xs: unknown[]) => xs.every((x) => typeof x === 'string' || typeof x === 'number');
    return !(literal(a) && literal(b)) || a.some((x) => b.includes(x));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const shared = Object.keys(a).filter((k) => k in b);
    return shared.every((k) => overlap((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return true;
}

const metricDimensionValues = (templates: Record<string, unknown>[]) =>
  templates.flatMap((t) =>
    resourcesOf(t)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .flatMap((r) => JSON.stringify(r.Properties).match(/"Name":"TargetName","Value":"[^"]+"/g) ?? []),
  );

describe('two stages in one account and region', () => {
  let a: Record<string, unknown>[];
  let b: Record<string, unknown>[];
  beforeAll(async () => {
    a = (await stageApp('a')).templates();
    b = (await stageApp('b')).templates();
  });

  it('share no physical name: clusters, services, groups, alarms, dashboards, tables, topics, documents', () => {
    const [namesA, namesB] = [physicalNames(a), physicalNames(b)];
    for (const kind of ['ClusterName', 'ServiceName', 'AutoScalingGroupName', 'AlarmName', 'DashboardName', 'TopicName', 'AWS::SSM::Document Name']) {
      expect(namesA.some((n) => n.includes(kind)), kind).toBe(true);
    }
    expect(namesA.filter((n) => namesB.includes(n))).toEqual([]);
  });

  it('carry their stage in every physical name', () => {
    // SST's own parameters are named /sst/<app>/<stage>/...; every other name begins <stage>-<app>-.
    for (const [stage, names] of [['a', physicalNames(a)], ['b', physicalNames(b)]] as const) {
      for (const name of names) expect(name.split('=')[1], name).toMatch(new RegExp(`^(${stage}-realtime-scaler-|/sst/realtime-scaler/${stage}/)`));
    }
  });

  it('have no event pattern that matches an event of the other stage', () => {
    const [patternsA, patternsB] = [eventPatterns(a), eventPatterns(b)];
    expect(patternsA.length).toBeGreaterThanOrEqual(2);
    for (const p of patternsA) for (const q of patternsB) expect(overlap(p, q), `${JSON.stringify(p)} / ${JSON.stringify(q)}`).toBe(false);
    // The check itself can say "overlap": each pattern matches its own stage's events.
    for (const p of patternsA) expect(overlap(p, p)).toBe(true);
  });

  it("watch only their own chat nodes' metrics", () => {
    const [dimsA, dimsB] = [metricDimensionValues(a), metricDimensionValues(b)];
    expect(dimsA.length).toBeGreaterThan(0);
    expect(dimsA.filter((d) => dimsB.includes(d))).toEqual([]);
  });
});
