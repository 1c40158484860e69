import { describe, expect, it } from 'vitest';
import { grantFromEntry, maskOpaque, MAX_GRANT_VALUE_CHARS, MAX_OPAQUE_CHARS } from '../../src/capture/token-grant';
import { ingestKey } from '../../src/capture/ingest-key';
import type { HarPostData } from '../../src/capture/har-types';
import { T0, T0_MS, entry, sign } from './har-fixtures';

const R = 'Qk3cUMa2jd9PZ3c_rY0v8Lk1x-7hTq2wVb6NfGe4sXo';
const A = 'ZmFrZS1vcGFxdWUtYWNjZXNzLXRva2VuLTEyMzQ1Njc';

const post = (postData: HarPostData, body?: string) =>
  entry({ method: 'POST', url: 'https://id.example/token', time: T0, postData, ...(body ? { body } : {}) });
const formText = (text: string): HarPostData => ({ mimeType: 'application/x-www-form-urlencoded', text });

describe('grantFromEntry: the refresh request', () => {
  it('reads a form body, percent-encoding and all', () => {
    const e = post(formText(`grant_type=refresh_token&refresh_token=${encodeURIComponent('a/b+c=')}&client_id=spa`));
    expect(grantFromEntry(e)).toEqual({
      exchange: ingestKey(e),
      time: T0_MS,
      requestUrl: 'https://id.example/token',
      refreshSent: 'a/b+c=',
      opaque: ['a/b+c='],
    });
  });

  it('reads a JSON body, and form params when the text is missing', () => {
    expect(
      grantFromEntry(post({ mimeType: 'application/json', text: JSON.stringify({ grant_type: 'refresh_token', refresh_token: R }) }))
        ?.refreshSent,
    ).toBe(R);
    const params = post({
      mimeType: 'application/x-www-form-urlencoded',
      text: '',
      params: [
        { name: 'grant_type', value: 'refresh_token' },
        { name: 'refresh_token', value: R },
      ],
    });
    expect(grantFromEntry(params)?.refreshSent).toBe(R);
  });

  it('needs grant_type=refresh_token: revocation, logout and other grants are not refreshes', () => {
    expect(grantFromEntry(post(formText(`token=${R}&token_type_hint=refresh_token`)))).toBeUndefined();
    expect(grantFromEntry(post({ mimeType: 'application/json', text: JSON.stringify({ refresh_token: R }) }))).toBeUndefined();
    expect(grantFromEntry(post(formText(`grant_type=authorization_code&code=abc&refresh_token=${R}`)))).toBeUndefined();
    expect(grantFromEntry(post(formText('grant_type=refresh_token&refresh_token=')))).toBeUndefined();
  });
});

describe('grantFromEntry: the token response', () => {
  it('reads access, refresh and ID tokens and expires_in, from the body read later', async () => {
    const id = await sign({ sub: 'u', nonce: 'n' });
    const e = post(formText('grant_type=authorization_code&code=abc'));
    e.time = 1500;
    expect(grantFromEntry(e)).toBeUndefined();
    const body = JSON.stringify({
      access_token: A,
      expires_in: 3600,
      id_token: id,
      refresh_token: R,
      scope: 'openid offline_access',
      token_type: 'Bearer',
    });
    const grant = grantFromEntry(e, body)!;
    expect(grant.issued).toEqual({ time: T0_MS + 1500, accessToken: A, refreshToken: R, idToken: id, expiresIn: 3600 });
    // The ID token is a JWT: a row of its own, not an opaque value.
    expect(grant.opaque).toEqual([A, R]);
  });

  it('takes expires_in written as a digit string, and ignores one that is not a lifetime', () => {
    const e = post(formText('grant_type=client_credentials'));
    expect(grantFromEntry(e, JSON.stringify({ access_token: A, expires_in: '300' }))?.issued?.expiresIn).toBe(300);
    expect(grantFromEntry(e, JSON.stringify({ access_token: A, expires_in: -5 }))?.issued?.expiresIn).toBeUndefined();
    expect(grantFromEntry(e, JSON.stringify({ access_token: A, expires_in: '5 minutes' }))?.issued?.expiresIn).toBeUndefined();
  });

  it('reads a body carried in the entry (exported HAR files), of a POST only', () => {
    const e = entry({ method: 'post', url: 'https://id.example/token', time: T0, body: JSON.stringify({ access_token: A }) });
    expect(grantFromEntry(e)?.issued?.accessToken).toBe(A);
    // An API that echoes a token to a GET is no token endpoint.
    expect(grantFromEntry({ ...e, request: { ...e.request, method: 'GET' } })).toBeUndefined();
  });

  it('ignores what is not a token response', () => {
    const e = post(formText('grant_type=refresh_token&x=1'));
    for (const body of [
      '{"error":"invalid_grant"}',
      '[{"access_token":"x"}]',
      'access_token=x',
      '{"access_token":42}',
      '{"access_token":',
      `{"access_token":"${'x'.repeat(MAX_GRANT_VALUE_CHARS + 1)}"}`,
    ]) {
      expect(grantFromEntry(e, body)).toBeUndefined();
    }
  });

  it('follows no opaque value longer than real ones are', () => {
    const e = post(formText('grant_type=authorization_code&code=abc'));
    expect(grantFromEntry(e, JSON.stringify({ access_token: 'a'.repeat(MAX_OPAQUE_CHARS) }))?.opaque).toEqual([
      'a'.repeat(MAX_OPAQUE_CHARS),
    ]);
    expect(grantFromEntry(e, JSON.stringify({ access_token: 'a'.repeat(MAX_OPAQUE_CHARS + 1) }))).toBeUndefined();
  });

  it('never throws on hostile shapes', () => {
    for (const bad of [
      null,
      1,
      'x',
      {},
      { request: 5 },
      { request: { url: 'u', postData: { text: 7, params: 'no' } } },
      { request: { url: 1, postData: {} } },
    ]) {
      expect(() => grantFromEntry(bad, '{"access_token":"a"}')).not.toThrow();
    }
    const trap = {
      request: {
        url: 'https://x/token',
        postData: {
          get text(): string {
            throw new Error('boom');
          },
        },
      },
    };
    expect(grantFromEntry(trap)).toBeUndefined();
  });
});

describe('maskOpaque', () => {
  it('shows the ends of a value, never the whole, and less of a short one', () => {
    expect(maskOpaque(R)).toBe('Qk3c…4sXo');
    expect(maskOpaque('abcdefghij')).toBe('ab…ij');
    expect(maskOpaque('abc')).toBe('…');
  });
});
