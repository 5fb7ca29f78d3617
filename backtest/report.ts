import { checkDominance } from './dominance';
import type { PolicyResult } from './run';
import type { StepRows } from './step-rows';

export interface ReportMeta {
  readonly trace: string;
  /** Connections one unit serves: turns demand into units on the charts. */
  readonly perUnit: number;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface FrontierPoint {
  readonly policy: string;
  readonly headroom: number;
  readonly unitHours: number;
  readonly costRatio: number | undefined;
  readonly underTimeShare: number;
}

/** One row per step: time (epoch seconds), demand (connections; empty inside a gap), desired, running and ready (units). */
export function rowsToCsv(rows: StepRows): string {
  const lines = ['time,demand,desired,running,ready'];
  for (const r of rows) lines.push(`${r.time},${Number.isNaN(r.demand) ? '' : round(r.demand, 3)},${r.desired},${r.running},${r.ready}`);
  return `${lines.join('\n')}\n`;
}

export function summaryJson(results: readonly PolicyResult[], meta: ReportMeta): string {
  return `${JSON.stringify(
    {
      trace: meta.trace,
      options: meta.options,
      policies: Object.fromEntries(results.map((r) => [r.policy, { ...r.metrics, costRatio: r.costRatio ?? null }])),
      dominance: checkDominance(results),
    },
    null,
    2,
  )}\n`;
}

export const HEADERS = ['policy', 'τU %', 'θU %', 'τO %', 'θO %', 'unit-hours', 'vs oracle', 'unserved conn-min', 'actions/day'];

export function metricRows(results: readonly PolicyResult[]): string[][] {
  return results.map(({ policy, metrics: m, costRatio }) => [
    policy,
    m.underTimeShare.toFixed(2),
    m.underAccuracy.toFixed(2),
    m.overTimeShare.toFixed(1),
    m.overAccuracy.toFixed(1),
    m.unitHours.toFixed(0),
    costRatio === undefined ? '-' : `${costRatio.toFixed(3)}x`,
    m.unservedConnectionMinutes.toExponential(2),
    m.actionsPerDay.toFixed(1),
  ]);
}

/** The metrics as an aligned text table. */
export function formatTable(results: readonly PolicyResult[]): string {
  const rows = [HEADERS, ...metricRows(results)];
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
