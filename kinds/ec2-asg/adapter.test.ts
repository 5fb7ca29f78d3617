import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../core';
import { scalingTargetFor } from '..';

const autoscaling = mockClient(AutoScalingClient);
afterEach(() => autoscaling.reset());
const clients = { ecs: new ECSClient({}), applicationAutoScaling: new ApplicationAutoScalingClient({}), autoscaling: new AutoScalingClient({}) };
const target = (kind: string, resource: Record<string, string>) =>
  parseTargetConfig({ name: 'chat', kind, resource, minCapacity: 1, maxCapacity: 9, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 700 }] });

describe('the Auto Scaling group adapter', () => {
  it('reads the ASG with its own limits', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'asg', DesiredCapacity: 3, MinSize: 1, MaxSize: 8, DefaultCooldown: 300, AvailabilityZones: ['us-east-1a'], HealthCheckType: 'EC2', CreatedTime: new Date(0) }] });
    expect(await scalingTargetFor(target('ec2-asg', { autoScalingGroupName: 'asg' }), clients).describe()).toEqual({ desired: 3, min: 1, max: 8 });
    expect(autoscaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.args[0].input).toEqual({ AutoScalingGroupNames: ['asg'] });
  });

  it('the ASG lists its pending and in-service instances, not those leaving', async () => {
    const states = { 'i-1': 'Pending', 'i-2': 'Pending:Wait', 'i-3': 'InService', 'i-4': 'Terminating:Wait', 'i-5': 'Detaching', 'i-6': 'Standby' };
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [{ AutoScalingGroupName: 'g', MinSize: 0, MaxSize: 9, DesiredCapacity: 3, DefaultCooldown: 0, AvailabilityZones: [], HealthCheckType: 'EC2', CreatedTime: new Date(0), Instances: Object.entries(states).map(([InstanceId, LifecycleState]) => ({ InstanceId, LifecycleState: LifecycleState as never, AvailabilityZone: 'a', HealthStatus: 'Healthy', ProtectedFromScaleIn: false })) }],
    });
    expect(await scalingTargetFor(target('ec2-asg', { autoScalingGroupName: 'g' }), clients).listUnits!()).toEqual(['i-1', 'i-2', 'i-3']);
  });
});
