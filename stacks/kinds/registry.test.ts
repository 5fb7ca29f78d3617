import { describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../../functions/targets/registry';
import { deployedKind } from './registry';

describe('the kinds the stacks deploy', () => {
  it.each(TARGET_KINDS)('include %s, which the controller has an adapter for', (kind) => {
    expect(deployedKind(kind).targetType).toBeDefined();
  });

  it('refuse an unknown kind, naming the known ones', () => {
    expect(() => deployedKind('lambda-concurrency')).toThrow('the stacks cannot deploy a target of kind "lambda-concurrency"; known: ecs-service, ec2-asg');
  });
});
