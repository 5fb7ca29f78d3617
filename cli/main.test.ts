import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './io';

const bin = resolve(projectRoot, 'bin/scaler.js');
const work = mkdtempSync(join(tmpdir(), 'scaler-cli-'));

function scaler(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: projectRoot });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const config = {
  targets: [
    {
      name: 'fleet',
      kind: 'local-fleet',
      minCapacity: 1,
      maxCapacity: 20,
      policies: [{ type: 'target-tracking', name: 'connections', targetPerUnit: 100, scaleIn: { stabilizationSeconds: 0 } }],
    },
  ],
};

describe('scaler CLI', () => {
  it.each([[[]], [['validate']], [['decide']], [['replay']]])('has --help for %j', (command) => {
    const { code, stdout } = scaler([...command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: scaler');
  });

  it('validate lists every problem of a bad configuration and exits 1', () => {
    const bad = file('bad.json', { targets: [{ ...config.targets[0], minCapacity: 30, extra: true }] });
    const { code, stderr } = scaler(['validate', bad]);
    expect(code).toBe(1);
    expect(stderr).toContain('ConfigError: Invalid controller configuration: 2 problem(s)');
    expect(stderr).toContain('targets[0].extra: unknown key (received: true)');
    expect(stderr).toContain('targets[0].minCapacity: minCapacity (30) must not exceed maxCapacity (20) (received: 30)');
  });

  it('validate accepts the shipped example configuration', () => {
    const { code, stdout } = scaler(['validate']);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: 2 target(s)');
  });

  it('decide reads an observation from stdin and prints the decision as JSON', () => {
    const { code, stdout } = scaler(['decide', '-c', file('ok.json', config), '-o', '-', '--now', '2024-01-01T00:00:00Z'], JSON.stringify({ capacity: 2, metrics: { connections: 950 } }));
    expect(code).toBe(0);
    // 950 connections need 10 units, but the default rate limit allows max(+100%, +4 units) from 2 in a minute.
    expect(JSON.parse(stdout)).toMatchObject({ current: 2, desired: 6, reason: 'ScaleOutRateLimited', state: { lastScaledAt: 1704067200 } });
  });

  it('decide refuses a NaN-like metric before deciding', () => {
    const { code, stderr } = scaler(['decide', '-c', file('ok2.json', config), '-o', file('obs.json', '{"capacity": 2, "metrics": {"connections": "lots"}}')]);
    expect(code).toBe(1);
    expect(stderr).toContain('metrics.connections: Invalid input: expected number, received string (received: "lots")');
  });

  it('decide names the known targets when asked for an unknown one', () => {
    const { code, stderr } = scaler(['decide', '-c', file('ok3.json', config), '-t', 'nope', '-o', file('obs2.json', { capacity: 1, metrics: { connections: 1 } })]);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown target "nope"; the configuration has: fleet');
  });

  it('replay prints each change with its reason, then a summary', () => {
    const trace = file('trace.csv', 'timestamp,value\n2024-01-01 00:00:00,100\n2024-01-01 01:00:00,1900\n2024-01-01 02:00:00,100\n');
    const { code, stdout } = scaler(['replay', trace, '-c', file('ok4.json', config), '--from-day', '0', '--days', '1', '--mean', '1000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2024-01-01 00:\d\d .* TargetTrackingScaleOut +connections: /);
    // The trace's mean (700) is scaled to 1,000, so its 1,900 peak becomes 2,714; max capacity is 20.
    expect(stdout).toMatch(/121 decisions: \d+ scale-outs, \d+ scale-ins; peak 20 units for 2,714 connections/);
  });

  it('replay says how to fix a missing trace', () => {
    const { code, stderr } = scaler(['replay', join(work, 'missing.csv')]);
    expect(code).toBe(1);
    expect(stderr).toContain('missing.csv does not exist; pass a trace CSV (timestamp,value) as the first argument');
  });

  it('rejects a malformed option value', () => {
    const { code, stderr } = scaler(['replay', '--step', 'soon']);
    expect(code).toBe(1);
    expect(stderr).toContain('--step must be a whole number >= 1, got "soon"');
  });
});
