import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { curveChecks } from './curves';
import { checkDominance, verdictSentence } from './dominance';
import { escapeHtml, HEADERS, metricRows, tableRows, yardstickName, type ReportMeta } from './report';
import { describeYardstick, type Yardstick } from './yardstick';
import type { FrontierPoint } from './sweep';
import type { PolicyResult } from './run';
import type { StepRows } from '../sim';

const require = createRequire(import.meta.url);
const asset = (path: string | URL) => readFileSync(path, 'utf8');
/** uPlot and the page's own script, inlined: the report is one file that can be mailed or attached. */
const inlined = () => ({
  uplotJs: asset(require.resolve('uplot/dist/uPlot.iife.min.js')),
  uplotCss: asset(require.resolve('uplot/dist/uPlot.min.css')),
  charts: asset(new URL('./report-page/charts.js', import.meta.url)),
});

/** What the page's charts draw: one time axis for every policy, and the sweep's points. */
export interface ReportData {
  readonly capacity: {
    readonly times: number[];
    /** Demand in units: connections / per-unit. */
    readonly demand: Array<number | null>;
    readonly policies: Array<{ name: string; ready: Array<number | null>; short: Array<[number, number]> }>;
  };
  readonly frontier: {
    readonly points: readonly FrontierPoint[];
    readonly oracleUnitHours: number | null;
    /** The clairvoyant yardstick at ours' τU: the cost no forecast gets below on this noise. */
    readonly yardstick: { readonly underTimeShare: number; readonly unitHours: number } | null;
  };
}

/** The most points a chart draws per series: a year of 1-minute steps is drawn at about 26-minute buckets. */
export const MAX_CHART_POINTS = 20_000;

export function reportData(results: readonly PolicyResult[], meta: ReportMeta, frontier: readonly FrontierPoint[], yardstick?: Yardstick): ReportData {
  const first = results[0]?.rows;
  const drawn = [...results.map((r) => ({ name: r.policy as string, rows: r.rows })), ...(yardstick === undefined ? [] : [{ name: yardstickName(yardstick), rows: yardstick.rows }])];
  const bucket = Math.max(1, Math.ceil((first?.length ?? 0) / MAX_CHART_POINTS));
  // A bucket of steps is drawn at its peak demand and its fewest ready units: no shortfall hides in it.
  const times = first === undefined ? [] : buckets(first.column('time'), bucket, (values) => values[0]!);
  const demand = first === undefined ? [] : buckets(first.column('demand'), bucket, (values) => round(peak(values) / meta.perUnit, 2));
  return {
    capacity: {
      times,
      demand: demand.map((d) => (Number.isNaN(d) ? null : d)),
      policies: drawn.map((r) => ({ name: r.name, ready: buckets(r.rows.column('ready'), bucket, (values) => Math.min(...values)), short: shortStretches(r.rows, meta.perUnit) })),
    },
    frontier: {
      points: frontier,
      oracleUnitHours: results.find((r) => r.policy === 'oracle')?.metrics.unitHours ?? null,
      yardstick: yardstick === undefined ? null : { underTimeShare: yardstick.metrics.underTimeShare, unitHours: yardstick.metrics.unitHours },
    },
  };
}

/** `reduce` of every `size` consecutive values. */
function buckets(values: Float64Array, size: number, reduce: (values: Float64Array) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += size) out.push(reduce(values.subarray(i, i + size)));
  return out;
}

/** The largest known value; NaN when all are unknown (a gap). */
function peak(values: Float64Array): number {
  let max = NaN;
  for (const v of values) if (!(v <= max)) max = Number.isNaN(v) ? max : v;
  return max;
}

/** The stretches [from, to) in which fewer units were ready than demanded, merged across steps. */
export function shortStretches(rows: StepRows, perUnit: number): Array<[number, number]> {
  const stretches: Array<[number, number]> = [];
  const time = rows.column('time');
  const demand = rows.column('demand');
  const ready = rows.column('ready');
  for (let i = 0; i < rows.length; i++) {
    if (!(ready[i]! < Math.ceil(demand[i]! / perUnit - 1e-9))) continue;
    const end = time[i + 1] ?? time[i]! + (i > 0 ? time[i]! - time[i - 1]! : 60);
    const last = stretches[stretches.length - 1];
    if (last !== undefined && last[1] === time[i]) last[1] = end;
    else stretches.push([time[i]!, end]);
  }
  return stretches;
}

/**
 * The self-contained HTML report: the metrics table with the yardstick beside the oracle, the dominance
 * check, one zoomable chart of demand and every policy's (and the yardstick's) ready capacity on the same
 * axes, and, after `--sweep`, the cost-τU frontier with the yardstick's point on it.
 */
export function renderHtml(results: readonly PolicyResult[], meta: ReportMeta, frontier: readonly FrontierPoint[] = [], yardstick?: Yardstick): string {
  const { uplotJs, uplotCss, charts } = inlined();
  const table = `<table><thead><tr>${HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${metricRows(tableRows(results, yardstick))
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const dominance = checkDominance(results)
    .map((d) => `<li class="${d.noWorse ? 'ok' : 'no'}">${escapeHtml(verdictSentence(d))}: ${escapeHtml(d.detail)}</li>`)
    .join('');
  const curves = curveChecks(results, frontier)
    .map((c) => `<li class="${c.passes ? 'ok' : 'no'}">${c.passes ? 'below' : 'not below'} ${escapeHtml(c.baseline)}'s curve: ${escapeHtml(c.detail)}</li>`)
    .join('');
  // JSON inside <script> must not close the element: "<" is written as its escape.
  const data = JSON.stringify(reportData(results, meta, frontier, yardstick)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest: ${escapeHtml(meta.trace)}</title>
<style>${uplotCss}</style>
<style>
body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}li.ok{color:#1a7f37}li.no{color:#b42318}section{margin-top:2rem}
</style></head><body>
<h1>Backtest of ${escapeHtml(meta.trace)}</h1>
<p>${escapeHtml(Object.entries(meta.options).map(([k, v]) => `${k}=${String(v)}`).join(', '))}</p>
${table}
${yardstick === undefined ? '' : `<p id="yardstick">${escapeHtml(describeYardstick(yardstick))}</p>`}
${dominance ? `<ul>${dominance}</ul>` : ''}
<section><div id="capacity-chart"></div></section>
${frontier.length > 0 ? '<section><div id="frontier-chart"></div></section>' : ''}
${curves ? `<section><h2>Ours against each baseline's cost curve, at ours' τU</h2><ul id="curves">${curves}</ul></section>` : ''}
<script type="application/json" id="report-data">${data}</script>
<script>${uplotJs}</script>
<script>${charts}</script>
</body></html>
`;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
