import { beforeAll, describe, expect, it } from 'vitest';

import { shippedApp, type PolicyStatementIn, type SynthesizedApp } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

/** A physical name as the test stage deploys it. */
const staged = (name: string) => `test-realtime-scaler-${name}`;
const arn = (service: string, rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:us-east-1:123456789012:${rest}`]] });
const ASG = arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${staged('chat-asg')}`);

const granting = (action: string): PolicyStatementIn[] => app.statements().filter((s) => s.actions.includes(action));
/** Reads (and putting metrics, which has no resource type) are the only actions that may name "*". */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

describe('least privilege', () => {
  it.each(['autoscaling:SetDesiredCapacity', 'autoscaling:SetInstanceProtection', 'autoscaling:CompleteLifecycleAction'])('allows %s only on the stack’s own ASG', (action) => {
    const statements = granting(action);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.resources).toEqual([ASG]);
  });

  it('allows UpdateService only on its own service', () => {
    const statements = granting('ecs:UpdateService');
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.resources).toEqual([arn('ecs', `service/${staged('chat')}/${staged('chat-fargate')}`)]);
  });

  it('allows UpdateTaskProtection only on its own cluster’s tasks', () => {
    const statements = granting('ecs:UpdateTaskProtection');
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.resources).toEqual([arn('ecs', `task/${staged('chat')}/*`)]);
  });

  it('allows ssm:SendCommand only with the drain’s document, on the group’s instances', () => {
    const statements = granting('ssm:SendCommand');
    expect(statements.map((s) => ({ resources: s.resources, condition: s.condition }))).toEqual([
      { resources: [arn('ssm', `document/${staged('chat-drain')}`)], condition: undefined },
      { resources: [arn('ec2', 'instance/*')], condition: { StringEquals: { 'ssm:resourceTag/aws:autoscaling:groupName': [staged('chat-asg')] } } },
    ]);
  });

  it('never allows ssm:SendCommand with AWS-RunShellScript, or with any document a wildcard names', () => {
    const documents = granting('ssm:SendCommand').flatMap((s) => s.resources.map((r) => JSON.stringify(r))).filter((r) => r === '"*"' || r.includes(':document/'));
    expect(documents).toEqual([JSON.stringify(arn('ssm', `document/${staged('chat-drain')}`))]);
    for (const d of documents) expect(d).not.toMatch(/AWS-RunShellScript|\*/);
  });

  it('lets no chat node call PutMetricData: its counts are embedded-metric records in its log', () => {
    const chat = app.statements().filter((s) => s.stack === 'ChatFargate' || s.stack === 'ChatEc2');
    expect(chat.length).toBeGreaterThan(0);
    expect(chat.flatMap((s) => s.actions)).not.toContain('cloudwatch:PutMetricData');
  });

  it('lets no mutating action name "*": only reads, and PutMetricData held to the Chat namespace', () => {
    const wildcards = app.statements().filter((s) => s.resources.includes('*'));
    expect(wildcards.length).toBeGreaterThan(0);
    for (const s of wildcards) {
      for (const action of s.actions) {
        if (action === 'cloudwatch:PutMetricData') expect(s.condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'Chat' } });
        else expect(action, `${s.stack}/${s.owner}`).toMatch(READ_ONLY);
      }
    }
  });

  it('gives each function only its own work: the forecast and the re-tuning cannot scale, the drain cannot touch services', () => {
    const actionsOf = (prefix: string) => new Set(app.statements().filter((s) => s.stack === 'Controller' && s.owner.startsWith(prefix)).flatMap((s) => s.actions));
    const forecast = actionsOf('RefreshForecast');
    const drain = actionsOf('DrainInstance');
    expect([...actionsOf('Retune')].sort()).toEqual(['cloudwatch:GetMetricData', 'dynamodb:GetItem', 'dynamodb:PutItem', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect([...forecast].sort()).toEqual(['cloudwatch:GetMetricData', 'cloudwatch:PutMetricData', 'dynamodb:GetItem', 'dynamodb:PutItem', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect([...drain].sort()).toEqual(['autoscaling:CompleteLifecycleAction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', 'ssm:GetCommandInvocation', 'ssm:SendCommand']);
  });
});
