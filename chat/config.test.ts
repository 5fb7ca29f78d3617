import { describe, expect, it } from 'vitest';
import { chatOptionsFromEnv, parseChatNodeOptions, redisUrlFromParts } from './config';

describe('the Redis URL a node builds from the parts AWS gives it', () => {
  it.each([
    { env: {}, url: undefined },
    { env: { REDIS_HOST: '' }, url: undefined },
    { env: { REDIS_HOST: 'master.chat.cache.amazonaws.com', REDIS_PORT: '6380', REDIS_AUTH_TOKEN: 'secret' }, url: 'rediss://:secret@master.chat.cache.amazonaws.com:6380' },
    { env: { REDIS_HOST: 'h', REDIS_AUTH_TOKEN: 'a:b@c/d#e' }, url: 'rediss://:a%3Ab%40c%2Fd%23e@h:6379' },
    { env: { REDIS_HOST: 'h', REDIS_TLS: 'off' }, url: 'redis://h:6379' },
  ])('$env gives $url', ({ env, url }) => {
    expect(redisUrlFromParts(env)).toBe(url);
  });

  it('prefers an explicit REDIS_URL over the parts', () => {
    expect(chatOptionsFromEnv({ REDIS_URL: 'redis://local:6379', REDIS_HOST: 'h' }).redisUrl).toBe('redis://local:6379');
  });

  it('hands the built URL to the node options, which accept it', () => {
    const options = parseChatNodeOptions(chatOptionsFromEnv({ REDIS_HOST: 'h', REDIS_PORT: '6380', REDIS_AUTH_TOKEN: 't' }));
    expect(options.redisUrl).toBe('rediss://:t@h:6380');
  });
});

describe('where a node finds its own id', () => {
  it.each([
    { env: {}, instanceMetadata: false },
    { env: { CHAT_INSTANCE_METADATA: 'on' }, instanceMetadata: true },
    { env: { CHAT_INSTANCE_METADATA: 'off' }, instanceMetadata: false },
  ])('$env reads the instance metadata: $instanceMetadata', ({ env, instanceMetadata }) => {
    expect(parseChatNodeOptions(chatOptionsFromEnv(env)).instanceMetadata).toBe(instanceMetadata);
  });
});

describe('which target a node joins', () => {
  it.each([
    { env: {}, target: 'chat-local', service: 'chat' },
    { env: { CHAT_SERVICE_NAME: 'chat-k8s' }, target: 'chat-k8s', service: 'chat-k8s' },
    { env: { CHAT_SERVICE_NAME: 'chat', CHAT_TARGET_NAME: 'chat-ecs' }, target: 'chat-ecs', service: 'chat' },
  ])('$env joins $target', ({ env, target, service }) => {
    const options = parseChatNodeOptions(chatOptionsFromEnv(env));
    expect([options.targetName, options.serviceName]).toEqual([target, service]);
  });
});
