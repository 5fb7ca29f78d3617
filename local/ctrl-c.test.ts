import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive } from '../test-support/processes';

const SCALER_BIN = fileURLToPath(new URL('../bin/scaler.js', import.meta.url));

/** The chat nodes among the processes whose parent is `pid`, as the kernel lists them. */
function chatNodesOf(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return children.filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').includes('chat');
    } catch {
      return false;
    }
  });
}


describe('scaler local, stopped with Ctrl-C', () => {
  it('drains and stops every chat process it started, and exits', async () => {
    const child = spawn(process.execPath, [SCALER_BIN, 'local', '--port', '0', '--speed', '60', '--from', '2015-03-31T02:55:00Z', '--hours', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Generous bounds: on a busy machine the fleet's processes take a while to start.
    const deadline = Date.now() + 300_000;
    while (!/ScaleOut /.test(output) || chatNodesOf(child.pid!).length < 2) {
      if (Date.now() > deadline) throw new Error(`no scale-out with several nodes within 300 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const nodes = chatNodesOf(child.pid!);
    expect(output).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+/);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping: draining the nodes');
    expect(nodes.filter(alive)).toEqual([]);
  });
});
