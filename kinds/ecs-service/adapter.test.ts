import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../core';
import { scalingTargetFor } from '..';

const ecs = mockClient(ECSClient);
const scalableTargets = mockClient(ApplicationAutoScalingClient);
afterEach(() => [ecs, scalableTargets].forEach((m) => m.reset()));
const clients = { ecs: new ECSClient({}), applicationAutoScaling: new ApplicationAutoScalingClient({}), autoscaling: new AutoScalingClient({}) };
const target = (kind: string, resource: Record<string, string>) =>
  parseTargetConfig({ name: 'chat', kind, resource, minCapacity: 1, maxCapacity: 9, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 700 }] });

describe('the ECS service adapter', () => {
  it('reports an ECS service that does not exist, with the failure ECS gave', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'arn:aws:ecs:us-east-1:1:service/c/s', reason: 'MISSING' }] });
    await expect(scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).describe()).rejects.toThrow(
      'ECS service s not found in cluster c (arn:aws:ecs:us-east-1:1:service/c/s: MISSING)',
    );
  });

  it("reads an ECS service's scalable-target limits where it is registered with Application Auto Scaling", async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 's', desiredCount: 4, runningCount: 4 }] });
    scalableTargets.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [{ ServiceNamespace: 'ecs', ResourceId: 'service/c/s', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 2, MaxCapacity: 12, RoleARN: 'r', CreationTime: new Date(0) }] });
    expect(await scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).describe()).toEqual({ desired: 4, running: 4, min: 2, max: 12 });
    expect(scalableTargets.commandCalls(DescribeScalableTargetsCommand)[0]!.args[0].input).toEqual({ ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceIds: ['service/c/s'] });
  });

  it('an unregistered ECS service has no platform limits', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 's', desiredCount: 4 }] });
    scalableTargets.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    expect(await scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).describe()).toEqual({ desired: 4 });
  });

  it('the ECS service lists its running and starting tasks by id, every page', async () => {
    ecs.on(ListTasksCommand).callsFake((input) => (input.nextToken === undefined ? { taskArns: ['arn:aws:ecs:us-east-1:1:task/c/t1'], nextToken: 'p2' } : { taskArns: ['arn:aws:ecs:us-east-1:1:task/c/t2'] }));
    expect(await scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).listUnits!()).toEqual(['t1', 't2']);
    expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'c', serviceName: 's', desiredStatus: 'RUNNING', nextToken: undefined },
      { cluster: 'c', serviceName: 's', desiredStatus: 'RUNNING', nextToken: 'p2' },
    ]);
  });
});
