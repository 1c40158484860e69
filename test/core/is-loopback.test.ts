import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/core/is-loopback';
import { isLocalHost } from '../../src/core/analyze';

describe('isLoopbackHost: the machine itself', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.255.255.255', true],
    ['127.0.0.1.', true],
    ['::1', true],
    ['[::1]', true],
    ['example.com', false],
    ['localhost.example.com', false],
    ['notlocalhost', false],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['127.256.0.1', false],
    ['127.0.0', false],
    ['[::2]', false],
    ['::', false],
    ['', false],
  ])('%j → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('answers for what URL.hostname gives, IPv6 in brackets included', () => {
    for (const url of ['http://[::1]:8080/', 'http://127.0.0.1/', 'http://localhost:3000/', 'http://a.b.localhost/']) {
      expect(isLoopbackHost(new URL(url).hostname), url).toBe(true);
    }
    expect(isLoopbackHost(new URL('http://[::ffff:7f00:2]/').hostname)).toBe(false);
  });

  it('never throws on what is not text', () => {
    expect(isLoopbackHost(undefined as unknown as string)).toBe(false);
    expect(isLoopbackHost(42 as unknown as string)).toBe(false);
  });

  it('is the rule analyze applies', () => {
    expect(isLocalHost).toBe(isLoopbackHost);
  });
});
