import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainTimings } from '../contract/drain';
import { DEREGISTRATION_DELAY_SECONDS, IDLE_TIMEOUT_SECONDS, STICKINESS_SECONDS } from './LoadBalancer';
import { CHAT_PORT } from './Network';
import { CERTIFICATE_ENV } from './deploy-settings';
import { removeSyntheses, shippedApp, synthApp, type SynthesizedApp } from './testing';

afterAll(removeSyntheses);

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
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
  ])('gives $target a target group of $type targets: sticky, health-checked on /healthz (liveness), deregistered after the delay', ({ id, type }) => {
    const groups = app.template('LoadBalancer').findResources('AWS::ElasticLoadBalancingV2::TargetGroup');
    const group = Object.entries(groups).find(([logical]) => logical.startsWith(id))![1];
    expect(group.Properties).toMatchObject({ TargetType: type, Port: CHAT_PORT, Protocol: 'HTTP', HealthCheckPath: '/healthz' });
    expect(attributes(group.Properties.TargetGroupAttributes)).toEqual({
      'deregistration_delay.timeout_seconds': String(DEREGISTRATION_DELAY_SECONDS),
      'stickiness.enabled': 'true',
      'stickiness.type': 'lb_cookie',
      'stickiness.lb_cookie.duration_seconds': String(STICKINESS_SECONDS),
    });
  });

  it("outlasts the node's notice and its drain window, so every client has moved before the load balancer may close anything", () => {
    const { noticeSeconds, drainWindowSeconds } = drainTimings();
    expect(DEREGISTRATION_DELAY_SECONDS).toBeGreaterThan(noticeSeconds * 1.2 + drainWindowSeconds + 1);
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

describe('with a certificate (CHAT_CERTIFICATE_ARN)', () => {
  const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
  const withCertificate = async (value: string) => {
    process.env[CERTIFICATE_ENV] = value;
    try {
      return await synthApp();
    } finally {
      delete process.env[CERTIFICATE_ENV];
    }
  };

  it('serves the chat over HTTPS on 443 with a TLS 1.2+ policy, and port 80 only redirects to it', async () => {
    const secure = await withCertificate(certificate);
    const template = secure.template('LoadBalancer');
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: certificate }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    const group = Object.entries(secure.template('Network').findResources('AWS::EC2::SecurityGroup')).find(([id]) => id.startsWith('LoadBalancerSg'))![1];
    expect(group.Properties.SecurityGroupIngress.map((r: { FromPort: number }) => r.FromPort)).toEqual([80, 443]);
    expect(secure.nagErrors()).toEqual([]);
  });

  it('refuses something that is not an ACM certificate ARN, before anything is built', async () => {
    await expect(withCertificate('my-cert')).rejects.toThrow('CHAT_CERTIFICATE_ARN must be an ACM certificate ARN');
  });
});
