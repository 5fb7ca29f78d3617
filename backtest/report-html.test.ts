import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test-support/chromium';
import { renderHtml, shortStretches } from './report-html';
import { syntheticTrace, type StepRow, StepRows } from '../sim';
import { defaultBacktestOptions, POLICY_NAMES, runBacktest } from './run';
import { sweepHeadroom } from './sweep';
import { yardstickBeside } from './yardstick';

const DAY = 86_400;

const row = (time: number, demand: number, ready: number): StepRow => ({ time, demand, ready, desired: ready, running: ready });

describe('under-provisioned stretches', () => {
  it.each([
    { name: 'none when every step is covered', rows: [row(0, 1000, 1), row(60, 2000, 2)], stretches: [] },
    { name: 'one step short spans to the next step', rows: [row(0, 1000, 1), row(60, 2500, 2), row(120, 1000, 2)], stretches: [[60, 120]] },
    { name: 'adjacent short steps merge', rows: [row(0, 2500, 2), row(60, 2500, 2), row(120, 1000, 2)], stretches: [[0, 120]] },
    { name: 'separate stretches stay apart', rows: [row(0, 2500, 2), row(60, 1000, 2), row(120, 2500, 2)], stretches: [[0, 60], [120, 180]] },
    { name: 'exactly the demand is covered', rows: [row(0, 2000, 2)], stretches: [] },
    { name: 'a gap of unknown demand is never short', rows: [row(0, 2500, 2), row(60, NaN, 0), row(120, 2500, 2)], stretches: [[0, 60], [120, 180]] },
  ])('$name', ({ rows, stretches }) => {
    expect(shortStretches(StepRows.from(rows), 1000)).toEqual(stretches);
  });
});

describe('the backtest report, opened in real Chromium', () => {
  const trace = syntheticTrace();
  const options = defaultBacktestOptions();
  const results = runBacktest(trace, POLICY_NAMES, options);
  const frontier = sweepHeadroom(trace, POLICY_NAMES, options);
  const yardstick = yardstickBeside(trace, results, options)!;
  const html = renderHtml(results, { trace: 'synthetic.csv', perUnit: 1000, options: { step: 60 } }, frontier, yardstick);
  const dir = mkdtempSync(join(tmpdir(), 'scaler-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is one self-contained file: the chart library inlined, nothing fetched', () => {
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('uPlot');
  });

  it('draws demand and every policy on one zoomable time chart, and the frontier on a log τU axis', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#frontier-chart .uplot');
    expect(errors).toEqual([]);

    const capacity = await page.evaluate(() => {
      const [chart] = (globalThis as unknown as { reportCharts: Array<{ series: Array<{ label?: string }>; scales: { x: { time: boolean; min: number; max: number } } }> }).reportCharts;
      return { labels: chart!.series.map((s) => s.label), time: chart!.scales.x.time, span: chart!.scales.x.max - chart!.scales.x.min };
    });
    expect(capacity.labels.slice(1)).toEqual(['demand (units needed)', ...POLICY_NAMES.map((p) => `${p} ready`), `yardstick (mean+${yardstick.deviations}sd) ready`]);
    expect(capacity.time).toBe(true);
    expect(capacity.span).toBeGreaterThan(DAY);

    // Drag across a fifth of the plot: the time axis zooms in to it.
    const over = (await page.locator('#capacity-chart .u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.4, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await page.evaluate(() => {
      const [chart] = (globalThis as unknown as { reportCharts: Array<{ scales: { x: { min: number; max: number } } }> }).reportCharts;
      return chart!.scales.x.max - chart!.scales.x.min;
    });
    expect(zoomed).toBeLessThan(capacity.span * 0.3);

    const frontierChart = await page.evaluate(() => {
      const chart = (globalThis as unknown as { reportCharts: Array<{ series: Array<{ label?: string }>; scales: { x: { distr: number } }; axes: Array<{ label?: string }> }> }).reportCharts[1]!;
      return { labels: chart.series.map((s) => s.label), distr: chart.scales.x.distr, axes: chart.axes.map((a) => a.label) };
    });
    expect(frontierChart.distr).toBe(4); // asinh: logarithmic, with 0% on the axis
    expect(frontierChart.axes).toEqual(['τU: % of time under-provisioned (log scale)', 'unit-hours']);
    expect(frontierChart.labels).toEqual(expect.arrayContaining(['ours', 'hpa', 'default setting (headroom 0)', 'oracle (cost floor)', "yardstick at ours' τU (clairvoyant level+spread)"]));
    // The yardstick beside the oracle in the table, and in a sentence that relates ours' excess to it.
    const rows = await page.locator('tbody tr td:first-child').allTextContents();
    expect(rows).toEqual([...POLICY_NAMES, `yardstick (mean+${yardstick.deviations}sd)`]);
    expect(await page.locator('#yardstick').textContent()).toContain(`ours' excess over the oracle is ${yardstick.oursExcessShare.toFixed(2)}x the yardstick's`);
    // Ours against each baseline's curve, at ours' own τU: one line per baseline.
    const curves = await page.locator('#curves li').allTextContents();
    expect(curves).toHaveLength(POLICY_NAMES.length - 2);
    expect(curves.every((c) => /^(below|not below) (aws-target-tracking|aws-step|aws-predictive|hpa)'s curve: /.test(c))).toBe(true);

    mkdirSync(resolve('test-artifacts'), { recursive: true });
    await page.screenshot({ path: resolve('test-artifacts/backtest-report.png'), fullPage: true });
    await page.close();
  });
});
