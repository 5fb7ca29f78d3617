import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAT_STOP_SECONDS } from './chat-node';
import { DRAIN_HOOK_NAME, DRAIN_HOOK_TIMEOUT_SECONDS } from './ChatEc2';
import { shippedApp, type SynthesizedApp } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

/** The instance's boot script with the template's references written as <ref>. */
function userData(): string {
  const template = Object.values(app.template('ChatEc2').findResources('AWS::EC2::LaunchTemplate'))[0]!;
  const parts = template.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
  return parts.map((p) => (typeof p === 'string' ? p : '<ref>')).join('');
}

describe('ChatEc2 stack', () => {
  it('names the group as the scaling configuration does, with its limits, and leaves the desired capacity to the controller', () => {
    const group = Object.values(app.template('ChatEc2').findResources('AWS::AutoScaling::AutoScalingGroup'))[0]!;
    expect(group.Properties).toMatchObject({ AutoScalingGroupName: 'chat-asg', MinSize: '2', MaxSize: '40', HealthCheckType: 'ELB' });
    expect(group.Properties.DesiredCapacity).toBeUndefined();
    expect(group.Properties.TargetGroupARNs).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/ChatEc2Targets/) }]);
    expect(group.Properties.MetricsCollection).toEqual([{ Granularity: '1Minute' }]);
  });

  it('holds a terminating instance on the drain hook, and lets it go if nobody answers', () => {
    app.template('ChatEc2').hasResourceProperties('AWS::AutoScaling::LifecycleHook', {
      LifecycleHookName: DRAIN_HOOK_NAME,
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: DRAIN_HOOK_TIMEOUT_SECONDS,
      DefaultResult: 'CONTINUE',
    });
  });

  it('boots instances with IMDSv2 only and an encrypted disk', () => {
    app.template('ChatEc2').hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' }, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 30 } }] },
    });
  });

  it('runs the same image under the systemd unit the drain stops, with the Redis token read at boot', () => {
    const script = userData();
    expect(script).toContain('docker pull <ref>');
    expect(script).toContain('aws secretsmanager get-secret-value');
    expect(script).toContain('REDIS_AUTH_TOKEN=');
    expect(script).toContain('CHAT_TARGET_KIND=ec2-asg\nCHAT_TARGET_NAME=chat-ec2\n');
    expect(script).toContain('AWS_REGION=us-east-1\n'); // the SDK in a container on an instance finds no region by itself
    expect(script).toContain(readFileSync('chat/deploy/chat.service', 'utf8').split('\n').find((l) => l.startsWith('ExecStart='))!);
    expect(script).toContain(`ExecStop=/usr/bin/docker stop --time ${CHAT_STOP_SECONDS} chat`);
    expect(script.trim().endsWith('systemctl enable --now chat')).toBe(true);
  });

  it('gives systemd longer than docker gives the node', () => {
    const timeoutStop = Number(/TimeoutStopSec=(\d+)/.exec(userData())![1]);
    expect(timeoutStop).toBeGreaterThan(CHAT_STOP_SECONDS);
  });
});
