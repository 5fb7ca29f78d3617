import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from '../test-support/processes';
import { launchChromium } from '../test-support/chromium';
import { runLocalMode, type LocalRunReport } from './run';
import { spikeRun } from './testing';

describe('local mode, end to end', () => {
  let browser: Browser;
  let report: LocalRunReport;
  let seen: { decisions: string[]; readyValues: number[]; forecastValues: number[] };

  beforeAll(async () => {
    browser = await launchChromium();
    let page: Page | undefined;
    report = await runLocalMode({
      ...spikeRun(),
      onStarted: async ({ dashboard }) => {
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(dashboard);
      },
      beforeDashboardCloses: async () => {
        await page!.waitForSelector('text=finished');
        seen = await page!.evaluate(() => ({
          decisions: [...document.querySelectorAll('#rows tr')].map((tr) => `${tr.children[1]!.textContent} ${tr.children[2]!.textContent}`).reverse(),
          readyValues: ((window as unknown as { dashboardChart: { data: number[][] } }).dashboardChart.data[5] ?? []).filter((v) => v !== null),
          forecastValues: ((window as unknown as { dashboardChart: { data: number[][] } }).dashboardChart.data[3] ?? []).filter((v) => v !== null),
        }));
        mkdirSync(resolve('test-artifacts'), { recursive: true });
        await page!.screenshot({ path: resolve('test-artifacts/local-mode-dashboard.png'), fullPage: true });
      },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('scales the fleet out through the spike and back in after it', () => {
    const desired = report.decisions.filter((d) => d.applied).map((d) => d.desired);
    expect(Math.max(...desired)).toBeGreaterThanOrEqual(4);
    expect(report.peakReady).toBeGreaterThanOrEqual(4);
    expect(desired.at(-1)).toBeLessThanOrEqual(2);
  });

  it('refuses no client connection while a node is ready', () => {
    expect(report.refusedByBalancer).toBe(0);
    expect(report.cutByBalancer).toBe(0);
    expect(report.load.errors.connect).toBe(0);
    expect(report.load.errors.disconnects).toBe(0);
  });

  it('loses no acknowledged message, however the nodes came and went', () => {
    expect(report.load.messages.accepted).toBeGreaterThan(50);
    expect(report.load.messages.lostAcknowledged).toBe(0);
    // Not a vacuous check: scale-ins drained nodes that held clients, and those clients moved.
    expect(report.load.connections.moved).toBeGreaterThan(0);
  });

  it('shows on the dashboard the decisions the handlers logged, and the capacity changing', () => {
    expect(seen.decisions).toEqual(report.decisions.map((d) => `${d.current} → ${d.desired} ${d.reason}`));
    expect(new Set(seen.readyValues).size).toBeGreaterThan(2);
    expect(seen.forecastValues.length).toBeGreaterThan(0); // the forecast's upper band, from the hourly refresh
  });

  it('leaves no chat process behind', () => {
    expect(report.pids.length).toBeGreaterThanOrEqual(4);
    expect(report.pids.filter(alive)).toEqual([]);
  });
});
