import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAT_STOP_SECONDS } from './chat-node';
import { DRAIN_COMMAND, DRAIN_HOOK_NAME, DRAIN_HOOK_TIMEOUT_SECONDS, REFRESH_PREFERENCES } from './ChatEc2';
import { shippedApp, type SynthesizedApp, staged } from './testing';

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
    expect(group.Properties).toMatchObject({ AutoScalingGroupName: staged('chat-asg'), MinSize: '2', MaxSize: '40', HealthCheckType: 'ELB' });
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
    expect(script).toContain(`CHAT_TARGET_KIND=ec2-asg\nCHAT_TARGET_NAME=${staged('chat-ec2')}\n`);
    expect(script).toContain('CHAT_INSTANCE_METADATA=on\n'); // its id and its stop notice come from the instance metadata
    expect(script).toContain('AWS_REGION=us-east-1\n'); // the SDK in a container on an instance finds no region by itself
    expect(script).toContain(readFileSync('chat/deploy/chat.service', 'utf8').split('\n').find((l) => l.startsWith('ExecStart='))!);
    expect(script).toContain(`ExecStop=/usr/bin/docker stop --time ${CHAT_STOP_SECONDS} chat`);
    expect(script.trim().endsWith('systemctl enable --now chat')).toBe(true);
  });

  it('holds the drain in a document of its own: the one fixed command, no parameters', () => {
    const documents = Object.values(app.template('ChatEc2').findResources('AWS::SSM::Document'));
    expect(documents).toHaveLength(1);
    expect(documents[0]!.Properties).toEqual({
      Name: staged('chat-drain'),
      DocumentType: 'Command',
      UpdateMethod: 'NewVersion',
      Content: {
        schemaVersion: '2.2',
        description: expect.any(String),
        mainSteps: [{ action: 'aws:runShellScript', name: 'drain', inputs: { runCommand: [DRAIN_COMMAND], timeoutSeconds: DRAIN_HOOK_TIMEOUT_SECONDS } }],
      },
      Tags: expect.any(Array),
    });
    // The command stops the very unit the instance runs.
    expect(userData()).toContain(`cat > /etc/systemd/system/${DRAIN_COMMAND.split(' ').at(-1)}.service`);
  });

  it('refreshes the instances whenever the launch template gets a new version, never below the desired capacity, draining through the hook', () => {
    const template = app.template('ChatEc2');
    const [groupId, group] = Object.entries(template.findResources('AWS::AutoScaling::AutoScalingGroup'))[0]!;
    const [templateId] = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'));
    const latestVersion = { 'Fn::GetAtt': [templateId, 'LatestVersionNumber'] };
    // The group runs the template's newest version...
    expect(group!.Properties.LaunchTemplate.Version).toEqual(latestVersion);
    const [refresh] = Object.values(template.findResources('Custom::AWS'));
    // ...and the refresh is keyed on that same version: a new version is a change, which starts a refresh.
    const update = refresh!.Properties.Update['Fn::Join'][1] as unknown[];
    expect(update).toContainEqual(latestVersion);
    const call = JSON.parse(update.map((p) => (typeof p === 'string' ? p : 'VERSION')).join('')) as Record<string, unknown>;
    expect(call).toEqual({
      service: 'AutoScaling',
      action: 'startInstanceRefresh',
      parameters: { AutoScalingGroupName: staged('chat-asg'), Strategy: 'Rolling', Preferences: { ...REFRESH_PREFERENCES, InstanceWarmup: 180 } },
      physicalResourceId: { id: `${staged('chat-asg')}-refresh-to-version-VERSION` },
    });
    expect(REFRESH_PREFERENCES.MinHealthyPercentage).toBe(100);
    expect(REFRESH_PREFERENCES.MaxHealthyPercentage).toBeGreaterThan(100);
    // Started only once the group runs the new version, and only after the drain hook exists.
    expect(refresh!.DependsOn).toEqual(expect.arrayContaining([groupId, expect.stringMatching(/LifecycleHookDrain/)]));
    // It may start a refresh of this group and do nothing else.
    const refreshPolicy = app.statements().filter((st) => st.stack === 'ChatEc2' && st.owner.includes('InstanceRefresh'));
    expect(refreshPolicy.map((st) => st.actions)).toEqual([['autoscaling:StartInstanceRefresh']]);
    expect(JSON.stringify(refreshPolicy[0]!.resources)).toContain(`autoScalingGroupName/${staged('chat-asg')}`);
  });

  it('gives systemd longer than docker gives the node', () => {
    const timeoutStop = Number(/TimeoutStopSec=(\d+)/.exec(userData())![1]);
    expect(timeoutStop).toBeGreaterThan(CHAT_STOP_SECONDS);
  });
});
