import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AdditionalHealthCheckType, AutoScalingGroup, DefaultResult, GroupMetrics, HealthChecks, LifecycleTransition } from 'aws-cdk-lib/aws-autoscaling';
import { BlockDeviceVolume, EbsDeviceVolumeType, InstanceClass, InstanceSize, InstanceType, LaunchTemplate, MachineImage, SubnetType, UserData } from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { use, type App, type StackContext } from 'sst/constructs';
import { ScalerError } from '../core';
import { allow, GROUP_ARN_WILDCARD } from './iam';
import { formatArn } from './kind-deploy';
import { autoScalingGroupArn, ec2AsgResource } from '../kinds';
import { CHAT_STOP_SECONDS, chatEnvironment, chatImage, PROJECT_ROOT, REGISTRY_TOKEN_REASON } from './chat-node';
import { accept, LAMBDA_LOGS } from './nag';
import { LoadBalancer } from './LoadBalancer';
import { Network } from './Network';
import { Redis } from './Redis';
import { stageFreeId, targetsWithChatOn } from './scaling-config';

/** The termination hook the lifecycle handler answers; its EventBridge rule matches this name. */
export const DRAIN_HOOK_NAME = 'chat-drain';
/** What the drain document runs on the instance: the unit's stop, whose SIGTERM drains the node's clients. */
export const DRAIN_COMMAND = 'systemctl stop chat';
/**
 * An instance refresh replaces instances without ever going below the desired capacity (so never below the
 * configured minimum): each new instance launches, warms up and passes its health checks before an old one
 * terminates, through the drain hook, at most half as many again as the fleet at a time.
 */
export const REFRESH_PREFERENCES = { MinHealthyPercentage: 100, MaxHealthyPercentage: 150, SkipMatching: true, AutoRollback: true } as const;
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
 * The chat on EC2: for each target whose chat runs on an Auto Scaling group (its kind says so), an Auto Scaling group with the
 * name the configuration gives, whose instances run the same image under systemd, behind its own target
 * group. Termination waits on a lifecycle hook, so the controller drains an instance before it goes.
 * The controller owns the desired capacity: the template leaves it out, so a deploy never resets it.
 */
export function ChatEc2({ stack, app }: StackContext) {
  const { vpc, securityGroups } = use(Network);
  const redis = use(Redis);
  const { targetGroups } = use(LoadBalancer);
  const targets = targetsWithChatOn(app, 'auto-scaling-group');
  if (targets.length === 0) return { groups: [], drainDocument: undefined };

  const image = chatImage(stack);
  const drainDocument = drainDocumentFor(stack, app);
  const groups = targets.map((target) => {
    const id = stageFreeId(stack, target.name);
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
    accept(role, [
      { id: 'AwsSolutions-IAM4', reason: 'AmazonSSMManagedInstanceCore is what the SSM agent needs; the lifecycle drain reaches the instance through it (no SSH, no open port)', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore'] },
      { id: 'AwsSolutions-IAM5', reason: REGISTRY_TOKEN_REASON, appliesTo: ['Resource::*'] },
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
    refreshOnLaunchTemplateChange(stack, group, launchTemplate, resource.autoScalingGroupName, target.warmupSeconds);
    return { target: target.name, group };
  });
  return { groups, drainDocument };
}

/**
 * The project's own SSM document: the one fixed drain command, no parameters. The lifecycle handler may
 * run this document and no other, so the drain can never run an arbitrary command as root.
 */
function drainDocumentFor(stack: Stack, app: App): string {
  const name = app.logicalPrefixedName('chat-drain');
  if (/^(aws|amazon|amzn)/i.test(name)) throw new ScalerError(`the drain document would be named ${JSON.stringify(name)}, but SSM reserves names starting with aws, amazon or amzn: choose another stage name`);
  new CfnDocument(stack, 'DrainDocument', {
    name,
    documentType: 'Command',
    // A changed command becomes a new version of the same document, under the same name.
    updateMethod: 'NewVersion',
    content: {
      schemaVersion: '2.2',
      description: "Drain this instance's chat node: stop its unit, whose SIGTERM moves every client to another node",
      mainSteps: [{ action: 'aws:runShellScript', name: 'drain', inputs: { runCommand: [DRAIN_COMMAND], timeoutSeconds: DRAIN_HOOK_TIMEOUT_SECONDS } }],
    },
  });
  return name;
}

/**
 * A deploy that changes the launch template (a new chat image, new user data) starts an instance refresh,
 * so running instances move to it as Fargate tasks do, rather than keeping the old image until they die.
 * The refresh drains through the same termination hook as a scale-in. It is started on the template's
 * version: the resource's physical id carries it, so each new version is a change and starts one refresh.
 */
function refreshOnLaunchTemplateChange(stack: Stack, group: AutoScalingGroup, launchTemplate: LaunchTemplate, groupName: string, warmupSeconds: number): void {
  const call: AwsSdkCall = {
    service: 'AutoScaling',
    action: 'startInstanceRefresh',
    parameters: { AutoScalingGroupName: groupName, Strategy: 'Rolling', Preferences: { ...REFRESH_PREFERENCES, InstanceWarmup: warmupSeconds } },
    physicalResourceId: PhysicalResourceId.of(`${groupName}-refresh-to-version-${launchTemplate.latestVersionNumber}`),
  };
  const refresh = new AwsCustomResource(stack, `${stageFreeId(stack, groupName)}InstanceRefresh`, {
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: AwsCustomResourcePolicy.fromStatements([allow(['autoscaling:StartInstanceRefresh'], [formatArn(stack, autoScalingGroupArn(groupName))])]),
  });
  // Only once the group runs the new version is there something to refresh to.
  refresh.node.addDependency(group);
  accept(refresh, [GROUP_ARN_WILDCARD]);
  // The function behind every AwsCustomResource of the stack: CDK's own, one per stack.
  const provider = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER);
  if (provider !== undefined) {
    accept(provider, [
      { ...LAMBDA_LOGS, reason: `CDK's AwsCustomResource provider: ${LAMBDA_LOGS.reason}` },
      { id: 'AwsSolutions-L1', reason: "CDK's AwsCustomResource provider; aws-cdk-lib pins its runtime" },
    ]);
  }
}

/** The construct id CDK gives the singleton function behind AwsCustomResource. */
const AWS_CUSTOM_RESOURCE_PROVIDER = 'AWS679f53fac002430cb0da5b7982bd2287';
