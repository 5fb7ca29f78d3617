import { checkDominance } from './dominance';
import type { PolicyResult } from './run';
import type { StepRow } from './simulate';

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

/** One row per step: time (epoch seconds), demand (connections), desired, running and ready (units). */
export function rowsToCsv(rows: readonly StepRow[]): string {
  const lines = ['time,demand,desired,running,ready'];
  for (const r of rows) lines.push(`${r.time},${round(r.demand, 3)},${r.desired},${r.running},${r.ready}`);
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

const HEADERS = ['policy', 'τU %', 'θU %', 'τO %', 'θO %', 'unit-hours', 'vs oracle', 'unserved conn-min', 'actions/day'];

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

/** A self-contained HTML report: the table, the dominance check, and demand against ready capacity per policy. */
export function renderHtml(results: readonly PolicyResult[], meta: ReportMeta, frontier: readonly FrontierPoint[] = []): string {
  const table = `<table><thead><tr>${HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${metricRows(results)
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const dominance = checkDominance(results)
    .map((d) => `<li class="${d.dominates ? 'ok' : 'no'}">${d.dominates ? 'dominates' : 'does not dominate'} ${escapeHtml(d.baseline)}: ${escapeHtml(d.detail)}</li>`)
    .join('');
  const charts = results.map((r) => `<section><h2>${escapeHtml(r.policy)}</h2>${capacityChart(r.rows, meta.perUnit)}</section>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest: ${escapeHtml(meta.trace)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}li.ok{color:#1a7f37}li.no{color:#b42318}svg{background:#fafafa;border:1px solid #eee}
.legend span{display:inline-block;margin-right:1rem}.demand{color:#d4490f}.ready{color:#1f6feb}.short{color:#b42318}
</style></head><body>
<h1>Backtest of ${escapeHtml(meta.trace)}</h1>
<p>${escapeHtml(Object.entries(meta.options).map(([k, v]) => `${k}=${String(v)}`).join(', '))}</p>
${table}
${dominance ? `<ul>${dominance}</ul>` : ''}
${frontier.length > 0 ? `<h2>Cost against under-provisioning (--sweep)</h2>${frontierChart(frontier)}` : ''}
<p class="legend"><span class="demand">&#9632; demand (units needed)</span><span class="ready">&#9632; ready units</span><span class="short">&#9646; some step under-provisioned</span></p>
${charts}
</body></html>
`;
}

const W = 960;
const H = 220;

/**
 * Demand in units against ready units, each averaged over the steps one column covers; a red tick at
 * the bottom marks every column in which some step had fewer units ready than demanded.
 */
function capacityChart(rows: readonly StepRow[], perUnit: number): string {
  if (rows.length === 0) return '<p>no rows</p>';
  const columns = Math.min(W, rows.length);
  const demand: number[] = [];
  const ready: number[] = [];
  const short: number[] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * rows.length) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * rows.length) / columns));
    let d = 0;
    let r = 0;
    let under = false;
    for (let i = from; i < to; i++) {
      const row = rows[i]!;
      d += row.demand / perUnit;
      r += row.ready;
      if (row.ready < Math.ceil(row.demand / perUnit - 1e-9)) under = true;
    }
    demand.push(d / (to - from));
    ready.push(r / (to - from));
    if (under) short.push(c);
  }
  const top = Math.max(1, ...demand, ...ready);
  const x = (i: number) => ((i / Math.max(1, columns - 1)) * W).toFixed(1);
  const path = (values: number[]) => values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${(H - 6 - (v / top) * (H - 6)).toFixed(1)}`).join('');
  const ticks = short.map((c) => `M${x(c)},${H}V${H - 5}`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img"><path d="${path(ready)}" fill="none" stroke="#1f6feb" stroke-width="1"/><path d="${path(demand)}" fill="none" stroke="#d4490f" stroke-width="1"/>${ticks ? `<path d="${ticks}" stroke="#b42318" stroke-width="1"/>` : ''}<text x="4" y="14" font-size="12">${Math.round(top)} units</text></svg>`;
}

function frontierChart(points: readonly FrontierPoint[]): string {
  const maxX = Math.max(1e-9, ...points.map((p) => p.underTimeShare));
  const maxY = Math.max(1e-9, ...points.map((p) => p.unitHours));
  const colors = ['#1f6feb', '#d4490f', '#1a7f37', '#8250df', '#bf8700', '#57606a'];
  const policies = [...new Set(points.map((p) => p.policy))];
  const dots = points
    .map((p) => {
      const x = 40 + (p.underTimeShare / maxX) * (W - 60);
      const y = H - 20 - (p.unitHours / maxY) * (H - 40);
      const color = colors[policies.indexOf(p.policy) % colors.length];
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${color}"><title>${escapeHtml(`${p.policy} headroom ${p.headroom}: τU ${p.underTimeShare.toFixed(2)}%, ${p.unitHours.toFixed(0)} unit-hours`)}</title></circle>`;
    })
    .join('');
  const legend = policies.map((p, i) => `<text x="${50 + i * 150}" y="14" font-size="12" fill="${colors[i % colors.length]}">${escapeHtml(p)}</text>`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${legend}<text x="4" y="${H - 4}" font-size="11">τU % (right: more under-provisioning) / unit-hours (up: more cost)</text>${dots}</svg>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
