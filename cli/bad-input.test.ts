import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './io';

// Every input the issue tracker found failing late, misleading or silently: the command, its exit code,
// and what it says. Each runs the real CLI as a child process, as a user would.
const bin = resolve(projectRoot, 'bin/scaler.js');
const work = mkdtempSync(join(tmpdir(), 'scaler-bad-input-'));

function scaler(args: string[], env: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: projectRoot, env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}`, stderr: result.stderr, seconds: (Date.now() - started) / 1000 };
}

/** The CLI as a child process, without blocking this one (a test's own server must keep answering). */
function scalerAsync(args: string[]): Promise<{ code: number | null; out: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: projectRoot, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, out: `${stdout}\n${stderr}`, stderr }),
    );
  });
}

function file(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Five days at 5 minutes, with `stamp` writing each sample's time. */
function fiveDays(stamp: (t: number) => string): string {
  const start = Date.UTC(2024, 4, 1) / 1000;
  const rows = Array.from({ length: 5 * 288 + 1 }, (_, i) => `${stamp(start + i * 300)},${(20 + 10 * Math.sin((2 * Math.PI * i) / 288)).toFixed(2)}`);
  return ['timestamp,value', ...rows].join('\n');
}
const trace = file('five-days.csv', fiveDays((t) => new Date(t * 1000).toISOString().replace('.000Z', '+00:00')));
const aFile = file('a-file.txt', 'not a directory');
const aDir = join(work, 'a-dir');
mkdirSync(aDir);

const step = { type: 'ecs-step', name: 'surge', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] };
const config = (target: Record<string, unknown>) => file(`config-${Math.random().toString(36).slice(2)}.json`, { targets: [{ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 1, maxCapacity: 20, policies: [step], ...target }] });
const tracking = (targetPerUnit: number) => ({ type: 'target-tracking', name: 'tt', targetPerUnit });
const replayConfig = file('replay.json', { targets: [{ name: 'fleet', kind: 'local-fleet', minCapacity: 1, maxCapacity: 20, policies: [tracking(1000)] }] });

describe('every bad input gets a clear error, early, and every failure exits non-zero', () => {
  it.each([
    // Where the output goes is checked before the work.
    { name: 'backtest --out naming a file', args: ['backtest', trace, '--out', aFile, '--sweep'], code: 1, says: `CliInputError: --out ${aFile} is a file; give a directory to write the reports into` },
    { name: 'backtest --out under a file', args: ['backtest', trace, '--out', join(aFile, 'reports'), '--sweep'], code: 1, says: `CliInputError: --out ${join(aFile, 'reports')} cannot be written: it lies under a file` },
    { name: 'backtest --out in /proc', args: ['backtest', trace, '--out', '/proc/x', '--sweep'], code: 1, says: 'CliInputError: --out /proc/x cannot be written: files cannot be created there' },
    { name: 'forecast --out naming a directory', args: ['forecast', trace, '--out', aDir], code: 1, says: `CliInputError: --out ${aDir} is a directory; give a file name` },
    { name: 'forecast --out in a missing directory', args: ['forecast', trace, '--out', join(work, 'nowhere', 'f.csv')], code: 1, says: `the directory ${join(work, 'nowhere')} does not exist` },
    // A command that failed at its job exits non-zero.
    { name: 'load against a port where nothing listens', args: ['load', '--url', 'http://127.0.0.1:9', '--connections', '5', '--ramp', '0', '--duration', '2', '--rate', '0'], code: 1, says: 'CommandFailed: only 0 of 5 connections were open at the end' },
    { name: 'load --url notaurl', args: ['load', '--url', 'notaurl'], code: 1, says: 'CliInputError: --url "notaurl" is not a URL' },
    { name: 'load --url with another scheme', args: ['load', '--url', 'ftp://example.com'], code: 1, says: 'must be an http, https, ws or wss address' },
    // Configuration that validates but means nothing.
    { name: 'a target of kind lambda', args: ['validate', config({ kind: 'lambda' })], code: 1, says: 'targets[0].kind: unknown kind; expected one of ecs-service, ec2-asg, k8s-deployment, local-fleet (received: "lambda")' },
    { name: 'an ec2-step policy on an ECS service', args: ['validate', config({ policies: [{ ...step, type: 'ec2-step' }] })], code: 1, says: 'targets[0].policies[0].type: type ec2-step scales only ec2-asg or local-fleet targets, not ecs-service' },
    { name: 'targetPerUnit 1e-300', args: ['validate', config({ policies: [tracking(1e-300)] })], code: 1, says: 'targets[0].policies[0].targetPerUnit: must be from 0.01 to 10,000,000 per unit (received: 1e-300)' },
    { name: 'an alarm threshold of 1e308', args: ['validate', config({ policies: [{ ...step, alarm: { comparison: 'GreaterThanThreshold', threshold: 1e308 } }] })], code: 1, says: 'targets[0].policies[0].alarm.threshold: must be a finite number from -1e+12 to 1e+12' },
    { name: 'warmupSeconds 1e20', args: ['validate', config({ warmupSeconds: 1e20 })], code: 1, says: 'targets[0].warmupSeconds: must be a whole number of seconds from 0 to 86,400 (received: 100000000000000000000)' },
    {
      name: 'a type error and datapointsToAlarm > evaluationPeriods in one alarm, both reported',
      args: ['validate', config({ policies: [{ ...step, alarm: { comparison: 'GreaterThanThreshold', threshold: 'high', evaluationPeriods: 2, datapointsToAlarm: 3 } }] })],
      code: 1,
      says: 'Invalid controller configuration: 2 problem(s)',
    },
    // Misleading messages.
    { name: 'a bad observation, as input rather than configuration', args: ['decide', '-c', replayConfig, '-o', file('obs.json', { capacity: -1, metrics: { connections: 5 } })], code: 1, says: 'InvalidInputError: Invalid observation: 1 problem(s)' },
    { name: 'replay --days 0', args: ['replay', trace, '-c', replayConfig, '--days', '0'], code: 1, says: 'CliInputError: --days must be a number > 0 and <= 3,650, got "0"' },
    { name: 'replay --from-day past the end', args: ['replay', trace, '-c', replayConfig, '--from-day', '6'], code: 1, says: '--from-day 6 is at or past the end of the trace, which spans 5.00 days' },
    { name: "replay --initial above the target's maximum", args: ['replay', trace, '-c', replayConfig, '--initial', '1000'], code: 1, says: "CliInputError: --initial 1000 is outside target fleet's limits, 1 to 20 units" },
    { name: 'forecast --hours 100000', args: ['forecast', trace, '--hours', '100000'], code: 1, says: 'CliInputError: --hours must be a number >= 0.1 and <= 48, got "100000"' },
    { name: 'backtest --mean 1e300', args: ['backtest', trace, '--mean', '1e300'], code: 1, says: 'CliInputError: --mean must be a number >= 1 and <= 100,000,000, got "1e300"' },
    { name: 'backtest --utilization above 1', args: ['backtest', trace, '--utilization', '1.5'], code: 1, says: '--utilization must be a number >= 0.01 and <= 1, got "1.5"' },
    { name: 'backtest scoring a quarter hour, with a warning', args: ['backtest', trace, '--eval-from-days', '4.99', '--policy', 'hpa', '-q'], code: 0, says: 'warning: only 15 min are scored; a score over less than a day says little (lower --eval-from-days)' },
    { name: 'scaler --version', args: ['--version'], code: 0, says: '0.1.0' },
    { name: 'tune with an objective no setting meets', args: ['tune', trace, '--max-under', '0', '--max-actions', '1', '--validate-days', '1', '-q'], code: 1, says: 'CommandFailed: no setting met the objective on the tuning days; the closest is written above' },
    { name: 'tune --per-unit with --config, which sets its own', args: ['tune', trace, '-c', replayConfig, '--per-unit', '300'], code: 1, says: "option '--per-unit <connections>' cannot be used with option '-c, --config <file>'" },
    { name: 'tune --target without --config', args: ['tune', trace, '-t', 'fleet'], code: 1, says: 'CliInputError: --target names a target of --config; pass the configuration too' },
    { name: 'tune a target with no predictive policy', args: ['tune', trace, '-c', replayConfig, '-q'], code: 1, says: 'InvalidInputError: target fleet has no predictive policy; tuning sets its headroom and scale-in, so it needs one' },
    { name: 'tune holding out more days than the trace has', args: ['tune', trace, '--validate-days', '4'], code: 1, says: 'InvalidInputError: tuning needs at least 2 days before the 4 held-out day(s); the trace spans 5.00 days' },
    { name: 'backtest --target without --config', args: ['backtest', trace, '-t', 'fleet'], code: 1, says: 'CliInputError: --target names a target of --config; pass the configuration too' },
    { name: 'backtest --config that is neither', args: ['backtest', trace, '-c', file('neither.json', { objective: {} })], code: 1, says: 'is neither a controller configuration (with "targets") nor a policy block (with "policies")' },
    { name: 'backtest --config with an unknown target', args: ['backtest', trace, '-c', replayConfig, '-t', 'nope'], code: 1, says: 'CliInputError: unknown target "nope"; the configuration has: fleet' },
    // Local mode's own inputs, refused before any node starts.
    { name: 'local --port 99999', args: ['local', '--port', '99999'], code: 1, says: 'CliInputError: --port must be a whole number >= 0 and <= 65,535, got "99999"' },
    { name: 'local --from before the trace', args: ['local', '--port', '0', '--from', '1999-01-01T00:00:00Z'], code: 1, says: 'InvalidInputError: the trace has fewer than 2 samples between 1999-01-01T00:00:00.000Z and 2.5 h later (it runs from 2015-02-26T21:42:53.000Z to 2015-04-23T02:47:53.000Z): choose --from inside it' },
    { name: 'local --config with --per-node, which the target sets', args: ['local', '--port', '0', '-c', replayConfig, '--per-node', '50'], code: 1, says: "option '--per-node <n>' cannot be used with option '-c, --config <file>'" },
    { name: 'local --config with an unknown target', args: ['local', '--port', '0', '-c', replayConfig, '-t', 'nope'], code: 1, says: 'CliInputError: unknown target "nope"; the configuration has: fleet' },
    { name: 'local --target without --config', args: ['local', '--port', '0', '-t', 'fleet'], code: 1, says: 'CliInputError: --target names a target of --config; pass the configuration too' },
    { name: 'local --config with a target on CPU', args: ['local', '--port', '0', '-c', config({ policies: [{ type: 'target-tracking', name: 'cpu', metric: 'cpu', targetPerUnit: 50 }] })], code: 1, says: 'InvalidInputError: Cannot run target chat locally: policy cpu tracks "cpu", but local mode only knows "connections"' },
    { name: 'local --config with an invalid configuration', args: ['local', '--port', '0', '-c', config({ minCapacity: 30 })], code: 1, says: 'minCapacity (30) must not exceed maxCapacity (20)' },
    { name: 'local --kind lambda', args: ['local', '--port', '0', '--kind', 'lambda'], code: 1, says: 'CliInputError: --kind must be ecs or ec2, got "lambda"' },
  ])('$name', ({ args, code, says }) => {
    const run = scaler(args);
    expect(run.out).toContain(says);
    expect(run.code).toBe(code);
    // A refusal is one line, never a stack trace.
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('backtests a policy block as ours, as deployed, and writes its CSV', () => {
    const block = file('block.json', { policies: [tracking(700)] });
    const out = join(work, 'block-report');
    const run = scaler(['backtest', trace, '-c', block, '--policy', 'ours', '--eval-from-days', '1', '--out', out, '-q']);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`ours is target tuned of ${block} (1-100000 units)`);
    expect(run.out).toMatch(/\nours\s+\d/);
    expect(existsSync(join(out, 'ours.csv'))).toBe(true);
  });

  it('says in one line that the dashboard port is taken, and starts nothing', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    try {
      const port = (taken.address() as AddressInfo).port;
      const run = await scalerAsync(['local', '--port', String(port)]);
      expect(run.out).toContain(`InvalidInputError: the dashboard cannot listen on 127.0.0.1:${port} (in use): choose another port with --port`);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  });

  it('prints no warning from the AWS SDK on a command that calls AWS: one line says what failed', () => {
    // An endpoint where nothing listens: the client is made and called, as against CloudWatch.
    const aws = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' };
    const run = scaler(['history', '--chat', 'x', '--days', '1', '-q'], { ...aws, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['CommandFailed: CloudWatch GetMetricData failed: Error: connect ECONNREFUSED 127.0.0.1:9']);
  });

  it('checks --out before a sweep starts: the refusal takes no longer than starting the CLI', () => {
    const run = scaler(['backtest', trace, '--out', aFile, '--sweep']);
    expect(run.code).toBe(1);
    expect(run.out).not.toContain('τU');
  });
});

describe('timestamps as real exports write them', () => {
  it.each([
    { form: 'naive, read as UTC', stamp: (t: number) => new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ') },
    { form: 'ISO 8601 with Z', stamp: (t: number) => new Date(t * 1000).toISOString() },
    { form: 'ISO 8601 with an offset', stamp: (t: number) => new Date((t + 5 * 3600) * 1000).toISOString().replace('.000Z', '+05:00') },
    { form: 'epoch seconds', stamp: (t: number) => String(t) },
    { form: 'epoch milliseconds', stamp: (t: number) => String(t * 1000) },
  ])('reads a 5-day trace with $form timestamps as 5 days from 1 May 2024', ({ stamp }) => {
    const run = scaler(['backtest', file(`stamps-${stamp(0).length}-${Math.random()}.csv`, fiveDays(stamp)), '--policy', 'hpa', '-q']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('1,441 samples every 5 min, 5.00 days from 2024-05-01 00:00 to 2024-05-06 00:00 UTC');
  });
});

describe('progress', () => {
  it('prints a line every few seconds when stderr is piped, and nothing with --quiet', () => {
    const piped = scaler(['backtest', trace, '--sweep'], { SCALER_PROGRESS_SECONDS: '0.2' });
    expect(piped.code).toBe(0);
    const lines = piped.stderr.split('\n').filter((l) => /^backtest \d+%/.test(l));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.some((l) => l.includes('sweep:'))).toBe(true);
    const quiet = scaler(['backtest', trace, '--sweep', '--quiet'], { SCALER_PROGRESS_SECONDS: '0.2' });
    expect(quiet.stderr).toBe('');
  });
});

