import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ApplicationLoadBalancer, ApplicationProtocol, ApplicationTargetGroup, ListenerAction, ListenerCertificate, SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { use, type StackContext } from 'sst/constructs';
import type { TargetConfig } from '../core';
import { targetTypeOf } from './kind-deploy';
import { accept } from './nag';
import { drainTimings } from '../contract/drain';
import { chatCertificateArn } from './deploy-settings';
import { CHAT_PORT, HTTP_PORT, HTTPS_PORT, Network } from './Network';
import { scalingConfig, stageFreeId } from './scaling-config';

/**
 * socket.io pings every 25 s, so a healthy WebSocket is never idle that long; the ALB's 60 s default
 * would still cut a client whose pings are delayed. Five minutes leaves a wide margin.
 */
export const IDLE_TIMEOUT_SECONDS = 300;
/**
 * On scale-in the target is deregistered first: the ALB sends it no new connections, and may close what
 * is still open when this delay ends. The node sees its platform's notice within the delay and moves its
 * clients before it ends (contract/drain.ts derives both from the drain window).
 */
export const DEREGISTRATION_DELAY_SECONDS = drainTimings().deregistrationDelaySeconds;
/** socket.io's polling transport must reach the node that holds its session. */
export const STICKINESS_SECONDS = 3600;

/**
 * The chat's public entry: one Application Load Balancer, one target group per configured target, and a
 * listener that spreads new clients over them with group-level stickiness. Access logs go to S3.
 */
export function LoadBalancer({ stack, app }: StackContext) {
  const { vpc, securityGroups } = use(Network);
  const accessLogs = new Bucket(stack, 'AccessLogs', {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  accept(accessLogs, [{ id: 'AwsSolutions-S1', reason: 'This bucket holds the access logs; logging its own access would need another bucket, and so on' }]);
  const loadBalancer = new ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    internetFacing: true,
    securityGroup: securityGroups.loadBalancer,
    idleTimeout: Duration.seconds(IDLE_TIMEOUT_SECONDS),
    dropInvalidHeaderFields: true,
  });
  loadBalancer.logAccessLogs(accessLogs);

  const targetGroups = new Map<string, ApplicationTargetGroup>();
  for (const target of scalingConfig(app).config.targets) targetGroups.set(target.name, targetGroupFor(stack, vpc, target));
  const groups = [...targetGroups.values()];
  const toTheChat =
    groups.length === 1
      ? ListenerAction.forward(groups)
      : ListenerAction.weightedForward(
          groups.map((targetGroup) => ({ targetGroup, weight: 1 })),
          { stickinessDuration: Duration.seconds(STICKINESS_SECONDS) },
        );
  // `open: false`: the Network stack's security group already admits the internet on these ports only.
  const certificate = chatCertificateArn();
  if (certificate === undefined) {
    loadBalancer.addListener('Http', { port: HTTP_PORT, protocol: ApplicationProtocol.HTTP, open: false, defaultAction: toTheChat });
  } else {
    loadBalancer.addListener('Https', {
      port: HTTPS_PORT,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [ListenerCertificate.fromArn(certificate)],
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: toTheChat,
    });
    loadBalancer.addListener('Http', {
      port: HTTP_PORT,
      protocol: ApplicationProtocol.HTTP,
      open: false,
      defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: String(HTTPS_PORT), permanent: true }),
    });
  }

  // With a certificate, point your domain at LoadBalancerDns; the certificate names the domain, not it.
  stack.addOutputs({ ChatUrl: `${certificate === undefined ? 'http' : 'https'}://${loadBalancer.loadBalancerDnsName}`, LoadBalancerDns: loadBalancer.loadBalancerDnsName });
  return { loadBalancer, targetGroups };
}

function targetGroupFor(stack: StackContext['stack'], vpc: IVpc, target: TargetConfig): ApplicationTargetGroup {
  return new ApplicationTargetGroup(stack, `${stageFreeId(stack, target.name)}Targets`, {
    vpc,
    targetType: targetTypeOf(target),
    port: CHAT_PORT,
    protocol: ApplicationProtocol.HTTP,
    deregistrationDelay: Duration.seconds(DEREGISTRATION_DELAY_SECONDS),
    stickinessCookieDuration: Duration.seconds(STICKINESS_SECONDS),
    // Liveness, not readiness: a node that lost Redis keeps its users (it delivers locally); checking
    // /readyz would have ECS and the ASG replace every node during a Redis failover.
    healthCheck: { path: '/healthz', interval: Duration.seconds(10), timeout: Duration.seconds(5), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
  });
}
