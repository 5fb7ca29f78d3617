import { RemovalPolicy } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, Peer, Port, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StackContext } from 'sst/constructs';
import { chatCertificateArn } from './deploy-settings';
import { accept } from './nag';

/** The port a chat node listens on (the image's PORT), and the one Redis serves TLS on. */
export const CHAT_PORT = 3000;
export const REDIS_PORT = 6380;
/** The load balancer's public ports: HTTP, and HTTPS when the chat has a certificate. */
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

/**
 * A VPC over two AZs: public subnets hold only the load balancer and the NAT gateway, the chat runs in
 * private subnets, and Redis in isolated ones. Security groups let the internet reach the load balancer,
 * the load balancer reach the chat, and the chat reach Redis; nothing else. No controller function needs
 * Redis (they read CloudWatch), so none runs in the VPC.
 */
export function Network({ stack }: StackContext) {
  const flowLogs = new LogGroup(stack, 'FlowLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    // One NAT gateway: the chat's egress (image pulls, CloudWatch, Secrets Manager) survives an AZ loss
    // only with two, at twice the cost; add one here if that matters more than ~$32 a month.
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'chat', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      { name: 'redis', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
    flowLogs: { rejected: { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.REJECT } },
  });

  const group = (id: string, description: string, allowAllOutbound: boolean) => new SecurityGroup(stack, id, { vpc, description, allowAllOutbound });
  const loadBalancer = group('LoadBalancerSg', 'Chat load balancer: HTTP from anywhere, to the chat only', false);
  // The chat reaches AWS APIs (CloudWatch, ECR, Secrets Manager) over HTTPS through the NAT gateway.
  const chatTasks = group('ChatTasksSg', 'Chat on Fargate: from the load balancer and the other tasks', true);
  const chatInstances = group('ChatInstancesSg', 'Chat on EC2: from the load balancer and the other instances', true);
  const redis = group('RedisSg', 'Redis: from the chat only', false);

  const https = chatCertificateArn() !== undefined;
  loadBalancer.addIngressRule(Peer.anyIpv4(), Port.tcp(HTTP_PORT), https ? 'redirected to HTTPS' : 'the chat, for everyone');
  if (https) loadBalancer.addIngressRule(Peer.anyIpv4(), Port.tcp(HTTPS_PORT), 'the chat, for everyone');
  accept(loadBalancer, [{ id: 'AwsSolutions-EC23', reason: 'The public load balancer of a public chat: its web ports, open to everyone, and nothing else is' }]);
  for (const chat of [chatTasks, chatInstances]) {
    loadBalancer.addEgressRule(chat, Port.tcp(CHAT_PORT), 'to the chat nodes');
    chat.addIngressRule(loadBalancer, Port.tcp(CHAT_PORT), 'from the load balancer');
    // While a node cannot reach Redis, it asks the others' /readyz whether one of them can take newcomers.
    chat.addIngressRule(chat, Port.tcp(CHAT_PORT), 'readiness checks between chat nodes');
    redis.addIngressRule(chat, Port.tcp(REDIS_PORT), 'from the chat nodes');
  }
  return { vpc, securityGroups: { loadBalancer, chatTasks, chatInstances, redis } };
}
