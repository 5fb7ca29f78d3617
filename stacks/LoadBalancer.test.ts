import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEREGISTRATION_DELAY_SECONDS, IDLE_TIMEOUT_SECONDS, STICKINESS_SECONDS } from './LoadBalancer';
import { CHAT_PORT } from './Network';
import { synthApp, type SynthesizedApp } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await synthApp();
});

const attributes = (list: Array<{ Key: string; Value: unknown }>) => Object.fromEntries(list.map((a) => [a.Key, a.Value]));

describe('LoadBalancer stack', () => {
  it('is internet-facing, keeps WebSockets open past socket.io pings, drops invalid headers and logs access', () => {
    const alb = Object.values(app.template('LoadBalancer').findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]!;
    expect(alb.Properties.Scheme).toBe('internet-facing');
    const attrs = attributes(alb.Properties.LoadBalancerAttributes);
    expect(attrs['idle_timeout.timeout_seconds']).toBe(String(IDLE_TIMEOUT_SECONDS));
    expect(IDLE_TIMEOUT_SECONDS).toBeGreaterThan(25 * 2); // socket.io's ping interval, twice over
    expect(attrs['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
    expect(attrs['access_logs.s3.enabled']).toBe('true');
  });

  it.each([
    { target: 'chat-fargate', id: 'ChatFargateTargets', type: 'ip' },
    { target: 'chat-ec2', id: 'ChatEc2Targets', type: 'instance' },
  ])('gives $target a target group of $type targets: sticky, health-checked on /readyz, deregistered after the delay', ({ id, type }) => {
    const groups = app.template('LoadBalancer').findResources('AWS::ElasticLoadBalancingV2::TargetGroup');
    const group = Object.entries(groups).find(([logical]) => logical.startsWith(id))![1];
    expect(group.Properties).toMatchObject({ TargetType: type, Port: CHAT_PORT, Protocol: 'HTTP', HealthCheckPath: '/readyz' });
    expect(attributes(group.Properties.TargetGroupAttributes)).toEqual({
      'deregistration_delay.timeout_seconds': String(DEREGISTRATION_DELAY_SECONDS),
      'stickiness.enabled': 'true',
      'stickiness.type': 'lb_cookie',
      'stickiness.lb_cookie.duration_seconds': String(STICKINESS_SECONDS),
    });
  });

  it('lets in-flight long-polls end before a node is told to drain', () => {
    expect(DEREGISTRATION_DELAY_SECONDS).toBeGreaterThanOrEqual(25); // socket.io holds a poll up to its ping interval
  });

  it('spreads new clients over both targets on port 80, and keeps a client on the group it started in', () => {
    app.template('LoadBalancer').hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: STICKINESS_SECONDS },
            TargetGroups: [Match.objectLike({ Weight: 1 }), Match.objectLike({ Weight: 1 })],
          },
        },
      ],
    });
  });

  it('keeps its access logs private, encrypted and for 30 days', () => {
    app.template('LoadBalancer').hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
  });
});
