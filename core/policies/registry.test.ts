import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTargetConfig, targetSchemaFor } from '../config/target';
import { decide } from '../engine';
import { ConfigError, ScalerError } from '../errors';
import { emptyState } from '../state';
import { observe } from '../testing';
import { definePolicy, type PolicyBase } from './policy';
import { POLICIES } from './registry';

/** A throwaway policy type: asks for a fixed number of units, and remembers nothing. */
const fixed = definePolicy({
  type: 'fixed',
  schema: z.strictObject({ type: z.literal('fixed'), name: z.string(), units: z.number().int().min(0) }),
  inputs: () => ({}),
  propose: (policy, ctx) => ({ proposal: { policy: policy.name, desired: policy.units, reason: 'NoChange', message: `${policy.name}: always ${policy.units} (from ${ctx.capacity})` } }),
  historySeconds: () => 0,
  rateLimitSeconds: () => 0,
  afterScaling: () => ({ cooldownSeconds: 120 }),
});

describe('policy registry', () => {
  it('fails loudly on a policy type it does not know, instead of deciding anything', () => {
    const unparsed: PolicyBase = { type: 'simple', name: 'legacy' };
    expect(() => POLICIES.lookup(unparsed)).toThrow(ScalerError);
    expect(() => POLICIES.lookup(unparsed)).toThrow('no policy type "simple"; known types: ec2-step, ecs-step, target-tracking, predictive');
  });

  it('a configuration with an unknown type is a config error that lists the known types', () => {
    const config = { name: 'chat', kind: 'ecs-service', minCapacity: 0, maxCapacity: 10, policies: [{ type: 'simple', name: 'legacy' }] };
    expect(() => parseTargetConfig(config)).toThrow(ConfigError);
    expect(() => parseTargetConfig(config)).toThrow('policies[0].type: unknown policy type; expected "type" to be one of ec2-step, ecs-step, target-tracking, predictive');
  });

  it('a registered throwaway type is parsed, proposed and combined by the unchanged engine', () => {
    const registry = POLICIES.with(fixed);
    expect(registry.types).toEqual(['ec2-step', 'ecs-step', 'target-tracking', 'predictive', 'fixed']);
    const target = targetSchemaFor(registry).parse({
      name: 'chat',
      kind: 'local-fleet',
      minCapacity: 0,
      maxCapacity: 100,
      policies: [
        { type: 'fixed', name: 'floor', units: 12 },
        { type: 'target-tracking', name: 'connections', targetPerUnit: 100, scaleOut: { policies: [{ type: 'Units', value: 50, periodSeconds: 60 }] } },
      ],
    });
    // Target tracking wants 20, the throwaway 12: the largest proposal wins, as with any two built-in types.
    const busy = decide({ target, observation: observe(10, { metrics: { connections: 2000 } }), state: emptyState(), now: 1000 }, registry);
    expect([busy.desired, busy.policy, busy.proposals.map((p) => p.policy)]).toEqual([20, 'connections', ['floor', 'connections']]);
    // Quiet load: the throwaway's 12 wins over target tracking's 5, and its own state transition (a cooldown) is kept.
    const quiet = decide({ target, observation: observe(10, { metrics: { connections: 500 } }), state: emptyState(), now: 1000 }, registry);
    expect([quiet.desired, quiet.policy, quiet.message]).toEqual([12, 'floor', 'floor: always 12 (from 10)']);
    expect(quiet.state.cooldown).toEqual({ direction: 'out', until: 1120, baseCapacity: 10, policy: 'floor' });
  });

  it('the built-in registry does not know the throwaway type', () => {
    expect(() => targetSchemaFor(POLICIES).parse({ name: 'chat', kind: 'k', minCapacity: 0, maxCapacity: 1, policies: [{ type: 'fixed', name: 'f', units: 1 }] })).toThrow(/unknown policy type/);
  });
});
