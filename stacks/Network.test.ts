import { beforeAll, describe, expect, it } from 'vitest';
import { CHAT_PORT, HTTP_PORT, REDIS_PORT } from './Network';
import { shippedApp, STACKS, type StackName, type SynthesizedApp } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const groupName = (ref: unknown) => {
  const id = (ref as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0] ?? '';
  return id.replace(/[0-9A-F]{8}$/, '');
};

/** Every ingress rule in the app, inline or standalone, as "group <- source:port". */
function ingressRules(): string[] {
  return (Object.keys(STACKS) as StackName[]).flatMap((name) => {
    const resources = app.template(name).toJSON().Resources as Resources;
    return Object.entries(resources).flatMap(([id, r]) => {
      if (r.Type === 'AWS::EC2::SecurityGroup') {
        const inline = (r.Properties.SecurityGroupIngress ?? []) as Array<{ CidrIp?: string; FromPort: number; ToPort: number }>;
        return inline.map((rule) => `${id.replace(/[0-9A-F]{8}$/, '')} <- ${rule.CidrIp}:${rule.FromPort}-${rule.ToPort}`);
      }
      if (r.Type === 'AWS::EC2::SecurityGroupIngress') {
        const p = r.Properties as { GroupId: unknown; SourceSecurityGroupId?: unknown; CidrIp?: string; FromPort: number; ToPort: number };
        return [`${groupName(p.GroupId)} <- ${p.CidrIp ?? groupName(p.SourceSecurityGroupId)}:${p.FromPort}-${p.ToPort}`];
      }
      return [];
    });
  });
}

describe('Network stack', () => {
  it('spans two AZs: public, private and isolated subnets in each, one NAT gateway', () => {
    const template = app.template('Network');
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => JSON.stringify(s.Properties.AvailabilityZone));
    expect(new Set(azs).size).toBe(2);
  });

  it('lets the internet reach only the load balancer, the load balancer and the same fleet only the chat, and only the chat reach Redis', () => {
    expect(ingressRules().sort()).toEqual(
      [
        `LoadBalancerSg <- 0.0.0.0/0:${HTTP_PORT}-${HTTP_PORT}`,
        `ChatTasksSg <- LoadBalancerSg:${CHAT_PORT}-${CHAT_PORT}`,
        `ChatInstancesSg <- LoadBalancerSg:${CHAT_PORT}-${CHAT_PORT}`,
        `ChatTasksSg <- ChatTasksSg:${CHAT_PORT}-${CHAT_PORT}`,
        `ChatInstancesSg <- ChatInstancesSg:${CHAT_PORT}-${CHAT_PORT}`,
        `RedisSg <- ChatTasksSg:${REDIS_PORT}-${REDIS_PORT}`,
        `RedisSg <- ChatInstancesSg:${REDIS_PORT}-${REDIS_PORT}`,
      ].sort(),
    );
  });

  it('keeps rejected flows in a log', () => {
    app.template('Network').hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
  });

  it('puts no controller function in the VPC: none of them needs Redis', () => {
    const functions = Object.values(app.template('Controller').findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const fn of functions) expect(fn.Properties.VpcConfig).toBeUndefined();
  });
});
