import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test-support/chromium';
import { ChatNodeProcess } from '../test-support/chat-node-process';
import { RedisServer } from '../test-support/redis-server';

describe('the chat page when a rejoin is refused for its rate', () => {
  let redis: RedisServer;
  let node: ChatNodeProcess;
  let browser: Browser;

  beforeAll(async () => {
    redis = await RedisServer.start();
    // One join per address for ten minutes: the page's own join uses it, so its rejoin cannot succeed in time.
    node = await ChatNodeProcess.start({ redisUrl: redis.url, args: ['--address-join-events', '1', '--address-join-seconds', '600'] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    await redis?.dispose();
  });

  it('tells the user it could not rejoin the room, rather than leave them silently out of it', async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${node.url}/?room=web`);
    await page.getByLabel('Name').fill('carol');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.locator('#chat').waitFor({ state: 'visible' });

    // Redis goes away and comes back: the node asks its clients to rejoin (resync), and the join is refused.
    await redis.stop();
    await node.waitUntil(async () => (await node.readyz()).status === 503, 120_000, 'aware of the outage');
    await redis.restart();
    await expect
      .poll(() => page.locator('#error').textContent(), { timeout: 120_000 })
      .toMatch(/^Could not rejoin #web: too many requests joins from your address; retry in \d+ ms\. Reload the page to rejoin\.$/);
    expect(failures).toEqual([]);
  }, 300_000);
});
