import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './io';

const bin = resolve(projectRoot, 'bin/scaler.js');
const work = mkdtempSync(join(tmpdir(), 'scaler-cli-'));

function scaler(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: projectRoot, env: { ...process.env, ...env } });
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
  it.each([[[]], [['validate']], [['decide']], [['replay']], [['forecast']]])('has --help for %j', (command) => {
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

  it('validate refuses what the deployed controller could not run: a kind without an adapter, a resource its adapter cannot find', () => {
    const undeployable = {
      targets: [
        { ...config.targets[0], name: 'local' },
        { ...config.targets[0], name: 'fargate', kind: 'ecs-service', resource: { cluster: 'chat' } },
      ],
    };
    const { code, stderr } = scaler(['validate', file('undeployable.json', undeployable)]);
    expect(code).toBe(1);
    expect(stderr).toContain('targets[0].kind: no scaling target adapter for kind "local-fleet" here; known kinds: ecs-service, ec2-asg');
    expect(stderr).toContain('targets[1].resource.service: Invalid input');
  });

  it('validate reads the file SCALER_CONFIG names when no path is given, as the stack and the Lambdas do', () => {
    const named = file('named.json', { targets: [{ ...config.targets[0], kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, name: 'from-env' }] });
    const { code, stdout } = scaler(['validate'], undefined, { SCALER_CONFIG: named });
    expect(code).toBe(0);
    expect(stdout).toContain(`${named} is valid: 1 target(s)`);
    expect(stdout).toContain('from-env: ecs-service');
  });

  it('validate accepts the shipped example configuration', () => {
    const { code, stdout } = scaler(['validate']);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: 2 target(s)');
  });

  it('validate --keda checks a configuration as scaler keda runs it, which the Lambda controller refuses', () => {
    const keda = scaler(['validate', '--keda', resolve(projectRoot, 'examples/kubernetes.json')]);
    expect(keda.code).toBe(0);
    expect(keda.stdout).toContain('chat-k8s: k8s-deployment, 1..10 units');
    const lambda = scaler(['validate', resolve(projectRoot, 'examples/kubernetes.json')]);
    expect(lambda.code).toBe(1);
    expect(lambda.stderr).toContain('metricSource.type: this deployment reads only cloudwatch (received: "redis-heartbeat")');
  });

  it('keda refuses a configuration it cannot run, in one line a problem, and serves nothing', () => {
    const bad = file('keda-bad.json', { metricSource: { type: 'redis-heartbeat', host: 'r' }, targets: [{ ...config.targets[0], kind: 'k8s-deployment', resource: { namespace: 'Chat' } }] });
    const { code, stderr } = scaler(['keda', '--config', bad, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('metricSource.host: unknown key (received: "r")');
    expect(stderr).toContain('targets[0].resource.namespace: must be a Kubernetes name');
    expect(stderr).toContain('targets[0].resource.deployment: Invalid input');
    expect(stderr).not.toContain('KEDA external scaler on port');
  });

  it('keda refuses at start a Kubernetes target it cannot reach: no cluster, no KUBECONFIG, no heartbeats to count', () => {
    const k8s = JSON.parse(readFileSync(resolve(projectRoot, 'examples/kubernetes.json'), 'utf8')) as { metricSource?: unknown };
    delete k8s.metricSource;
    const home = mkdtempSync(join(tmpdir(), 'no-kube-'));
    const { code, stderr } = scaler(['keda', '--config', file('keda-cloudwatch.json', k8s), '--port', '0'], undefined, { HOME: home, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('AdapterError: a k8s-deployment target needs the Kubernetes API: run scaler keda in the cluster or with KUBECONFIG, or read the redis-heartbeat metric source');
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
    // The first datapoint is published a step late, so 120 decisions in two hours; max capacity is 20.
    expect(stdout).toMatch(/120 decisions, \d+ changes of capacity \([\d.]+\/day\); peak 20 units; [\d.]+ unit-hours/);
  });

  it('replay waits out the start-up it is given, and writes a row a step and every change with its reason', () => {
    const trace = file('ramp.csv', 'timestamp,value\n2024-01-01 00:00:00,100\n2024-01-01 01:00:00,1900\n2024-01-01 02:00:00,100\n');
    const underShare = (stdout: string) => Number(/under-provisioned ([\d.]+)% of the time/.exec(stdout)![1]);
    const atOnce = scaler(['replay', trace, '-c', file('ok5.json', config), '--from-day', '0', '--mean', '1000', '--per-unit', '100', '--startup', '0', '-q']);
    const out = join(work, 'replay-out');
    const slow = scaler(['replay', trace, '-c', file('ok5.json', config), '--from-day', '0', '--mean', '1000', '--per-unit', '100', '--startup', '600', '-q', '--out', out]);
    expect([atOnce.code, slow.code]).toEqual([0, 0]);
    expect(atOnce.stdout).toContain('a new unit serves at once');
    expect(slow.stdout).toContain('a new unit serves 600s after launch');
    expect(underShare(slow.stdout)).toBeGreaterThan(underShare(atOnce.stdout));

    const rows = readFileSync(join(out, 'replay.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,demand,desired,running,ready');
    // A launch shows as running at once and ready ten minutes later.
    const launched = rows.slice(1).map((r) => r.split(',').map(Number)).find(([, , desired, running, ready]) => running! > ready! && desired === running);
    expect(launched).toBeDefined();
    const decisions = readFileSync(join(out, 'decisions.csv'), 'utf8').trim().split('\n');
    expect(decisions[0]).toBe('time,connections,from,to,reason,message');
    const changes = Number(/(\d+) changes of capacity/.exec(slow.stdout)![1]);
    expect(decisions).toHaveLength(changes + 1);
    expect(decisions[1]).toMatch(/^\d+,\d+,\d+,\d+,TargetTrackingScaleOut,"?connections: /);
  });

  it('replays the recommended configuration with its forecast, fitted on the trace before the window', () => {
    const lines = ['timestamp,value'];
    for (let t = 0; t <= 4 * 86_400; t += 300) lines.push(`${t},${Math.round(1000 + 600 * Math.sin((2 * Math.PI * t) / 86_400))}`);
    const trace = file('daily.csv', lines.join('\n'));
    const { code, stdout } = scaler(['replay', trace, '-c', resolve(projectRoot, 'examples/recommended.json'), '--days', '0.5']);
    expect(code).toBe(0);
    expect(stdout).toContain('forecast: the forecast is refitted hourly on up to 14 days of the trace before each decision (3.0 days precede the window)');
    // The reactive floor never scales in: only the forecast can bring capacity down after the daily peak.
    const moves = [...stdout.matchAll(/ (\d+) -> (\d+) /g)].map((m) => Number(m[2]) - Number(m[1]));
    expect(moves.some((move) => move < 0)).toBe(true);
  });

  it('replay says how to fix a missing trace', () => {
    const { code, stderr } = scaler(['replay', join(work, 'missing.csv')]);
    expect(code).toBe(1);
    expect(stderr).toContain('missing.csv does not exist; pass a trace CSV (timestamp,value) as the first argument');
  });

  it('rejects a malformed option value', () => {
    const { code, stderr } = scaler(['replay', '--step', 'soon']);
    expect(code).toBe(1);
    expect(stderr).toContain('--step must be a whole number >= 1 and <= 3,600, got "soon"');
  });
});

describe('scaler forecast', () => {
  const DAY = 86_400;
  const lines = ['timestamp,value'];
  for (let t = 0; t < 3 * DAY; t += 300) lines.push(`${t},${Math.round(10_000 + 5000 * Math.sin((2 * Math.PI * t) / DAY))}`);

  it('fits the recommended forecast, prints it by hour and checks it against what followed', () => {
    const out = join(work, 'forecast.csv');
    const { code, stdout } = scaler(['forecast', file('forecast-trace.csv', lines.join('\n')), '--at', String(2 * DAY), '--hours', '6', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain('forecast-trace.csv: fitted at 300s steps on 577 points (2.0 days');
    expect(stdout).toMatch(/model: (daily|none)/);
    expect(stdout).toMatch(/^1970-01-03 00:05 +[\d,]+ +[\d,]+ +\d+ +[\d,]+$/m);
    expect(stdout).toMatch(/against what followed \(72 steps\): mean absolute error [\d.]+% of the mean;/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time,point,upper,units,actual');
    expect(csv).toHaveLength(73);
    expect(stdout).not.toContain('the metric updates every');
  });

  it('says when the metric updates less often than the trace is read, and forecasts from its latest update', () => {
    const held = ['timestamp,value'];
    for (let t = 0; t < 2 * DAY; t += 60) held.push(`${t},${10_000 + 50 * Math.floor(t / 300)}`);
    const { code, stdout } = scaler(['forecast', file('held-trace.csv', held.join('\n')), '--hours', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain('fitted at 60s steps');
    expect(stdout).toContain('the metric updates every 5 min and repeats or misses its value between');
    // The last update (38,750) came 4 minutes before the end, 50 above the one before: the forecast goes
    // on rising 10 a minute, damped, from there, where the last four repeats alone would show no trend.
    expect(stdout).toMatch(/^1970-01-03 00:00 +38,790 /m);
  });

  it('names the tracking weights it picked for a noisy metric, beside the scores of the others', () => {
    let x = 7;
    const jitter = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2000;
    const noisy = ['timestamp,value', ...Array.from({ length: 2 * 1440 }, (_, i) => `${i * 60},${Math.round(10_000 + jitter())}`)];
    const { code, stdout } = scaler(['forecast', file('noisy-trace.csv', noisy.join('\n')), '--hours', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^model: .*, level weight 0\.[235], trend weight [\d.]+, picked by error on the held-out last day:$/m);
    expect(stdout).toMatch(/^ {2}none {46} +[\d.]+% of the mean$/m);
  });

  it('says which targets have a predictive policy when the chosen one has none', () => {
    const { code, stderr } = scaler(['forecast', file('forecast-trace2.csv', lines.join('\n')), '-c', file('no-forecast.json', config)]);
    expect(code).toBe(1);
    expect(stderr).toContain('no target in the configuration has a predictive policy; none has one (examples/recommended.json does)');
  });

  it('refuses a forecast with less than a day of history', () => {
    const { code, stderr } = scaler(['forecast', file('forecast-trace3.csv', lines.join('\n')), '--at', String(DAY / 2)]);
    expect(code).toBe(1);
    expect(stderr).toContain('forecasting needs at least 24 hours of history');
  });
});

describe('scaler backtest', () => {
  const DAY = 86_400;
  const lines = ['timestamp,value'];
  for (let t = 0; t <= 4 * DAY; t += 1800) lines.push(`${t},${Math.round(1000 + 600 * Math.sin((2 * Math.PI * t) / DAY))}`);
  const trace = file('backtest.csv', `${lines.join('\n')}\n`);

  it('prints the metrics of every policy and writes the CSVs, summary.json and report.html', () => {
    const out = join(work, 'report');
    const { code, stdout } = scaler(['backtest', trace, '--out', out, '--mean', '5000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^oracle +0\.00 /m);
    expect(stdout).toMatch(/ours (dominates|does not dominate|costs less than|is under-provisioned less than) hpa(?: at the same (?:τU|cost))?: τU/);
    const csv = readFileSync(join(out, 'ours.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('time,demand,desired,running,ready');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).policies.oracle.underTimeShare).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<div id="capacity-chart">');
    // The clairvoyant yardstick beside the oracle, at ours' τU, with how ours' excess compares with it.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.yardstick.underTimeShare).toBeLessThanOrEqual(summary.policies.ours.underTimeShare);
    expect(summary.yardstick.oursExcessShare).toBeCloseTo((summary.policies.ours.costRatio - 1) / (summary.yardstick.costRatio - 1), 6);
    expect(stdout).toMatch(/^yardstick \(mean\+[\d.]+sd\) +[\d.]+ /m);
    expect(stdout).toMatch(/ours' excess over the oracle is [\d.]+x the yardstick's/);
    expect(readFileSync(join(out, 'yardstick.csv'), 'utf8').split('\n')[0]).toBe('time,demand,desired,running,ready');
  });

  it('tune prints the frontier, the choice on the tuning and the held-out days, and writes the policy block', () => {
    const out = join(work, 'tuned.json');
    const { code, stdout } = scaler(['tune', trace, '--validate-days', '1', '--max-under', '1', '--out', out, '-q']);
    expect(code).toBe(0);
    expect(stdout).toContain('frontier on the tuning days (cheapest first; * meets the objective):');
    // The recommended policies provision to predicted spreads: the search varies how many.
    expect(stdout).toContain('   spreads  scale-in at  window    hold');
    expect(stdout).toMatch(/tuning days +[-\d.]+ +\d+% +\d+ s +\d+ s /);
    expect(stdout).toMatch(/held-out days .* (holds on data it was not tuned on|does NOT hold on the held-out days)/);
    const block = JSON.parse(readFileSync(out, 'utf8'));
    expect(block.objective).toEqual({ maxUnderProvisionedPercent: 1 });
    expect(block.policies.map((p: { type: string }) => p.type)).toEqual(['predictive', 'target-tracking']);

    // The documented check of a tuning: the block replayed as deployed, re-tuned daily to its objective.
    const report = join(work, 'tuned-report');
    const checked = scaler(['backtest', trace, '--config', out, '--policy', 'ours', '--out', report, '-q']);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(`ours is target tuned of ${out} (1-100000 units), re-tuned daily to under-provisioned at most 1% of the time`);
    expect(readFileSync(join(report, 'ours.csv'), 'utf8').split('\n')[0]).toBe('time,demand,desired,running,ready');
  });

  it("tune -c -t tunes a configured target's own policies, limits and objective", () => {
    const predictive = { type: 'predictive', name: 'forecast', connectionsPerUnit: 800, startupSeconds: 120, scaleInThresholdPercent: 20 };
    const reactive = { type: 'target-tracking', name: 'reactive', targetPerUnit: 700 };
    const own = file('tune-config.json', {
      targets: [
        { name: 'other', kind: 'local-fleet', minCapacity: 1, maxCapacity: 5, policies: [reactive] },
        { name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 2, maxCapacity: 60, objective: { maxUnderProvisionedPercent: 2, maxActionsPerDay: 300 }, policies: [predictive, reactive] },
      ],
    });
    const out = join(work, 'tuned-own.json');
    const { code, stdout } = scaler(['tune', trace, '-c', own, '-t', 'chat', '--validate-days', '1', '--out', out, '-q']);
    expect(code).toBe(0);
    expect(stdout).toContain("tuning target chat's own policies (forecast, reactive): 800 connections a unit, 120 s start-up, 2 to 60 units");
    expect(stdout).toContain('objective: under-provisioned at most 2% of the time, at most 300 changes a day');
    const block = JSON.parse(readFileSync(out, 'utf8'));
    expect(block.objective).toEqual({ maxUnderProvisionedPercent: 2, maxActionsPerDay: 300 });
    expect(block.policies.map((p: { name: string }) => p.name)).toEqual(['forecast', 'reactive']);
    expect(block.policies[0].startupSeconds).toBe(120);
    // The block is the target's own, tuned: it validates in place of the target's policies.
    const replaced = scaler(['validate', file('tuned-config.json', { targets: [{ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 2, maxCapacity: 60, ...block }] })]);
    expect(replaced.code).toBe(0);
    // An objective on the command line stands in for the target's own.
    const tighter = scaler(['tune', trace, '-c', own, '-t', 'chat', '--validate-days', '1', '--max-under', '1', '-q']);
    expect(tighter.stdout).toContain('objective: under-provisioned at most 1% of the time\n');
  });

  it('runs a single policy', () => {
    const { code, stdout } = scaler(['backtest', trace, '--policy', 'hpa']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hpa /m);
    expect(stdout).not.toMatch(/^oracle /m);
    expect(stdout).toMatch(/^hpa .* \d+\.\d{3}x /m);
  });

  it('can show the policies a metric held at the trace\'s own resolution, and names the choices when given another', () => {
    const held = scaler(['backtest', trace, '--metric', 'held', '--policy', 'aws-target-tracking']);
    expect(held.code).toBe(0);
    expect(held.stdout).toContain('scored from day 3, metric held between samples');
    const interpolated = scaler(['backtest', trace, '--policy', 'aws-target-tracking']);
    expect(interpolated.stdout).not.toContain('metric held');
    expect(held.stdout.match(/^aws-target-tracking .*$/m)![0]).not.toBe(interpolated.stdout.match(/^aws-target-tracking .*$/m)![0]);
    const { code, stderr } = scaler(['backtest', trace, '--metric', 'smooth']);
    expect(code).toBe(1);
    expect(stderr).toContain("argument 'smooth' is invalid. Allowed choices are interpolated, held.");
  });

  it('names the valid policies when given an unknown one', () => {
    const { code, stderr } = scaler(['backtest', trace, '--policy', 'magic']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown policy "magic"; expected one of ours, aws-target-tracking, aws-step, aws-predictive, hpa, oracle, or all');
  });
});
