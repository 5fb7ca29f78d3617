import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test-support/chromium';
import { freePort } from '../test-support/free-port';
import { RedisServer } from '../test-support/redis-server';
import { startChatNode, type ChatNode } from './node';
import { quietLogger } from './testing';

describe('POST /drain: a tool on the node\'s own host may drain it, a browser page of another origin may not', () => {
  let redis: RedisServer;
  let node: ChatNode;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    node = await startChatNode({ port: 0, host: '127.0.0.1', redisUrl: redis.url, drainWindowSeconds: 1, stopTimeoutSeconds: 5 }, { logger: quietLogger() });
    browser = await launchChromium();
    // A page on another origin of the same host, which tries the request the issue describes.
    const port = await freePort();
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<script>
        fetch(${JSON.stringify(`${node.url}/drain`)}, { method: 'POST', mode: 'no-cors' }).then(() => (document.title = 'sent'), () => (document.title = 'sent'));
      </script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(port, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${port}/`;
  });

  afterAll(async () => {
    await browser?.close();
    attacker?.close();
    await node?.close();
    await redis?.dispose();
  });

  const ready = async () => (await fetch(`${node.url}/readyz`)).status;

  it("refuses a no-cors POST from a page on another origin, in real Chromium, and stays ready", async () => {
    const page = await browser.newPage();
    await page.goto(attackerUrl);
    await page.waitForFunction("document.title === 'sent'");
    expect(await ready()).toBe(200);
  });

  it.each([
    { name: 'a request with an Origin, as every browser POST has', headers: { origin: 'http://127.0.0.1:1', 'x-chat-drain': 'now' }, error: 'drain is not accepted from a browser page' },
    { name: 'a request without the drain header', headers: {} as Record<string, string>, error: 'drain needs the header x-chat-drain: now' },
  ])('refuses $name', async ({ headers, error }) => {
    const res = await fetch(`${node.url}/drain`, { method: 'POST', headers });
    expect([res.status, await res.json()]).toEqual([403, { error }]);
    expect(await ready()).toBe(200);
  });

  it('drains on a POST from this host with the header, as an operator or a stop script sends it', async () => {
    const res = await fetch(`${node.url}/drain`, { method: 'POST', headers: { 'x-chat-drain': 'now' } });
    expect([res.status, await res.json()]).toEqual([202, { draining: true }]);
    await node.closed;
  });
});
