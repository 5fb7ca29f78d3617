import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AdditionalHealthCheckType, AutoScalingGroup, DefaultResult, GroupMetrics, HealthChecks, LifecycleTransition } from 'aws-cdk-lib/aws-autoscaling';
import { BlockDeviceVolume, EbsDeviceVolumeType, InstanceClass, InstanceSize, InstanceType, LaunchTemplate, MachineImage, SubnetType, UserData } from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { use, type StackContext } from 'sst/constructs';
import { ec2AsgResource } from '../functions/targets/ec2-asg';
import { CHAT_STOP_SECONDS, chatEnvironment, chatImage, PROJECT_ROOT, PUT_METRIC_REASON, publishConnections } from './chat-node';
import { accept } from './nag';
import { LoadBalancer } from './LoadBalancer';
import { Network } from './Network';
import { Redis } from './Redis';
import { idOf, targetsOfKind } from './scaling-config';

/** The termination hook the lifecycle handler answers; its EventBridge rule matches this name. */
export const DRAIN_HOOK_NAME = 'chat-drain';
/**
 * How long a terminating instance may wait for the lifecycle handler, which runs once the instance is out of
 * its target group (after the deregistration delay): its drain (at most 45 s of waiting
 * on SSM, the node's own 30 s stop timeout inside it) plus a margin. If the handler never answers, the
 * instance terminates anyway (CONTINUE) when this runs out.
 */
export const DRAIN_HOOK_TIMEOUT_SECONDS = 120;

/** The chat's systemd unit; `docker stop` gives the node the same time to drain as ECS's stopTimeout. */
const UNIT_FILE = readFileSync(resolve(PROJECT_ROOT, 'chat/deploy/chat.service'), 'utf8').replace(/--time \d+/, `--time ${CHAT_STOP_SECONDS}`);

/**
 * The chat on EC2: for each `ec2-asg` target of the scaling configuration, an Auto Scaling group with the
 * name the configuration gives, whose instances run the same image under systemd, behind its own target
 * group. Termination waits on a lifecycle hook, so the controller drains an instance before it goes.
 * The controller owns the desired capacity: the template leaves it out, so a deploy never resets it.
 */
export function ChatEc2({ stack, app }: StackContext) {
  const { vpc, securityGroups } = use(Network);
  const redis = use(Redis);
  const { targetGroups } = use(LoadBalancer);
  const targets = targetsOfKind(app, 'ec2-asg');
  if (targets.length === 0) return { groups: [] };

  const image = chatImage(stack);
  const groups = targets.map((target) => {
    const id = idOf(target.name);
    const resource = ec2AsgResource.parse(target.resource);
    const logGroup = new LogGroup(stack, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(stack, `${id}InstanceRole`, {
      assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
      // The SSM agent: how the lifecycle handler reaches the instance to drain it (no SSH, no open port).
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    image.repository.grantPull(role);
    redis.authToken.grantRead(role);
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(publishConnections());
    accept(role, [
      { id: 'AwsSolutions-IAM4', reason: 'AmazonSSMManagedInstanceCore is what the SSM agent needs; the lifecycle drain reaches the instance through it (no SSH, no open port)', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore'] },
      { id: 'AwsSolutions-IAM5', reason: PUT_METRIC_REASON, appliesTo: ['Resource::*'] },
    ]);

    const environment = Object.entries(chatEnvironment(stack, target, redis)).map(([k, v]) => `${k}=${v}`);
    const userData = UserData.forLinux();
    userData.addCommands(
      'set -euo pipefail',
      'dnf install -y docker',
      'mkdir -p /etc/docker',
      `echo '{"log-driver":"awslogs","log-opts":{"awslogs-group":"${logGroup.logGroupName}","awslogs-region":"${stack.region}"}}' > /etc/docker/daemon.json`,
      'systemctl enable --now docker',
      `aws ecr get-login-password --region ${stack.region} | docker login --username AWS --password-stdin ${stack.account}.dkr.ecr.${stack.region}.${stack.urlSuffix}`,
      `docker pull ${image.imageUri}`,
      `docker tag ${image.imageUri} chat:latest`,
      'umask 077',
      `cat > /etc/chat.env <<'ENV'\n${environment.join('\n')}\nENV`,
      // Its own assignment, so that `set -e` stops the boot if the secret cannot be read.
      `token=$(aws secretsmanager get-secret-value --region ${stack.region} --secret-id ${redis.authToken.secretArn} --query SecretString --output text)`,
      'echo "REDIS_AUTH_TOKEN=$token" >> /etc/chat.env',
      `cat > /etc/systemd/system/chat.service <<'UNIT'\n${UNIT_FILE.trim()}\nUNIT`,
      'systemctl daemon-reload',
      'systemctl enable --now chat',
    );
    const launchTemplate = new LaunchTemplate(stack, `${id}LaunchTemplate`, {
      machineImage: MachineImage.latestAmazonLinux2023(),
      instanceType: InstanceType.of(InstanceClass.T3, InstanceSize.SMALL),
      role,
      userData,
      securityGroup: securityGroups.chatInstances,
      requireImdsv2: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: EbsDeviceVolumeType.GP3 }) }],
    });
    const group = new AutoScalingGroup(stack, `${id}Group`, {
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      autoScalingGroupName: resource.autoScalingGroupName,
      minCapacity: target.minCapacity,
      maxCapacity: target.maxCapacity,
      healthChecks: HealthChecks.withAdditionalChecks({ additionalTypes: [AdditionalHealthCheckType.ELB], gracePeriod: Duration.seconds(180) }),
      // GroupDesiredCapacity and GroupInServiceInstances, for the dashboard.
      groupMetrics: [GroupMetrics.all()],
    });
    accept(group, [
      { id: 'AwsSolutions-AS3', reason: 'Termination reaches the controller through the lifecycle hook and EventBridge; the group metrics and the dashboard show launches. SNS notifications would add a topic nobody reads.' },
    ]);
    group.attachToApplicationTargetGroup(targetGroups.get(target.name)!);
    group.addLifecycleHook('Drain', {
      lifecycleHookName: DRAIN_HOOK_NAME,
      lifecycleTransition: LifecycleTransition.INSTANCE_TERMINATING,
      heartbeatTimeout: Duration.seconds(DRAIN_HOOK_TIMEOUT_SECONDS),
      defaultResult: DefaultResult.CONTINUE,
    });
    return { target: target.name, group };
  });
  return { groups };
}
