import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCluster } from '../../test-support/chat-cluster';
import type { ChatNodeProcess } from '../../test-support/chat-node-process';
import type { LoadReport } from './load-generator';

const SCALER = fileURLToPath(new URL('../../bin/scaler.js', import.meta.url));
const run = promisify(execFile);

describe('scaler load against two real nodes', () => {
  let cluster: ChatCluster;
  let nodes: ChatNodeProcess[];

  beforeAll(async () => {
    cluster = await ChatCluster.start(2, ['--rate-limit-events', '1000', '--rate-limit-seconds', '1']);
    nodes = cluster.nodes;
  });

  afterAll(() => cluster.dispose());

  const load = async (...args: string[]): Promise<LoadReport> => {
    const { stdout } = await run(process.execPath, [SCALER, 'load', ...nodes.flatMap((n) => ['--url', n.url]), '--json', ...args]);
    return JSON.parse(stdout) as LoadReport;
  };

  it('holds the connections it was asked for, and every accepted message reaches its whole room', async () => {
    const report = await load('--connections', '60', '--ramp', '0', '--duration', '4', '--rate', '20', '--rooms', '3');

    expect(report.connections).toMatchObject({ target: 60, open: 60, peak: 60 });
    expect(report.errors).toEqual({ connect: 0, send: 0, disconnects: 0, byCode: {} });
    expect(report.messages.accepted).toBe(report.messages.sent);
    expect(report.messages.sent).toBeGreaterThanOrEqual(60);
    // Rooms of 20; messages sent before the last joins reach fewer, none reach more.
    expect(report.messages.deliveries).toBeLessThanOrEqual(report.messages.sent * 20);
    expect(report.messages.deliveries).toBeGreaterThan(report.messages.sent * 15);
    expect(report.latencyMs.all.samples).toBe(report.messages.deliveries);
    expect(report.latencyMs.crossNode.samples).toBeGreaterThan(0);
    expect(report.latencyMs.all.p99).toBeGreaterThan(0);
  });

  it('follows a trace played fast, opening and closing connections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    const csv = join(dir, 'trace.csv');
    // Two hours at 5-minute steps: low, a spike, low again; its mean is scaled to 40.
    const values = [10, 10, 10, 10, 90, 90, 90, 90, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
    writeFileSync(csv, ['timestamp,value', ...values.map((v, i) => `${new Date(Date.UTC(2026, 0, 1, 0, 5 * i)).toISOString().replace('T', ' ').slice(0, 19)},${v}`)].join('\n'));
    // 300x: the spike's 20 minutes last 4 s, long enough to open its connections on a busy machine.
    const report = await load('--trace', csv, '--connections', '40', '--compress', '300', '--duration', '24', '--rate', '5');

    // Mean 40 means the spike is 40 * 90 / 26.67 = 135 connections, and the trace ends at 15.
    expect(report.connections.peak).toBeGreaterThanOrEqual(120);
    expect(report.connections.open).toBeLessThanOrEqual(20);
    expect(report.errors.connect).toBe(0);
  });
});
