import { CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { use, type StackContext } from 'sst/constructs';
import { accept } from './nag';
import { Network, REDIS_PORT } from './Network';

/**
 * The chat's Redis (socket.io adapter, history, heartbeats): ElastiCache with a replica in the second AZ
 * and automatic failover, TLS in transit, encrypted at rest, and an AUTH token that Secrets Manager
 * generates. The template holds only a reference to the secret; the chat reads it at start-up.
 */
export function Redis({ stack }: StackContext) {
  const { vpc, securityGroups } = use(Network);
  const authToken = new Secret(stack, 'RedisAuthToken', {
    description: 'AUTH token of the chat Redis',
    // ElastiCache takes 16-128 printable characters without @, " or /: letters and digits are safe.
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });
  accept(authToken, [
    {
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating an ElastiCache AUTH token takes ModifyReplicationGroup (ROTATE, then SET) while every node reconnects with the new one; a plain rotation schedule would lock the chat out. Rotate it by hand as docs/deploy.md says.',
    },
  ]);
  const subnets = new CfnSubnetGroup(stack, 'RedisSubnets', {
    description: 'Chat Redis: isolated subnets in two AZs',
    subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId),
  });
  const cluster = new CfnReplicationGroup(stack, 'Redis', {
    replicationGroupDescription: 'chat: socket.io adapter, history and heartbeats',
    engine: 'redis',
    engineVersion: '7.1',
    cacheNodeType: 'cache.t4g.micro',
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    port: REDIS_PORT,
    cacheSubnetGroupName: subnets.ref,
    securityGroupIds: [securityGroups.redis.securityGroupId],
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    authToken: authToken.secretValue.unsafeUnwrap(),
    snapshotRetentionLimit: 1,
  });
  return { host: cluster.attrPrimaryEndPointAddress, port: REDIS_PORT, authToken };
}
