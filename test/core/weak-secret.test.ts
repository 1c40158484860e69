import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SignJWT } from 'jose';
import { candidatesFromToken, parseSecretList, tryCandidates, weakSecretTarget } from '../../src/core/weak-secret';
import { WeakSecretService } from '../../src/background/weak-secret-service';

const LIST_PATH = resolve(import.meta.dirname, '../../src/background/weak-secrets/jwt.secrets.list');
const listText = readFileSync(LIST_PATH, 'utf8');
const sign = (alg: string, secret: string, claims: Record<string, unknown> = { sub: 'alice' }) =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));

describe('weak HMAC secrets', () => {
  const list = parseSecretList(listText);

  it('reads the bundled list: CRLF stripped, blanks and duplicates dropped', () => {
    // LICENSE-NOTE: 103,782 distinct lines, one of them the blank line.
    expect(list.length).toBe(103_781);
    expect(list.some((s) => s.endsWith('\r'))).toBe(false);
    expect(list).toContain('secret');
  });

  it.each(['HS256', 'HS384', 'HS512'])('finds a %s secret from the middle of the list, and only that one', async (alg) => {
    const secret = list[51_234]!;
    const target = weakSecretTarget(await sign(alg, secret))!;
    expect(target.alg).toBe(alg);
    expect(tryCandidates(target, list)).toBe(51_234);
  });

  it('finds nothing for a strong secret', async () => {
    const target = weakSecretTarget(await sign('HS256', 'a fresh 32-byte random secret: 7f3a9c…e1'))!;
    expect(tryCandidates(target, list.slice(0, 5000))).toBe(-1);
  });

  it('is not applicable to asymmetric, unsecured or malformed tokens', () => {
    expect(weakSecretTarget('eyJhbGciOiJSUzI1NiJ9.e30.c2ln')).toBeUndefined();
    expect(weakSecretTarget('eyJhbGciOiJub25lIn0.e30.')).toBeUndefined();
    expect(weakSecretTarget('not a token')).toBeUndefined();
    expect(weakSecretTarget(undefined as unknown as string)).toBeUndefined();
  });

  it('derives candidates from the token: empty string, issuer, host names, audience, subject, kid', () => {
    const c = candidatesFromToken(
      { iss: 'https://auth.shop.example/realm', aud: ['api', 'https://api.shop.example'], sub: 'svc' },
      { kid: 'key-1' },
    );
    expect(c).toEqual(
      expect.arrayContaining([
        '',
        'https://auth.shop.example/realm',
        'auth.shop.example',
        'auth',
        'api',
        'api.shop.example',
        'svc',
        'key-1',
      ]),
    );
  });

  it('the service finds a secret derived from the issuer before reading the list', async () => {
    let listReads = 0;
    const service = new WeakSecretService(async () => {
      listReads++;
      return listText;
    });
    const token = await sign('HS256', 'auth.shop.example', { iss: 'https://auth.shop.example' });
    expect(await service.check(token)).toMatchObject({ found: true, secret: 'auth.shop.example', source: 'token' });
    expect(listReads).toBe(0);
    expect(await service.check(await sign('HS256', 'your-256-bit-secret'))).toMatchObject({
      found: true,
      secret: 'your-256-bit-secret',
      source: 'list',
    });
    expect(listReads).toBe(1);
  });

  it('the service reports progress and stops when cancelled', async () => {
    const service = new WeakSecretService(async () => listText);
    const controller = new AbortController();
    const progress: number[] = [];
    const result = await service.check(
      await sign('HS256', 'not in any list, surely 91c2'),
      (tried) => {
        progress.push(tried);
        if (progress.length === 3) controller.abort();
      },
      controller.signal,
    );
    expect(result.cancelled).toBe(true);
    expect(progress.length).toBe(3);
    expect(progress[1]!).toBeGreaterThan(progress[0]!);
    expect(result.tried).toBeLessThan(list.length);
  });
});

describe('weak-secret check bounds', () => {
  // README: "tokens over 8 KiB are skipped". A token of exactly `chars` characters, MACed with "secret".
  const tokenOfLength = async (chars: number) => {
    for (let pad = Math.floor((chars * 3) / 4) - 100; pad < chars; pad++) {
      const token = await sign('HS256', 'secret', { pad: 'x'.repeat(pad) });
      if (token.length === chars) return token;
      if (token.length > chars) break;
    }
    throw new Error(`no HS256 token of exactly ${chars} characters`);
  };

  it('does not check tokens over the size limit, which would keep the worker busy for minutes', async () => {
    let listReads = 0;
    const service = new WeakSecretService(async () => {
      listReads++;
      return listText;
    });
    const over = await tokenOfLength(8 * 1024 + 1);
    expect(await service.check(over)).toMatchObject({ found: false, notApplicable: true, tried: 0 });
    expect(listReads).toBe(0);
  });

  it('checks a token of exactly 8 KiB', async () => {
    const service = new WeakSecretService(async () => listText);
    const atLimit = await tokenOfLength(8 * 1024);
    expect(await service.check(atLimit)).toMatchObject({ found: true });
  });
});
