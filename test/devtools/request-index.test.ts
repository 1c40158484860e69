import { describe, expect, it } from 'vitest';
import { RequestIndex } from '../../src/capture/request-index';

const id = (method: string, url: string, started: string) => ({ method, url, started });
const T = '2023-11-14T22:13:20.037Z';

describe('RequestIndex', () => {
  it('tells apart requests started in the same millisecond by method and URL', () => {
    const index = new RequestIndex();
    index.add(id('GET', 'https://a.example/1', T), 1);
    index.add(id('GET', 'https://a.example/2', T), 2);
    index.add(id('POST', 'https://a.example/1', T), 3);
    expect(index.size).toBe(3);
    expect(index.find(id('GET', 'https://a.example/1', T))?.state).toBe(1);
    expect(index.find(id('GET', 'https://a.example/2', T))?.state).toBe(2);
    expect(index.find(id('POST', 'https://a.example/1', T))?.state).toBe(3);
    expect(index.find(id('PUT', 'https://a.example/1', T))).toBeUndefined();
    expect(index.find(id('GET', 'https://a.example/1', '2023-11-14T22:13:20.038Z'))).toBeUndefined();
  });

  it('finds a request from another copy of its strings (a later poll)', () => {
    const index = new RequestIndex();
    index.add(id('GET', 'https://a.example/x?y=1', T), 7);
    const again = JSON.parse(JSON.stringify(id('GET', 'https://a.example/x?y=1', T))) as ReturnType<typeof id>;
    expect(index.find(again)?.state).toBe(7);
  });

  it('forgets the oldest first, one request at a time, also among those sharing a start', () => {
    const index = new RequestIndex();
    index.add(id('GET', 'u1', T), 1);
    index.add(id('GET', 'u2', T), 2);
    index.add(id('GET', 'u3', 'later'), 3);
    expect(index.evictOldest()).toBe(true);
    expect(index.find(id('GET', 'u1', T))).toBeUndefined();
    expect(index.find(id('GET', 'u2', T))?.state).toBe(2);
    expect(index.evictOldest()).toBe(true);
    expect(index.find(id('GET', 'u2', T))).toBeUndefined();
    expect(index.size).toBe(1);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.evictOldest()).toBe(false);
  });
});
