import { closeSync, openSync, writeSync } from 'node:fs';
import { checkDominance } from './dominance';
import type { PolicyResult } from './run';
import type { StepRows } from '../sim';
import { curveChecks } from './curves';
import type { FrontierPoint } from './sweep';
import type { Yardstick } from './yardstick';

export interface ReportMeta {
  readonly trace: string;
  /** Connections one unit serves: turns demand into units on the charts. */
  readonly perUnit: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** One row per step: time (epoch seconds), demand (connections; empty inside a gap), desired, running and ready (units). */
export function rowsToCsv(rows: StepRows): string {
  return [...csvChunks(rows)].join('');
}

/** rowsToCsv written to `path` a chunk at a time, so a year of 1-minute rows never sits in memory as one string. */
export function writeRowsCsv(path: string, rows: StepRows): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of csvChunks(rows)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

const CHUNK_ROWS = 10_000;

function* csvChunks(rows: StepRows): Generator<string> {
  yield 'time,demand,desired,running,ready\n';
  const { time, demand, desired, running, ready } = { time: rows.column('time'), demand: rows.column('demand'), desired: rows.column('desired'), running: rows.column('running'), ready: rows.column('ready') };
  for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
    let chunk = '';
    for (let i = from; i < Math.min(rows.length, from + CHUNK_ROWS); i++) {
      chunk += `${time[i]},${Number.isNaN(demand[i]!) ? '' : round(demand[i]!, 3)},${desired[i]},${running[i]},${ready[i]}\n`;
    }
    yield chunk;
  }
}

export function summaryJson(results: readonly PolicyResult[], meta: ReportMeta, frontier: readonly FrontierPoint[] = [], yardstick?: Yardstick): string {
  return `${JSON.stringify(
    {
      trace: meta.trace,
      options: meta.options,
      policies: Object.fromEntries(results.map((r) => [r.policy, { ...r.metrics, costRatio: r.costRatio ?? null }])),
      yardstick: yardstick === undefined ? null : { deviations: yardstick.deviations, ...yardstick.metrics, costRatio: yardstick.costRatio, oursExcessShare: yardstick.oursExcessShare },
      dominance: checkDominance(results),
      curves: curveChecks(results, frontier),
    },
    null,
    2,
  )}\n`;
}

export const HEADERS = ['policy', 'τU %', 'θU %', 'τO %', 'θO %', 'unit-hours', 'vs oracle', 'unserved conn-min', 'actions/day'];

/** A table row: a policy's result, or the yardstick's (see tableRows). */
type Row = Pick<PolicyResult, 'metrics' | 'costRatio'> & { readonly policy: string };

/** The policies' rows, then the yardstick's, named with its setting. */
export function tableRows(results: readonly PolicyResult[], yardstick?: Yardstick): Row[] {
  return yardstick === undefined ? [...results] : [...results, { policy: yardstickName(yardstick), metrics: yardstick.metrics, costRatio: yardstick.costRatio }];
}

export const yardstickName = (y: Yardstick) => `yardstick (mean+${y.deviations}sd)`;

export function metricRows(results: readonly Row[]): string[][] {
  return results.map(({ policy, metrics: m, costRatio }) => [
    policy,
    m.underTimeShare.toFixed(2),
    m.underAccuracy.toFixed(2),
    m.overTimeShare.toFixed(1),
    m.overAccuracy.toFixed(1),
    m.unitHours.toFixed(0),
    costRatio === undefined ? '-' : `${costRatio.toFixed(3)}x`,
    // Whole connection-minutes: what floating-point sums leave below one (3.64e-12) means none.
    Math.round(m.unservedConnectionMinutes).toString(),
    m.actionsPerDay.toFixed(1),
  ]);
}

/** The metrics as an aligned text table. */
export function formatTable(results: readonly PolicyResult[], yardstick?: Yardstick): string {
  const rows = [HEADERS, ...metricRows(tableRows(results, yardstick))];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
