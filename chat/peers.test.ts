import { describe, expect, it } from 'vitest';
import { advertisedUrl, Peers } from './peers';

describe('what a node knows of the other nodes while its Redis is out of reach', () => {
  it.each([
    { name: 'the address it listens on', host: '127.0.0.1', expected: /^http:\/\/127\.0\.0\.1:3000$/ },
    { name: 'an IPv6 address in brackets', host: '::1', expected: /^http:\/\/\[::1\]:3000$/ },
    { name: 'listening on every address, a private IPv4 one, never link-local', host: '0.0.0.0', expected: /^http:\/\/(?!169\.254\.)\d+\.\d+\.\d+\.\d+:3000$/ },
  ])('advertises $name', ({ host, expected }) => {
    expect(advertisedUrl(host, 3000)).toMatch(expected);
  });

  it('knows no one is ready when it knows no one, and asks no one', async () => {
    const asked: string[] = [];
    const peers = new Peers(async (url) => (asked.push(url), true));
    expect(await peers.anotherIsReady()).toBe(false);
    expect(asked).toEqual([]);
  });

  it('is ready to hand newcomers on when any other node answers ready, and asks again only after a while', async () => {
    const asked: string[] = [];
    const peers = new Peers(async (url) => {
      asked.push(url);
      if (url.endsWith(':2')) throw new Error('unreachable');
      return url.endsWith(':3');
    });
    peers.remember(['http://a:1', 'http://a:2', 'http://a:3']);
    expect(await Promise.all([peers.anotherIsReady(), peers.anotherIsReady()])).toEqual([true, true]);
    expect(await peers.anotherIsReady()).toBe(true);
    // One probe of each, shared by the calls that came while it ran and those soon after.
    expect(asked).toEqual(['http://a:1', 'http://a:2', 'http://a:3']);
  });
});
