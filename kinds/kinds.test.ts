import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../core';
import { KIND_NAMES, KINDS, kindProblems, scalingTargetFor, targetProblems } from './';

const step = { name: 'spike', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] };
const target = (kind: string, type: string, resource: Record<string, string> = {}) => parseTargetConfig({ name: 'chat', kind, resource, minCapacity: 1, maxCapacity: 10, policies: [{ ...step, type }] });
const ecs = { cluster: 'c', service: 's' };
const asg = { autoScalingGroupName: 'g' };

describe('a target is checked against its kind', () => {
  it.each([
    { name: 'an ECS step policy on an ECS service', target: target('ecs-service', 'ecs-step', ecs), problems: [] },
    { name: 'an EC2 step policy on an Auto Scaling group', target: target('ec2-asg', 'ec2-step', asg), problems: [] },
    { name: 'either step policy on the local fleet, which stands in for both platforms', target: target('local-fleet', 'ec2-step'), problems: [] },
    {
      name: 'a kind nothing scales',
      target: target('lambda', 'ecs-step'),
      problems: [{ path: 'kind', message: `unknown kind; expected one of ${KIND_NAMES.join(', ')}`, received: 'lambda' }],
    },
    {
      name: 'an EC2 step policy on an ECS service',
      target: target('ecs-service', 'ec2-step', ecs),
      problems: [{ path: 'policies[0].type', message: 'type ec2-step scales only ec2-asg or local-fleet targets, not ecs-service', received: 'ec2-step' }],
    },
    {
      name: 'an ECS step policy on an Auto Scaling group',
      target: target('ec2-asg', 'ecs-step', asg),
      problems: [{ path: 'policies[0].type', message: 'type ecs-step scales only ecs-service or local-fleet targets, not ec2-asg', received: 'ecs-step' }],
    },
    {
      name: 'a resource its kind cannot find',
      target: target('ec2-asg', 'ec2-step', { group: 'g' }),
      problems: [
        { path: 'resource.autoScalingGroupName', message: 'Invalid input: expected string, received undefined' },
        { path: 'resource.group', message: 'unknown key', received: 'g' },
      ],
    },
  ])('$name', ({ target, problems }) => {
    expect(kindProblems(target, []).map((p) => ({ ...p }))).toEqual(problems);
  });

  it('the deployed controller refuses the local fleet, which it has no adapter for', () => {
    expect(targetProblems(target('local-fleet', 'ecs-step'), ['targets', 0])).toEqual([
      { path: 'targets[0].kind', message: 'no scaling target adapter for kind "local-fleet" here; known kinds: ecs-service, ec2-asg', received: 'local-fleet' },
    ]);
    expect(() => scalingTargetFor(target('local-fleet', 'ecs-step'), {} as never)).toThrow(
      `Invalid target chat: 1 problem(s)\n  - kind: no scaling target adapter for kind "local-fleet" here; known kinds: ${KINDS.filter((k) => k.adapter !== undefined).map((k) => k.name).join(', ')} (received: "local-fleet")`,
    );
  });

  it('finds no adapter for a resource its kind cannot find, listing every problem', () => {
    expect(() => scalingTargetFor(target('ecs-service', 'ecs-step', { cluster: 'c', serviceName: 's' }), {} as never)).toThrow(/service: Invalid input.*\n.*serviceName: unknown key/);
  });
});

describe('the list of kinds', () => {
  it('names each kind once, and each kind the stacks deploy has an adapter', () => {
    expect(new Set(KIND_NAMES).size).toBe(KINDS.length);
    for (const kind of KINDS.filter((k) => k.deploy !== undefined)) expect(kind.adapter).toBeDefined();
  });

  it('is the only place that names a kind: no production file outside kinds/ spells one', () => {
    const root = resolve(import.meta.dirname, '..');
    const files = execSync("git ls-files '*.ts' '*.js' '*.mjs'", { cwd: root, encoding: 'utf8' })
      .split('\n')
      // Tests and their wiring configure targets of every kind; the lab is not production.
      .filter((f) => f !== '' && !f.startsWith('kinds/') && !/(\.test|\/testing)\.ts$/.test(f) && !/^(bench|test-support|backtest)\//.test(f));
    expect(files.length).toBeGreaterThan(100);
    const spelled = files.flatMap((f) => {
      const text = readFileSync(resolve(root, f), 'utf8');
      return KIND_NAMES.filter((name) => new RegExp(`['"\`]${name}['"\`]`).test(text)).map((name) => `${f}: ${name}`);
    });
    expect(spelled).toEqual([]);
  });
});
