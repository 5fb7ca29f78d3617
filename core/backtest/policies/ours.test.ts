import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseControllerConfig, parseTargetConfig } from '../../config/target';
import { recommendedPolicies } from './ours';

describe('the recommended configuration', () => {
  it('examples/recommended.json holds exactly the policies the backtest runs as ours', () => {
    const example = parseControllerConfig(JSON.parse(readFileSync(new URL('../../../examples/recommended.json', import.meta.url), 'utf8')));
    const target = example.targets[0]!;
    const backtested = parseTargetConfig({ ...target, policies: recommendedPolicies({ perUnit: 1000, startupSeconds: 60 }) });
    expect(target.policies).toEqual(backtested.policies);
  });
});
