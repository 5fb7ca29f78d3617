import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { App, getStack } from 'sst/constructs';
import { initProject } from 'sst/project.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { Controller } from './Controller';
import { CONFIG_ENV } from '../functions/config';

function synth(): Template {
  const app = new App({ mode: 'deploy' });
  app.stack(Controller);
  return Template.fromStack(getStack(Controller));
}

describe('Controller stack', () => {
  beforeAll(async () => {
    process.env[CONFIG_ENV] = 'examples/controller.json';
    await initProject({ stage: 'test' });
  });

  it('keeps target state in an on-demand DynamoDB table with point-in-time recovery, retained on delete', () => {
    const template = synth();
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('lists the configured targets in its outputs', () => {
    const outputs = synth().findOutputs('Targets');
    expect(Object.values(outputs)[0]?.Value).toBe('chat-fargate (ecs-service), chat-ec2 (ec2-asg)');
  });

  it('refuses to synthesize an invalid configuration, listing its problems', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'scaler-stack-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ targets: [], region: 'mars-1' }));
    process.env[CONFIG_ENV] = bad;
    try {
      expect(() => synth()).toThrow('Invalid controller configuration: 2 problem(s)');
      expect(() => synth()).toThrow('targets: at least one target is required (received: [])');
      expect(() => synth()).toThrow('region: unknown key (received: "mars-1")');
    } finally {
      process.env[CONFIG_ENV] = 'examples/controller.json';
    }
  });

  it('says how to provide a configuration when there is none', () => {
    process.env[CONFIG_ENV] = 'nowhere.json';
    try {
      expect(() => synth()).toThrow(/no controller configuration at .*nowhere\.json: create scaler\.config\.json \(start from examples\/controller\.json\) or set SCALER_CONFIG/);
    } finally {
      process.env[CONFIG_ENV] = 'examples/controller.json';
    }
  });
});
