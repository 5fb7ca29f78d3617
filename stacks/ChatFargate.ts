import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerImage, ContainerInsights, CpuArchitecture, FargateService, FargateTaskDefinition, LogDrivers, OperatingSystemFamily, Secret as EcsSecret, UlimitName } from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { use, type StackContext } from 'sst/constructs';
import { ecsServiceResource } from '../kinds';
import { CHAT_STOP_SECONDS, chatEnvironment, chatImage, REGISTRY_TOKEN_REASON } from './chat-node';
import { accept } from './nag';
import { LoadBalancer } from './LoadBalancer';
import { CHAT_PORT, Network } from './Network';
import { Redis } from './Redis';
import { stageFreeId, targetsWithChatOn } from './scaling-config';

/**
 * The chat on Fargate: for each target whose chat runs as a Fargate service (its kind says so), a service with the
 * cluster and service names the configuration gives, in the private subnets, behind its target group.
 * The controller owns the desired count: the template leaves it out, so a deploy never resets it.
 */
export function ChatFargate({ stack, app }: StackContext) {
  const { vpc, securityGroups } = use(Network);
  const redis = use(Redis);
  const { targetGroups } = use(LoadBalancer);
  const targets = targetsWithChatOn(app, 'fargate-service');
  if (targets.length === 0) return { services: [] };

  const image = ContainerImage.fromDockerImageAsset(chatImage(stack));
  const clusters = new Map<string, Cluster>();
  const services = targets.map((target) => {
    const id = stageFreeId(stack, target.name);
    const resource = ecsServiceResource.parse(target.resource);
    let cluster = clusters.get(resource.cluster);
    if (cluster === undefined) {
      cluster = new Cluster(stack, `${stageFreeId(stack, resource.cluster)}Cluster`, { vpc, clusterName: resource.cluster, containerInsightsV2: ContainerInsights.ENABLED });
      clusters.set(resource.cluster, cluster);
    }
    const logGroup = new LogGroup(stack, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const task = new FargateTaskDefinition(stack, `${id}Task`, {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    task.addContainer('chat', {
      image,
      portMappings: [{ containerPort: CHAT_PORT }],
      environment: chatEnvironment(stack, target, redis),
      secrets: { REDIS_AUTH_TOKEN: EcsSecret.fromSecretsManager(redis.authToken) },
      logging: LogDrivers.awsLogs({ logGroup, streamPrefix: 'chat' }),
      stopTimeout: Duration.seconds(CHAT_STOP_SECONDS),
      // Every client is an open socket: the default 1,024 descriptors would cap a node far below its capacity.
      ulimits: [{ name: UlimitName.NOFILE, softLimit: 65_536, hardLimit: 65_536 }],
    });
    // Each task reads its own state, to drain within the deregistration delay rather than after it.
    task.addToTaskRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['ecs:DescribeTasks'], resources: [Stack.of(stack).formatArn({ service: 'ecs', resource: 'task', resourceName: `${resource.cluster}/*` })] }),
    );
    accept(task, [
      { id: 'AwsSolutions-IAM5', reason: REGISTRY_TOKEN_REASON, appliesTo: ['Resource::*'] },
      { id: 'AwsSolutions-ECS2', reason: 'The environment holds names and settings only (Redis host and port, target, timeouts); the one secret, the Redis AUTH token, comes from Secrets Manager' },
      { id: 'AwsSolutions-IAM5', reason: "A task's own ARN is known only at run time: DescribeTasks is held to the tasks of its cluster", appliesTo: [{ regex: `/^Resource::arn:<AWS::Partition>:ecs:[^:]+:[^:]+:task\\/${resource.cluster}\\/\\*$/` }] },
    ]);
    const service = new FargateService(stack, `${id}Service`, {
      cluster,
      serviceName: resource.service,
      taskDefinition: task,
      securityGroups: [securityGroups.chatTasks],
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });
    service.attachToApplicationTargetGroup(targetGroups.get(target.name)!);
    // Registered with Application Auto Scaling only so that its limits are visible, to the controller too.
    service.autoScaleTaskCount({ minCapacity: target.minCapacity, maxCapacity: target.maxCapacity });
    return { target: target.name, service };
  });
  return { services };
}
