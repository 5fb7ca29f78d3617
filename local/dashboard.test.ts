import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test-support/chromium';
import { Dashboard } from './dashboard';

describe("the dashboard's warnings", () => {
  let browser: Browser;
  const dashboard = new Dashboard();
  let url: string;

  beforeAll(async () => {
    browser = await launchChromium();
    url = await dashboard.listen(0);
  }, 120_000);
  afterAll(async () => {
    await dashboard.close();
    await browser?.close();
  });

  it('shows a lag warning while the run goes on, and to a page opened after it', async () => {
    const open = await browser.newPage();
    await open.goto(url);
    await open.waitForSelector('#status:has-text("live")');
    expect(await open.isHidden('#warning')).toBe(true);

    dashboard.warning('this machine is not keeping up at 400x');
    await open.waitForSelector('#warning:visible');
    expect(await open.textContent('#warning')).toBe('Warning: this machine is not keeping up at 400x');

    const late = await browser.newPage();
    await late.goto(url);
    await late.waitForSelector('#warning:visible');
    expect(await late.textContent('#warning')).toBe('Warning: this machine is not keeping up at 400x');

    // The end-of-run warning adds its own line; the same line is not repeated.
    dashboard.warning('this machine is not keeping up at 400x');
    dashboard.finished({ warning: 'this machine did not keep up at 400x' });
    await open.waitForSelector('#status:has-text("finished")');
    expect(await open.textContent('#warning')).toBe('Warning: this machine is not keeping up at 400x\nWarning: this machine did not keep up at 400x');
  }, 120_000);
});
