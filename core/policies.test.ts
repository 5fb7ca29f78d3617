import { describe, expect, it } from 'vitest';
import type { PolicyConfig } from './config/target';
import { ScalerError } from './errors';
import { evaluatePolicy } from './policies';
import { emptyState } from './state';

describe('policy registry', () => {
  it('fails loudly on a policy type it does not know, instead of deciding anything', () => {
    const unparsed = { type: 'simple', name: 'legacy' } as unknown as PolicyConfig;
    const ctx = { now: 0, capacity: 1, state: emptyState(), observation: { capacity: 1, metrics: {}, alarms: {} } };
    expect(() => evaluatePolicy(unparsed, ctx)).toThrow(ScalerError);
    expect(() => evaluatePolicy(unparsed, ctx)).toThrow('no evaluator found for policy type: simple');
  });
});
