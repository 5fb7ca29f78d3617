import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDIS_PORT } from './Network';
import { shippedApp, type SynthesizedApp } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

const secretId = () => Object.keys(app.template('Redis').findResources('AWS::SecretsManager::Secret'))[0]!;

describe('Redis stack', () => {
  it('runs Redis with TLS in transit, encryption at rest and a replica with failover in the other AZ', () => {
    app.template('Redis').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      Port: REDIS_PORT,
    });
  });

  it('takes its AUTH token from a generated secret: the template holds a reference, never the token', () => {
    const template = app.template('Redis');
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ ExcludePunctuation: true, PasswordLength: 64 }) });
    const group = Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'))[0]!;
    expect(group.Properties.AuthToken).toEqual({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId() }, ':SecretString:::}}']] });
  });

  it('lives in the isolated subnets', () => {
    const subnets = Object.values(app.template('Redis').findResources('AWS::ElastiCache::SubnetGroup'))[0]!;
    expect(JSON.stringify(subnets.Properties.SubnetIds)).toMatch(/redisSubnet1.*redisSubnet2/);
  });

  it('hands the Fargate chat the token as an ECS secret, and the host and port as plain settings', () => {
    const task = Object.values(app.template('ChatFargate').findResources('AWS::ECS::TaskDefinition'))[0]!;
    const container = task.Properties.ContainerDefinitions[0];
    expect(container.Secrets).toEqual([{ Name: 'REDIS_AUTH_TOKEN', ValueFrom: { 'Fn::ImportValue': expect.stringMatching(/Redis:ExportsOutputRefRedisAuthToken/) } }]);
    const env = Object.fromEntries(container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(env.REDIS_HOST).toEqual({ 'Fn::ImportValue': expect.stringMatching(/Redis:ExportsOutputFnGetAttRedisPrimaryEndPointAddress/) });
    expect(env.REDIS_PORT).toBe(String(REDIS_PORT));
    expect(JSON.stringify(container)).not.toMatch(/rediss?:\/\//);
  });
});
