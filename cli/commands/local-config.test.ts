import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../io';

const bin = resolve(projectRoot, 'bin/scaler.js');

/** A user's target: its own names, limits, per-node figures and objective, far larger than one machine runs. */
const userConfig = {
  targets: [
    {
      name: 'their-chat',
      kind: 'ecs-service',
      resource: { cluster: 'prod', service: 'chat' },
      minCapacity: 2,
      maxCapacity: 50,
      warmupSeconds: 60,
      objective: { maxUnderProvisionedPercent: 1 },
      policies: [
        { type: 'predictive', name: 'ahead', connectionsPerUnit: 500, startupSeconds: 60 },
        { type: 'target-tracking', name: 'steady', targetPerUnit: 500, scaleIn: { stabilizationSeconds: 120 } },
      ],
    },
  ],
};

function scaler(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: projectRoot, timeout: 900_000 }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

describe('scaler local --config', () => {
  it("runs the user's own target on the local fleet: its policies, limits, warm-up and daily re-tuning", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'scaler-local-config-')), 'theirs.json');
    writeFileSync(file, JSON.stringify(userConfig));
    const run = await scaler(['local', '--config', file, '--exit', '--port', '0', '--max', '6', '--peak', '300', '--hours', '1', '--messages', '5']);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    // 500 a node on 6 local nodes, 80% full at the peak of 300 clients: each counts for 8 connections.
    expect(run.stdout).toContain(`target their-chat of ${file} on the local fleet: 2-6 nodes (its maximum is 50; --max 6 here); 500 connections a node, start-up 60 s, each client counts as 8 connections; re-tuned daily to under-provisioned at most 1% of the time`);
    // The re-tuning ran on the trace's days before the window, as the deployed daily run would have.
    expect(run.stdout).toMatch(/re-tuning their-chat: tuning chosen.*: headroom -?[\d.]+, scale-in threshold \d+%, scale-in window \d+ s, hold \d+ s; on the held-out day τU [\d.]+%/);
    // Its own policies decide: each change names the policy that made it.
    const changes = run.stdout.split('\n').filter((l) => / \d+ -> \d+ /.test(l));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((l) => / (ahead|steady): /.test(l))).toBe(true);
    for (const l of changes) {
      const [, to] = / \d+ -> (\d+) /.exec(l)!;
      expect(Number(to)).toBeGreaterThanOrEqual(2);
      expect(Number(to)).toBeLessThanOrEqual(6);
    }
    expect(run.stdout).toMatch(/done: \d+ decisions \(\d+ changes\), up to \d ready nodes; \d+ clients at the peak, \d+ moved by drains, 0 refused, 0 cut by the balancer/);
  }, 900_000);
});
