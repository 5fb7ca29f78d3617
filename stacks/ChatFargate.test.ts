import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChatNodeOptions } from '../chat/config';
import { CHAT_DRAIN, CHAT_STOP_SECONDS } from './chat-node';
import { CHAT_PORT } from './Network';
import { shippedApp, type SynthesizedApp, staged } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

const container = () => Object.values(app.template('ChatFargate').findResources('AWS::ECS::TaskDefinition'))[0]!.Properties.ContainerDefinitions[0];

describe('ChatFargate stack', () => {
  it('names the cluster and service as the scaling configuration does, with Container Insights on', () => {
    const template = app.template('ChatFargate');
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: staged('chat'), ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: staged('chat-fargate'), LaunchType: 'FARGATE' });
  });

  it('leaves the desired count to the controller: a deploy never resets it', () => {
    const service = Object.values(app.template('ChatFargate').findResources('AWS::ECS::Service'))[0]!;
    expect(service.Properties.DesiredCount).toBeUndefined();
  });

  it("registers the configuration's limits with Application Auto Scaling, where the controller reads them", () => {
    app.template('ChatFargate').hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 80, ScalableDimension: 'ecs:service:DesiredCount' });
  });

  it('brings a first deploy up to the minimum: the limits are registered once the service exists, which moves its count into them', () => {
    // ECS creates a service without DesiredCount with 1 task; RegisterScalableTarget on an active service
    // changes its capacity to a value inside [min, max], so the first deploy ends at the minimum.
    const template = app.template('ChatFargate');
    const [serviceId] = Object.keys(template.findResources('AWS::ECS::Service'));
    const target = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0]!;
    expect(JSON.stringify(target.Properties.ResourceId)).toContain(`"Fn::GetAtt":["${serviceId}","Name"]`);
    expect(target.Properties.MinCapacity).toBe(2);
  });

  it('builds the chat image on a Node.js LTS that is still supported', () => {
    // Node's own schedule: the end of each LTS line's security fixes.
    const END_OF_LIFE: Record<number, string> = { 18: '2025-04-30', 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30' };
    const major = Number(/^FROM node:(\d+)-/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1]);
    expect(END_OF_LIFE[major], `node ${major} is not an LTS line`).toBeDefined();
    expect(Date.parse(END_OF_LIFE[major]!)).toBeGreaterThan(Date.now());
  });

  it('runs the chat image built from the Dockerfile, in private subnets, behind its target group', () => {
    expect(container().Image['Fn::Sub']).toMatch(/container-assets.*:[0-9a-f]{64}$/);
    app.template('ChatFargate').hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      LoadBalancers: [{ ContainerName: 'chat', ContainerPort: CHAT_PORT, TargetGroupArn: { 'Fn::ImportValue': Match.stringLikeRegexp('ChatFargateTargets') } }],
    });
  });

  it('gives the node its stop timeout, and the node drains well within it', () => {
    expect(container().StopTimeout).toBe(CHAT_STOP_SECONDS);
    const env = Object.fromEntries(container().Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(env.CHAT_STOP_TIMEOUT_SECONDS).toBe(String(CHAT_STOP_SECONDS));
    const node = parseChatNodeOptions({ stopTimeoutSeconds: CHAT_STOP_SECONDS });
    expect(node.drainWindowSeconds).toBeLessThan(CHAT_STOP_SECONDS / 2);
  });

  it("times the node's drain from the one drain window the load balancer's delay is derived from", () => {
    const env = Object.fromEntries(container().Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(env).toMatchObject({ CHAT_DRAIN_WINDOW_SECONDS: String(CHAT_DRAIN.drainWindowSeconds), CHAT_STOP_NOTICE_SECONDS: String(CHAT_DRAIN.noticeSeconds) });
    app.template('LoadBalancer').hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: String(CHAT_DRAIN.deregistrationDelaySeconds) }]),
    });
  });

  it('lets each task read its own state, and only the tasks of its cluster, to see its stop coming', () => {
    const statements = Object.values(app.template('ChatFargate').findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const describe = statements.filter((s: { Action: unknown }) => s.Action === 'ecs:DescribeTasks');
    expect(describe).toHaveLength(1);
    expect(JSON.stringify(describe[0].Resource)).toContain(`:task/${staged('chat')}/*"`);
  });

  it('tells the node its target, so its counts land where the controller reads them', () => {
    const env = Object.fromEntries(container().Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(env).toMatchObject({ CHAT_TARGET_KIND: 'ecs-service', CHAT_TARGET_NAME: staged('chat-fargate'), CHAT_CLOUDWATCH: 'on', CHAT_TRUST_PROXY: 'on' });
    // A task finds its id in the task metadata, not the instance metadata.
    expect(env.CHAT_INSTANCE_METADATA).toBeUndefined();
  });

  it('logs to its own log group, kept for a month', () => {
    const template = app.template('ChatFargate');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(container().LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: expect.stringMatching(/^ChatFargateLogs/) } } });
  });
});
