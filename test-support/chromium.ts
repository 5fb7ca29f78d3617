import { chromium, type Browser } from 'playwright-core';
import { requireProgram } from './prerequisites';

/** Debian's Chromium, headless, with nothing reaching out to the network on its own; Playwright gives it a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireProgram('chromium'),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
