import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { yearOfMinutes } from './patterns';

const root = resolve(import.meta.dirname, '..');

export interface ScaleResult {
  readonly rows: number;
  readonly megabytes: number;
  readonly seconds: number;
  readonly peakMiB: number;
  readonly output: string;
}

/**
 * `scaler backtest` on a year of 1-minute data with every policy, as a user runs it (a fresh process,
 * reading the CSV, writing the reports), timed from outside, with its peak memory from the process itself.
 */
export function benchYearBacktest(): ScaleResult {
  const dir = mkdtempSync(join(tmpdir(), 'scaler-year-'));
  try {
    const trace = yearOfMinutes();
    const csv = join(dir, 'year.csv');
    writeFileSync(csv, ['timestamp,value', ...trace.times.map((t, i) => `${new Date(t * 1000).toISOString().replace('.000Z', 'Z')},${trace.values[i]!.toFixed(1)}`)].join('\n'));
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', resolve(import.meta.dirname, 'peak-memory.mjs'), resolve(root, 'bin/scaler.js'), 'backtest', csv, '--quiet', '--out', join(dir, 'reports')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`scaler backtest failed (${run.status}): ${run.stderr}`);
    const peak = Number(/peak-rss-kib (\d+)/.exec(run.stderr)?.[1]);
    return { rows: trace.times.length, megabytes: statSync(csv).size / 1e6, seconds, peakMiB: peak / 1024, output: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
