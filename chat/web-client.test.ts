import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test-support/chromium';
import { ChatCluster } from '../test-support/chat-cluster';
import type { ChatNodeProcess } from '../test-support/chat-node-process';

describe('the chat page in real headless Chromium', () => {
  let cluster: ChatCluster;
  let nodes: ChatNodeProcess[];
  let browser: Browser;

  beforeAll(async () => {
    cluster = await ChatCluster.start(2);
    nodes = cluster.nodes;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await cluster.dispose();
  });

  async function joinAs(url: string, name: string): Promise<Page> {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${url}/?room=web`);
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.locator('#chat').waitFor({ state: 'visible' });
    expect(failures).toEqual([]);
    return page;
  }

  async function say(page: Page, text: string) {
    await page.getByPlaceholder('Say something').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  it('lets two pages on different nodes exchange messages and see each other in the room', async () => {
    const alice = await joinAs(nodes[0]!.url, 'alice');
    const bob = await joinAs(nodes[1]!.url, 'bob');

    await say(alice, 'hi bob');
    await expect.poll(() => bob.locator('#messages li .text').allTextContents()).toEqual(['hi bob']);
    await say(bob, 'hi alice');
    await expect.poll(() => alice.locator('#messages li .text').allTextContents()).toEqual(['hi bob', 'hi alice']);
    await expect.poll(() => alice.locator('#members li').allTextContents()).toEqual(['alice', 'bob']);
    expect(await bob.locator('#messages li .name').allTextContents()).toEqual(['alice', 'bob']);
  });

  it('shows markup in a message as text and never runs it', async () => {
    const mallory = await joinAs(nodes[0]!.url, '<b>mallory</b>');
    const victim = await joinAs(nodes[1]!.url, 'victim');
    const payloads = ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">'];

    for (const payload of payloads) await say(mallory, payload);

    await expect.poll(() => victim.locator('#messages li .text').allTextContents()).toEqual(expect.arrayContaining(payloads));
    expect(await victim.locator('#messages li .name').allTextContents()).toContain('<b>mallory</b>');
    expect(await victim.locator('#messages script, #messages img, #messages b').count()).toBe(0);
    expect(await victim.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await mallory.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
